package io.crosszone.lab.kubelet;

import io.crosszone.k8s.NameServerEnv;
import io.crosszone.lab.network.LabNetworkModel;
import io.crosszone.lab.rocketmq.LocalRocketMqCluster;
import io.crosszone.lab.rocketmq.RocketMqProcess;
import io.crosszone.lab.rocketmq.Role;
import io.crosszone.lab.scheduler.LabelMatchingAccess;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Stands in for the kubelets of the lab's nodes: every RocketMQ pod bound to a node runs as a
 * real RocketMQ process of {@link LocalRocketMqCluster}, whose address becomes the pod IP.
 * <ul>
 *   <li>a pod bound (or a new pod of the same name, a new uid): its process starts; the pod turns
 *       Running and Ready once the process listens;</li>
 *   <li>a pod deleted: its process is killed (SIGKILL: what a node loss or a zero-grace delete does);</li>
 *   <li>data: kept across pods on the same PersistentVolumeClaim (a claim made again is empty), or a hostPath on the
 *       same node as before; an emptyDir (or a hostPath on another node) starts empty;</li>
 *   <li>a deny-all NetworkPolicy (Ingress and Egress with no rules) selecting a pod cuts its process
 *       off ({@link PodCuts}: its packets dropped at its zone's border, or where the lab has no
 *       network namespaces, the process frozen with SIGSTOP); removing it restores the process;</li>
 *   <li>brokers get the properties of the {@code broker-common.conf} their pod mounts from a
 *       ConfigMap, as the operator's image does, and register with the name servers their pod's
 *       {@code NAMESRV_ADDR} names (pod IPs are the processes' addresses).</li>
 * </ul>
 * Not modelled: container restarts, probes, resource limits, node NotReady.
 */
public final class KubeletDouble implements AutoCloseable {
    /** Keys the cluster sets per process (addresses, ports, stores, identity): never from the ConfigMap. */
    private static final Set<String> OWNED_KEYS = Set.of("brokerIP1", "brokerIP2", "listenPort", "haListenPort",
            "namesrvAddr", "storePathRootDir", "storePathCommitLog", "brokerName", "brokerClusterName", "brokerId",
            "controllerAddr", "enableControllerMode", "bindAddress");

    private final KubernetesClient client;
    private final String namespace;
    private final LocalRocketMqCluster cluster;
    private final Consumer<String> log;
    private final ScheduledExecutorService loop;
    private final ExecutorService starters = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "kubelet-double-start");
        t.setDaemon(true);
        return t;
    });
    /** pod name -> the uid whose process runs now */
    private final Map<String, String> running = new ConcurrentHashMap<>();
    private final Map<String, String> lastNode = new ConcurrentHashMap<>();
    /** pod name -> the uids of the claims its last process ran on */
    private final Map<String, List<String>> lastClaims = new ConcurrentHashMap<>();
    /** pods whose processes are cut off now */
    private final Set<String> frozen = ConcurrentHashMap.newKeySet();
    private final PodCuts cuts;

    public KubeletDouble(KubernetesClient client, String namespace, LocalRocketMqCluster cluster, long periodMillis,
                         Consumer<String> log) {
        this(client, namespace, cluster, periodMillis, log, PodCuts.freezing());
    }

    public KubeletDouble(KubernetesClient client, String namespace, LocalRocketMqCluster cluster, long periodMillis,
                         Consumer<String> log, PodCuts cuts) {
        this.cuts = cuts;
        this.client = client;
        this.namespace = namespace;
        this.cluster = cluster;
        this.log = log;
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kubelet-double");
            t.setDaemon(true);
            return t;
        });
        loop.scheduleWithFixedDelay(this::safeSync, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void safeSync() {
        try {
            sync();
        } catch (KubernetesClientException e) {
            log.accept("kubelet: " + e.getMessage());
        } catch (RuntimeException e) {
            log.accept("kubelet: " + e);
        }
    }

    synchronized void sync() {
        List<Pod> pods = client.pods().inNamespace(namespace).list().getItems();
        Set<String> present = new HashSet<>();
        for (Pod pod : pods) {
            String name = pod.getMetadata().getName();
            if (pod.getMetadata().getDeletionTimestamp() != null || pod.getSpec().getNodeName() == null) {
                continue;
            }
            RocketMqProcess member = PodRoles.memberFor(pod, cluster).orElse(null);
            if (member == null) {
                continue;
            }
            present.add(name);
            String uid = pod.getMetadata().getUid();
            if (!uid.equals(running.get(name))) {
                launch(pod, member);
            } else if (!member.isRunning() && !member.isFrozen() && ready(pod)) {
                markNotReady(name, "process exited");
            }
        }
        for (String name : new ArrayList<>(running.keySet())) {
            if (!present.contains(name)) {
                running.remove(name);
                boolean wasCut = frozen.remove(name);
                memberOfPodName(name).ifPresent(m -> {
                    m.kill();
                    log.accept("kubelet: pod " + name + " deleted: killed " + m);
                    if (wasCut) {
                        cuts.restore(List.of(m)); // its pod IP is free for the next pod
                    }
                });
            }
        }
        applyPartitions(pods);
    }

    private final Map<String, RocketMqProcess> memberByPod = new ConcurrentHashMap<>();

    private java.util.Optional<RocketMqProcess> memberOfPodName(String podName) {
        return java.util.Optional.ofNullable(memberByPod.get(podName));
    }

    private void launch(Pod pod, RocketMqProcess member) {
        String name = pod.getMetadata().getName();
        String node = pod.getSpec().getNodeName();
        running.put(name, pod.getMetadata().getUid());
        memberByPod.put(name, member);
        List<String> claims = claimUids(pod);
        boolean keepData = keepsData(pod, lastNode.get(name), node, lastClaims.get(name), claims);
        lastNode.put(name, node);
        lastClaims.put(name, claims);
        if (member.role() == Role.BROKER) {
            brokerProperties(pod).forEach(member::setConfig);
            // a broker registers with exactly the name servers its pod's NAMESRV_ADDR names
            NameServerEnv.of(pod.getSpec()).filter(v -> !v.isBlank()).ifPresent(v -> member.setConfig("namesrvAddr", v.trim()));
        }
        starters.submit(() -> {
            try {
                if (member.isRunning()) {
                    member.kill();
                }
                cuts.beforeStart(member, node);
                if (!keepData) {
                    member.wipeData();
                }
                member.start();
                log.accept("kubelet: " + name + " on " + node + " runs " + member + (keepData ? "" : " (empty data)"));
                if (member.awaitListening(Duration.ofSeconds(90))) {
                    markReady(name, pod.getMetadata().getUid(), member.address(), node);
                } else {
                    log.accept("kubelet: " + member + " did not listen within 90 s; see " + member.logFile());
                }
            } catch (RuntimeException e) {
                log.accept("kubelet: starting " + member + " for " + name + " failed: " + e.getMessage());
            }
        });
    }

    /**
     * A PVC-backed store survives a new pod on the same claims (a claim deleted and made again is a
     * new, empty volume; where the scheduler may put the pod is {@code SchedulerDouble}'s business);
     * a hostPath only on the same node; an emptyDir never.
     */
    static boolean keepsData(Pod pod, String previousNode, String node, List<String> previousClaims, List<String> claims) {
        if (previousNode == null) {
            return true;
        }
        List<Volume> volumes = pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
        boolean pvc = volumes.stream().anyMatch(v -> v.getPersistentVolumeClaim() != null);
        boolean hostPath = volumes.stream().anyMatch(v -> v.getHostPath() != null);
        if (pvc) {
            return previousClaims == null || previousClaims.equals(claims);
        }
        return hostPath && previousNode.equals(node);
    }

    /** The uids of the claims the pod mounts, in order ("missing" for one that does not exist). */
    private List<String> claimUids(Pod pod) {
        return io.crosszone.k8s.VolumeTopology.claims(pod).stream().map(c -> {
            var claim = client.persistentVolumeClaims().inNamespace(namespace).withName(c).get();
            return claim == null ? "missing" : claim.getMetadata().getUid();
        }).toList();
    }

    private Map<String, String> brokerProperties(Pod pod) {
        Map<String, String> props = new HashMap<>();
        List<Volume> volumes = pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
        for (Volume v : volumes) {
            if (v.getConfigMap() == null) {
                continue;
            }
            ConfigMap cm = client.configMaps().inNamespace(namespace).withName(v.getConfigMap().getName()).get();
            String conf = cm == null || cm.getData() == null ? null : cm.getData().get("broker-common.conf");
            if (conf == null) {
                continue;
            }
            Properties p = new Properties();
            try {
                p.load(new StringReader(conf));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            p.stringPropertyNames().stream().filter(k -> !OWNED_KEYS.contains(k))
                    .forEach(k -> props.put(k, p.getProperty(k).trim()));
        }
        return props;
    }

    private void markReady(String name, String uid, String ip, String node) {
        try {
            client.pods().inNamespace(namespace).withName(name).editStatus(p -> {
                if (!uid.equals(p.getMetadata().getUid())) {
                    return p;
                }
                p.getStatus().setPhase("Running");
                p.getStatus().setPodIP(ip);
                p.getStatus().setPodIPs(List.of(new io.fabric8.kubernetes.api.model.PodIP(ip)));
                p.getStatus().setHostIP(node);
                p.getStatus().setConditions(conditions(p, "True", null));
                return p;
            });
        } catch (KubernetesClientException e) {
            log.accept("kubelet: pod " + name + " is gone before it became Ready");
        }
    }

    private void markNotReady(String name, String reason) {
        client.pods().inNamespace(namespace).withName(name).editStatus(p -> {
            p.getStatus().setConditions(conditions(p, "False", reason));
            return p;
        });
    }

    private static List<PodCondition> conditions(Pod p, String ready, String reason) {
        List<PodCondition> c = new ArrayList<>(p.getStatus().getConditions() == null ? List.of() : p.getStatus().getConditions());
        c.removeIf(x -> "Ready".equals(x.getType()) || "ContainersReady".equals(x.getType()));
        String now = Instant.now().toString();
        c.add(new PodConditionBuilder().withType("Ready").withStatus(ready).withReason(reason).withLastTransitionTime(now).build());
        c.add(new PodConditionBuilder().withType("ContainersReady").withStatus(ready).withReason(reason)
                .withLastTransitionTime(now).build());
        return c;
    }

    private static boolean ready(Pod p) {
        return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Cuts off the processes of pods a deny-all NetworkPolicy selects; restores those no longer selected. */
    private void applyPartitions(List<Pod> pods) {
        List<NetworkPolicy> policies = client.network().v1().networkPolicies().inNamespace(namespace).list().getItems();
        Set<String> cut = new HashSet<>();
        for (NetworkPolicy np : policies) {
            if (!denyAll(np)) {
                continue;
            }
            for (Pod pod : pods) {
                if (LabelMatchingAccess.matches(np.getSpec().getPodSelector(), pod.getMetadata().getLabels())) {
                    cut.add(pod.getMetadata().getName());
                }
            }
            stampModel(np);
        }
        // all at once, as a zone's network goes: one cut for every newly selected pod
        List<String> newlyCut = new ArrayList<>();
        for (String name : cut) {
            RocketMqProcess m = memberByPod.get(name);
            if (m != null && m.isRunning() && frozen.add(name)) {
                newlyCut.add(name);
            }
        }
        if (!newlyCut.isEmpty()) {
            cuts.cut(newlyCut.stream().map(memberByPod::get).toList());
            log.accept("kubelet: " + newlyCut + " cut off by a NetworkPolicy (" + cuts.model().id() + ")");
        }
        List<String> restored = new ArrayList<>();
        for (String name : new ArrayList<>(frozen)) {
            if (!cut.contains(name) && frozen.remove(name) && memberByPod.containsKey(name)) {
                restored.add(name);
            }
        }
        if (!restored.isEmpty()) {
            cuts.restore(restored.stream().map(memberByPod::get).toList());
            log.accept("kubelet: " + restored + " reachable again (" + cuts.model().id() + ")");
        }
    }

    /**
     * Annotates a policy it enforces with how ({@link #NETWORK_MODEL_ANNOTATION}), so that whoever
     * made it (a drill) can say in its report which model its cut ran under.
     */
    private void stampModel(NetworkPolicy np) {
        Map<String, String> a = np.getMetadata().getAnnotations();
        if (a != null && cuts.model().id().equals(a.get(NETWORK_MODEL_ANNOTATION))) {
            return;
        }
        try {
            client.network().v1().networkPolicies().inNamespace(namespace).withName(np.getMetadata().getName())
                    .edit(p -> {
                        if (p.getMetadata().getAnnotations() == null) {
                            p.getMetadata().setAnnotations(new HashMap<>());
                        }
                        p.getMetadata().getAnnotations().put(NETWORK_MODEL_ANNOTATION, cuts.model().id());
                        return p;
                    });
        } catch (KubernetesClientException e) {
            log.accept("kubelet: cannot annotate NetworkPolicy " + np.getMetadata().getName() + ": " + e.getMessage());
        }
    }

    /** On a NetworkPolicy the lab enforces: {@code packet-drop} or {@code freeze} ({@link LabNetworkModel#id()}). */
    public static final String NETWORK_MODEL_ANNOTATION = "lab.crosszone.io/network-model";

    /** How this kubelet cuts pods off. */
    public LabNetworkModel networkModel() {
        return cuts.model();
    }

    static boolean denyAll(NetworkPolicy np) {
        List<String> types = np.getSpec().getPolicyTypes() == null ? List.of() : np.getSpec().getPolicyTypes();
        boolean noIngress = np.getSpec().getIngress() == null || np.getSpec().getIngress().isEmpty();
        boolean noEgress = np.getSpec().getEgress() == null || np.getSpec().getEgress().isEmpty();
        return types.contains("Ingress") && types.contains("Egress") && noIngress && noEgress;
    }

    @Override
    public void close() {
        loop.shutdownNow();
        starters.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
            starters.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
