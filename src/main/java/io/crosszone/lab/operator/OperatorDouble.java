package io.crosszone.lab.operator;

import io.crosszone.core.Json;
import io.crosszone.k8s.BrokerCr;
import io.crosszone.k8s.ControllerCr;
import io.crosszone.k8s.RocketMqKind;
import io.crosszone.plan.OperatorNames;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A test and lab double for the RocketMQ operator <em>and</em> the Kubernetes StatefulSet
 * controller and garbage collector, over any fabric8 client (the mock API server in tests and in
 * the lab). It stands in for:
 * <ul>
 *   <li>apache/rocketmq-operator (03741c8): for each NameService CR a StatefulSet {@code <cr>};
 *   for each Controller CR the headless Service, the StatefulSet {@code <cr>} and the Service
 *   {@code <cr>-svc} (then {@code <cr>-svc:9878} is the controller access point); for each Broker
 *   CR, once a name server pod runs with an IP (or {@code spec.nameServers} is set) and, in
 *   CONTROLLER mode, once a controller access point exists, the missing broker StatefulSets, one
 *   replica each, named for the CR's {@code clusterMode} ({@code <cr>-<g>-master},
 *   {@code <cr>-<g>-replica-<n>} or {@code <cr>-<g>-<i>}), built by {@link OperatorWorkloads}.
 *   Like upstream it never updates or deletes an existing StatefulSet, except that with
 *   {@code allowRestart} it rewrites NAMESRV_ADDR when the running name servers change. So
 *   switching a CR to CONTROLLER leaves the STATIC StatefulSets in place.</li>
 *   <li>with {@link Flavour#KSMARTDATA}, the ksmartdata fork behind the ghcr.io/ksmartdata images:
 *   every reconcile overwrites each StatefulSet's spec with the desired one when they differ, so a
 *   per-StatefulSet patch (e.g. an affinity) is reverted. (Its other bug, writing the master's spec
 *   onto replica StatefulSets, is not modelled.)</li>
 *   <li>the StatefulSet controller: pods {@code <sts>-<n>} and their PVCs from the template;
 *   a deleted pod is recreated; a pod made from an older template is replaced (one at a time, only
 *   while the others are Ready: a rolling update; only ordinals at or above
 *   {@code rollingUpdate.partition}); ordinals beyond {@code replicas} are deleted.
 *   Pods are created Pending with no {@code nodeName}: a scheduler double binds them and a
 *   kubelet double makes them Running/Ready (the lab adds both; tests mark pods Ready).</li>
 *   <li>the garbage collector: StatefulSets whose owning CR is gone and pods whose StatefulSet is
 *   gone are deleted (background propagation).</li>
 *   <li>the console controller: the Deployment {@code <console-cr>} (no pods).</li>
 * </ul>
 * Not simulated: status updates of the CRs, broker scale-out metadata copying, console pods, the
 * operator's global state across namespaces (here every namespace is on its own), PVC binding.
 *
 * <p>It reconciles on every watch event of the namespace and every {@code resync} (upstream
 * requeues every 6 s), on one thread, reading fresh state from the API each time.
 */
public final class OperatorDouble implements AutoCloseable {
    /** Which operator build to behave like. */
    public enum Flavour {
        /** apache/rocketmq-operator: creates what is missing, never updates a StatefulSet spec. */
        UPSTREAM,
        /** The ksmartdata fork: also overwrites StatefulSet specs that differ from the desired ones. */
        KSMARTDATA
    }

    private final KubernetesClient client;
    private final String namespace;
    private final Flavour flavour;
    private final Duration resync;
    private final boolean statefulSetController;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final AtomicInteger reconciles = new AtomicInteger();
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final Map<String, String> lastNameServers = new HashMap<>();
    private volatile boolean closed;

    private OperatorDouble(Builder b) {
        this.client = b.client;
        this.namespace = b.namespace;
        this.flavour = b.flavour;
        this.resync = b.resync;
        this.statefulSetController = b.statefulSetController;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "operator-double-" + namespace);
            t.setDaemon(true);
            return t;
        });
    }

    public static Builder builder(KubernetesClient client, String namespace) {
        return new Builder(client, namespace);
    }

    /** Watches the namespace and reconciles on every change and every resync. */
    public OperatorDouble start() {
        Watcher<Object> trigger = new Watcher<>() {
            @Override
            public void eventReceived(Action action, Object resource) {
                trigger();
            }

            @Override
            public void onClose(WatcherException cause) {
                // the periodic resync keeps the double working without this watch
            }
        };
        for (RocketMqKind kind : List.of(RocketMqKind.BROKER, RocketMqKind.NAME_SERVICE, RocketMqKind.CONTROLLER,
                RocketMqKind.CONSOLE)) {
            watches.add(client.genericKubernetesResources(kind.context()).inNamespace(namespace).watch(cast(trigger)));
        }
        watches.add(client.apps().statefulSets().inNamespace(namespace).watch(cast(trigger)));
        watches.add(client.pods().inNamespace(namespace).watch(cast(trigger)));
        executor.scheduleWithFixedDelay(this::reconcileQuietly, 0, resync.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    @SuppressWarnings("unchecked")
    private static <T> Watcher<T> cast(Watcher<Object> w) {
        return (Watcher<T>) (Watcher<?>) w;
    }

    private void trigger() {
        if (!closed && pending.compareAndSet(false, true)) {
            executor.execute(this::reconcileQuietly);
        }
    }

    /** Runs one reconcile pass now, on the double's thread, and waits for it. */
    public void reconcileNow() {
        try {
            executor.submit(this::reconcileQuietly).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("operator double: reconcile failed: " + e.getMessage(), e);
        }
    }

    /** How many reconcile passes ran. */
    public int reconciles() {
        return reconciles.get();
    }

    /** API errors seen while reconciling (a reconcile is retried at the next pass). */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    @Override
    public void close() {
        closed = true;
        watches.forEach(Watch::close);
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void reconcileQuietly() {
        pending.set(false);
        if (closed) {
            return;
        }
        try {
            reconcile();
        } catch (KubernetesClientException e) {
            // a conflict or a vanished object: the next pass starts again from fresh state
            errors.add(e.getMessage());
        } catch (RuntimeException e) {
            errors.add(e.toString());
        }
        reconciles.incrementAndGet();
    }

    private void reconcile() {
        String nameServers = reconcileNameServices();
        String controllerAccessPoint = reconcileControllers();
        for (GenericKubernetesResource r : crs(RocketMqKind.BROKER)) {
            reconcileBroker(new BrokerCr(r), nameServers, controllerAccessPoint);
        }
        reconcileConsoles(nameServers);
        new GarbageCollectorDouble(client, namespace).collect();
        if (statefulSetController) {
            StatefulSetControllerDouble statefulSets = new StatefulSetControllerDouble(client, namespace);
            for (StatefulSet sts : client.apps().statefulSets().inNamespace(namespace).list().getItems()) {
                statefulSets.reconcile(sts);
            }
        }
    }

    private List<GenericKubernetesResource> crs(RocketMqKind kind) {
        return client.genericKubernetesResources(kind.context()).inNamespace(namespace).list().getItems().stream()
                .filter(r -> r.getMetadata().getDeletionTimestamp() == null).toList();
    }

    /** Returns NAMESRV_ADDR: the running name-server pods' IPs, sorted, {@code ip:9876} joined by ';'. */
    private String reconcileNameServices() {
        Set<String> ips = new TreeSet<>();
        for (GenericKubernetesResource cr : crs(RocketMqKind.NAME_SERVICE)) {
            ensureStatefulSet(OperatorWorkloads.nameServiceStatefulSet(cr));
            for (Pod p : client.pods().inNamespace(namespace)
                    .withLabels(OperatorNames.nameServiceLabels(cr.getMetadata().getName())).list().getItems()) {
                if ("Running".equals(p.getStatus() == null ? null : p.getStatus().getPhase())
                        && p.getStatus().getPodIP() != null && !p.getStatus().getPodIP().isEmpty()) {
                    ips.add(p.getStatus().getPodIP());
                }
            }
        }
        return ips.stream().map(ip -> ip + ":" + OperatorNames.NAME_SERVER_PORT).collect(Collectors.joining(";"));
    }

    private String reconcileControllers() {
        String accessPoint = null;
        for (GenericKubernetesResource cr : crs(RocketMqKind.CONTROLLER)) {
            List<Service> services = OperatorWorkloads.controllerServices(cr);
            ensureService(services.get(0));
            ensureStatefulSet(OperatorWorkloads.controllerStatefulSet(cr));
            ensureService(services.get(1));
            accessPoint = ControllerCr.serviceName(cr.getMetadata().getName()) + ":" + OperatorNames.CONTROLLER_PORT;
        }
        return accessPoint;
    }

    /**
     * Upstream's console controller: the Deployment {@code <cr>} is created once, from the name
     * servers of that moment (or the CR's own {@code nameServers}); afterwards only its replicas
     * follow the CR. No ReplicaSet or console pod is simulated (the dashboard is not a Maven
     * Central artifact): what the lab shows is the Deployment a task may restart.
     */
    private void reconcileConsoles(String discoveredNameServers) {
        for (GenericKubernetesResource cr : crs(RocketMqKind.CONSOLE)) {
            String own = io.crosszone.k8s.Fields.string(cr.getAdditionalProperties(), "spec", "nameServers");
            String nameServers = own != null && !own.isEmpty() ? own : discoveredNameServers;
            if (nameServers.isEmpty()) {
                continue; // upstream: "Waiting for name server ready..."
            }
            Deployment desired;
            try {
                desired = OperatorWorkloads.consoleDeployment(cr, nameServers);
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage()); // upstream would crash on this CR; the other kinds go on
                continue;
            }
            var deployments = client.apps().deployments().inNamespace(namespace);
            Deployment found = deployments.withName(desired.getMetadata().getName()).get();
            if (found == null) {
                deployments.resource(desired).create();
            } else if (!Objects.equals(found.getSpec().getReplicas(), desired.getSpec().getReplicas())) {
                deployments.withName(found.getMetadata().getName()).edit(d -> {
                    d.getSpec().setReplicas(desired.getSpec().getReplicas());
                    return d;
                });
            }
        }
    }

    private void reconcileBroker(BrokerCr cr, String discoveredNameServers, String controllerAccessPoint) {
        String nameServers = cr.nameServers() != null ? cr.nameServers() : discoveredNameServers;
        if (nameServers.isEmpty()) {
            return; // upstream: "Broker Waiting for name server ready..."
        }
        if (cr.controllerMode() && controllerAccessPoint == null) {
            return; // upstream: "Broker Waiting for Controller ready..."
        }
        String previous = lastNameServers.put(cr.name(), nameServers);
        boolean nameServersChanged = previous != null && !previous.equals(nameServers) && cr.nameServers() == null;
        for (int g = 0; g < cr.groups(); g++) {
            for (int i = 0; i <= cr.replicaPerGroup(); i++) {
                StatefulSet desired = OperatorWorkloads.brokerStatefulSet(cr, g, i, nameServers, controllerAccessPoint);
                StatefulSet found = ensureStatefulSet(desired);
                if (found != null && nameServersChanged && Boolean.TRUE.equals(cr.spec().get("allowRestart"))) {
                    updateNameServers(found, nameServers);
                }
            }
        }
    }

    /** Upstream with allowRestart: NAMESRV_ADDR is rewritten in place, which restarts the broker. */
    private void updateNameServers(StatefulSet sts, String nameServers) {
        client.apps().statefulSets().inNamespace(namespace).withName(sts.getMetadata().getName()).edit(s -> {
            for (EnvVar e : s.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
                if ("NAMESRV_ADDR".equals(e.getName())) {
                    e.setValue(nameServers);
                }
            }
            return s;
        });
    }

    /** Creates the StatefulSet if missing; KSMARTDATA also overwrites a differing spec. Returns the existing one. */
    private StatefulSet ensureStatefulSet(StatefulSet desired) {
        String name = desired.getMetadata().getName();
        StatefulSet found = client.apps().statefulSets().inNamespace(namespace).withName(name).get();
        if (found == null) {
            client.apps().statefulSets().inNamespace(namespace).resource(desired).create();
            return null;
        }
        if (flavour == Flavour.KSMARTDATA && !sameSpec(found, desired)) {
            client.apps().statefulSets().inNamespace(namespace).withName(name).edit(s -> {
                s.setSpec(desired.getSpec());
                return s;
            });
        }
        return found;
    }

    /** Compares what the fork compares; NAMESRV_ADDR is left out since upstream handles it apart. */
    private static boolean sameSpec(StatefulSet found, StatefulSet desired) {
        StatefulSet a = io.crosszone.core.Json.MAPPER.convertValue(found, StatefulSet.class);
        StatefulSet b = io.crosszone.core.Json.MAPPER.convertValue(desired, StatefulSet.class);
        for (StatefulSet s : List.of(a, b)) {
            s.getSpec().getTemplate().getSpec().getContainers().forEach(c -> {
                if (c.getEnv() != null) {
                    c.getEnv().removeIf(e -> "NAMESRV_ADDR".equals(e.getName()));
                }
            });
            if (s.getSpec().getTemplate().getMetadata().getAnnotations() != null) {
                s.getSpec().getTemplate().getMetadata().getAnnotations().remove("kubectl.kubernetes.io/restartedAt");
            }
        }
        return Objects.equals(a.getSpec(), b.getSpec());
    }

    private void ensureService(Service desired) {
        if (client.services().inNamespace(namespace).withName(desired.getMetadata().getName()).get() == null) {
            client.services().inNamespace(namespace).resource(desired).create();
        }
    }

    /** How the double is set up. */
    public static final class Builder {
        private final KubernetesClient client;
        private final String namespace;
        private Flavour flavour = Flavour.UPSTREAM;
        private Duration resync = Duration.ofSeconds(6);
        private boolean statefulSetController = true;

        private Builder(KubernetesClient client, String namespace) {
            this.client = client;
            this.namespace = namespace;
        }

        public Builder flavour(Flavour flavour) {
            this.flavour = flavour;
            return this;
        }

        /** The periodic reconcile (upstream requeues every 6 s); tests use a few hundred ms. */
        public Builder resync(Duration resync) {
            this.resync = resync;
            return this;
        }

        /** Whether to stand in for the StatefulSet controller too (default true). */
        public Builder statefulSetController(boolean on) {
            this.statefulSetController = on;
            return this;
        }

        public OperatorDouble build() {
            return new OperatorDouble(this);
        }

        public OperatorDouble start() {
            return build().start();
        }
    }
}
