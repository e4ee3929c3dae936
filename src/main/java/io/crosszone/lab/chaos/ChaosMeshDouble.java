package io.crosszone.lab.chaos;

import io.crosszone.lab.network.PodPartitions;
import io.crosszone.lab.network.PodPartitions.Direction;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for Chaos Mesh (its controller manager and chaos daemons) in the lab, for
 * {@code NetworkChaos} partitions only: the lab installs its CRD {@code networkchaos.chaos-mesh.org}
 * in the mock API (which then serves {@code chaos-mesh.org/v1alpha1} discovery, so a drill's
 * "is Chaos Mesh installed" check passes), and this polls the NetworkChaos objects of the lab's
 * namespace. One with {@code action: partition}, {@code mode: all} and a {@code target} of
 * {@code mode: all} has its {@code selector} and {@code target.selector} resolved to the IPs of
 * the Running pods they select ({@code namespaces}, default the object's own; {@code labelSelectors}
 * against the pods' labels; {@code nodeSelectors} against the labels of the pods' nodes), and the
 * packets between them dropped in its {@code direction} ({@code to} by default, as in Chaos Mesh)
 * by the lab's network ({@link PodPartitions}). It is healed when the object is deleted or its
 * {@code duration} from creation has passed.
 *
 * <p>Resolved again every poll: a pod made again on another node is partitioned as its new node
 * says. Chaos Mesh 2.x picks its targets when it injects and follows them by name (a pod made
 * again under the same name, as a StatefulSet's, is injected again; one under a new name is not,
 * chaos-mesh issue 799); the double covers both, which for the drill's StatefulSet pods is the same.
 *
 * <p>Not modelled: other actions (delay, loss, bandwidth...), modes other than {@code all},
 * {@code externalTargets}, devices, other selector fields ({@code pods}, {@code nodes},
 * {@code expressionSelectors}, {@code annotationSelectors}, {@code fieldSelectors},
 * {@code podPhaseSelectors}), pausing, Schedules, the object's status and finalizers. Such an
 * object is left alone and said so once in the log, rather than partitioning something else than
 * asked. Pods of one zone partitioned from each other stay connected: their packets never leave the
 * zone's namespace ({@code LabNetwork}).
 */
public final class ChaosMeshDouble implements AutoCloseable {
    public static final ResourceDefinitionContext NETWORK_CHAOS = new ResourceDefinitionContext.Builder()
            .withGroup("chaos-mesh.org").withVersion("v1alpha1").withKind("NetworkChaos").withPlural("networkchaos")
            .withNamespaced(true).build();

    private static final Set<String> SPEC_KEYS = Set.of("action", "mode", "value", "selector", "direction", "target",
            "duration");
    private static final Set<String> SELECTOR_KEYS = Set.of("namespaces", "labelSelectors", "nodeSelectors");

    private final KubernetesClient client;
    private final String namespace;
    private final PodPartitions partitions;
    private final Consumer<String> log;
    private final Clock clock;
    private final ScheduledExecutorService loop;
    /** partition id (namespace/name) -> what was applied, for the log */
    private final Map<String, String> applied = new HashMap<>();
    /** uid -> when first seen, where an object has no creationTimestamp */
    private final Map<String, Instant> firstSeen = new HashMap<>();
    /** uids whose "not modelled" or "ended" line was logged */
    private final Set<String> said = ConcurrentHashMap.newKeySet();

    /**
     * Installs the CRD and polls every {@code periodMillis} (first after one period). Its own loop
     * (the kubelet double's period, not its thread): Chaos Mesh is a component of its own, and a
     * slow pod start or API error in one stand-in must not hold up the other.
     */
    public ChaosMeshDouble(KubernetesClient client, String namespace, PodPartitions partitions, long periodMillis,
                           Consumer<String> log) {
        this(client, namespace, partitions, periodMillis, log, Clock.systemUTC());
    }

    ChaosMeshDouble(KubernetesClient client, String namespace, PodPartitions partitions, long periodMillis,
                    Consumer<String> log, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.partitions = partitions;
        this.log = log;
        this.clock = clock;
        installCrd(client);
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "chaos-mesh-double");
            t.setDaemon(true);
            return t;
        });
        loop.scheduleWithFixedDelay(this::safeSync, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * What the lab says where its network is the freeze fallback: no namespaces, so no packets to
     * drop. The CRD is not installed, so a chaos-mesh drill is refused as on a cluster without
     * Chaos Mesh instead of running with no cut.
     */
    public static String notModelledLine(String networkModel) {
        return "lab chaos-mesh: not modelled under the " + networkModel + " network model (a partition needs the zones'"
                + " network namespaces): NetworkChaos is not served, failover-drill --mode chaos-mesh is refused";
    }

    /** The line the lab prints when the double runs. */
    public static String runningLine() {
        return "lab chaos-mesh: NetworkChaos partitions (action partition, mode all) become packet drops between"
                + " the selected pods";
    }

    /** A schema-less CRD (unknown fields kept) for NetworkChaos: enough for the mock to serve it. */
    static CustomResourceDefinition crd() {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(NETWORK_CHAOS.getPlural() + "." + NETWORK_CHAOS.getGroup()).endMetadata()
                .withNewSpec().withGroup(NETWORK_CHAOS.getGroup()).withScope("Namespaced")
                .withNewNames().withKind(NETWORK_CHAOS.getKind()).withPlural(NETWORK_CHAOS.getPlural())
                .withSingular("networkchaos").withListKind("NetworkChaosList").endNames()
                .addNewVersion().withName(NETWORK_CHAOS.getVersion()).withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
                .withNewSubresources().withNewStatus().endStatus().endSubresources()
                .endVersion().endSpec().build();
    }

    private static void installCrd(KubernetesClient client) {
        CustomResourceDefinition crd = crd();
        if (client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).get() == null) {
            client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        }
    }

    private void safeSync() {
        try {
            sync();
        } catch (KubernetesClientException e) {
            log.accept("chaos-mesh: " + e.getMessage());
        } catch (RuntimeException e) {
            log.accept("chaos-mesh: " + e);
        }
    }

    /** One poll: applies every NetworkChaos partition in force, heals the others. */
    synchronized void sync() {
        List<GenericKubernetesResource> objects = client.genericKubernetesResources(NETWORK_CHAOS).inNamespace(namespace)
                .list().getItems();
        Map<String, Map<String, String>> nodeLabels = new HashMap<>();
        for (Node n : client.nodes().list().getItems()) {
            nodeLabels.put(n.getMetadata().getName(), labels(n.getMetadata().getLabels()));
        }
        Map<String, List<Pod>> podsByNamespace = new HashMap<>();
        Set<String> inForce = new HashSet<>();
        Instant now = clock.instant();
        for (GenericKubernetesResource o : objects) {
            String id = o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
            String uid = o.getMetadata().getUid() == null ? id : o.getMetadata().getUid();
            if (o.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            Partition p;
            try {
                p = Partition.of(o);
            } catch (NotModelled e) {
                if (said.add(uid)) {
                    log.accept("chaos-mesh: NetworkChaos " + id + ": not modelled, ignored: " + e.getMessage());
                }
                continue;
            }
            Instant start = created(o, uid, now);
            if (p.duration() != null && !now.isBefore(start.plus(p.duration()))) {
                if (applied.containsKey(id) && said.add(uid)) {
                    log.accept("chaos-mesh: NetworkChaos " + id + ": its duration " + p.duration() + " passed");
                }
                continue;
            }
            String ns = o.getMetadata().getNamespace();
            Set<String> from = resolve(p.selector(), ns, nodeLabels, podsByNamespace);
            Set<String> to = resolve(p.target(), ns, nodeLabels, podsByNamespace);
            partitions.partition(id, from, to, p.direction());
            inForce.add(id);
            String what = from + " " + arrow(p.direction()) + " " + to;
            if (!what.equals(applied.put(id, what))) {
                log.accept("chaos-mesh: NetworkChaos " + id + ": partition " + what);
            }
        }
        for (String id : new ArrayList<>(applied.keySet())) {
            if (!inForce.contains(id)) {
                partitions.heal(id);
                applied.remove(id);
                log.accept("chaos-mesh: NetworkChaos " + id + ": healed");
            }
        }
    }

    private static String arrow(Direction d) {
        return switch (d) {
            case TO -> "->";
            case FROM -> "<-";
            case BOTH -> "<->";
        };
    }

    /** Its creationTimestamp, or when the double first saw it. */
    private Instant created(GenericKubernetesResource o, String uid, Instant now) {
        String ts = o.getMetadata().getCreationTimestamp();
        if (ts != null) {
            try {
                return Instant.parse(ts);
            } catch (DateTimeParseException ignored) {
                // fall through to first seen
            }
        }
        return firstSeen.computeIfAbsent(uid, u -> now);
    }

    /** The IPs of the Running pods a selector selects. */
    private Set<String> resolve(Selector s, String ownNamespace, Map<String, Map<String, String>> nodeLabels,
                                Map<String, List<Pod>> podsByNamespace) {
        Set<String> ips = new TreeSet<>();
        List<String> namespaces = s.namespaces().isEmpty() ? List.of(ownNamespace) : s.namespaces();
        for (String ns : namespaces) {
            List<Pod> pods = podsByNamespace.computeIfAbsent(ns, n -> client.pods().inNamespace(n).list().getItems());
            for (Pod pod : pods) {
                if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null
                        || !"Running".equals(pod.getStatus().getPhase()) || pod.getStatus().getPodIP() == null) {
                    continue;
                }
                if (!contains(labels(pod.getMetadata().getLabels()), s.labels())) {
                    continue;
                }
                if (!s.nodeLabels().isEmpty()) {
                    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
                    if (node == null || !contains(nodeLabels.getOrDefault(node, Map.of()), s.nodeLabels())) {
                        continue;
                    }
                }
                ips.add(pod.getStatus().getPodIP());
            }
        }
        return ips;
    }

    private static boolean contains(Map<String, String> labels, Map<String, String> wanted) {
        return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    private static Map<String, String> labels(Map<String, String> labels) {
        return labels == null ? Map.of() : labels;
    }

    @Override
    public void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            // nothing of the double's stays in force once it is gone (the lab's network may outlive it in a test)
            for (String id : applied.keySet()) {
                try {
                    partitions.heal(id);
                } catch (RuntimeException ignored) {
                    // the network is gone already
                }
            }
            applied.clear();
        }
    }

    // ---- the part of NetworkChaos's spec the double understands

    record Selector(List<String> namespaces, Map<String, String> labels, Map<String, String> nodeLabels) {
    }

    record Partition(Selector selector, Selector target, Direction direction, Duration duration) {
        static Partition of(GenericKubernetesResource o) {
            Object specObject = o.getAdditionalProperties().get("spec");
            if (!(specObject instanceof Map<?, ?> spec)) {
                throw new NotModelled("no spec");
            }
            unknownKeys(spec, SPEC_KEYS, "spec");
            if (!"partition".equals(spec.get("action"))) {
                throw new NotModelled("action " + spec.get("action") + " (only partition is)");
            }
            if (!"all".equals(spec.get("mode"))) {
                throw new NotModelled("mode " + spec.get("mode") + " (only all is)");
            }
            if (!(spec.get("target") instanceof Map<?, ?> target)) {
                throw new NotModelled("a partition without a target");
            }
            unknownKeys(target, Set.of("mode", "value", "selector"), "target");
            if (!"all".equals(target.get("mode"))) {
                throw new NotModelled("target mode " + target.get("mode") + " (only all is)");
            }
            Direction direction = switch (spec.get("direction") == null ? "to" : String.valueOf(spec.get("direction"))) {
                case "to" -> Direction.TO;
                case "from" -> Direction.FROM;
                case "both" -> Direction.BOTH;
                default -> throw new NotModelled("direction " + spec.get("direction"));
            };
            Duration duration = spec.get("duration") == null ? null : goDuration(String.valueOf(spec.get("duration")));
            return new Partition(selector(spec.get("selector"), "selector"), selector(target.get("selector"), "target.selector"),
                    direction, duration);
        }

        private static Selector selector(Object value, String where) {
            if (value == null) {
                return new Selector(List.of(), Map.of(), Map.of());
            }
            if (!(value instanceof Map<?, ?> m)) {
                throw new NotModelled(where + " is not a map");
            }
            unknownKeys(m, SELECTOR_KEYS, where);
            List<String> namespaces = new ArrayList<>();
            if (m.get("namespaces") instanceof List<?> l) {
                l.forEach(x -> namespaces.add(String.valueOf(x)));
            }
            return new Selector(namespaces, stringMap(m.get("labelSelectors")), stringMap(m.get("nodeSelectors")));
        }

        private static Map<String, String> stringMap(Object value) {
            Map<String, String> out = new HashMap<>();
            if (value instanceof Map<?, ?> m) {
                m.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
            }
            return out;
        }

        /** A field the double does not model, set (not null or empty): the object is not modelled. */
        private static void unknownKeys(Map<?, ?> m, Set<String> known, String where) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object v = e.getValue();
                boolean empty = v == null || (v instanceof Map<?, ?> x && x.isEmpty())
                        || (v instanceof List<?> y && y.isEmpty()) || "".equals(v);
                if (!known.contains(String.valueOf(e.getKey())) && !empty) {
                    throw new NotModelled(where + "." + e.getKey());
                }
            }
        }
    }

    private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    /** A Go duration ("90s", "1h30m", "500ms"), as Chaos Mesh's {@code duration} is. */
    static Duration goDuration(String s) {
        Matcher m = GO_DURATION_PART.matcher(s.trim());
        double nanos = 0;
        int end = 0;
        while (m.find() && m.start() == end) {
            double n = Double.parseDouble(m.group(1));
            nanos += n * switch (m.group(2)) {
                case "ns" -> 1d;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            end = m.end();
        }
        if (end == 0 || end != s.trim().length()) {
            throw new NotModelled("duration '" + s + "' is not a Go duration");
        }
        return Duration.ofNanos((long) nanos);
    }

    static final class NotModelled extends RuntimeException {
        NotModelled(String message) {
            super(message, null, false, false);
        }
    }
}
