package io.crosszone.lab;

import io.crosszone.k8s.BrokerCr;
import io.crosszone.k8s.RocketMqCrds;
import io.crosszone.k8s.RocketMqKind;
import io.crosszone.lab.operator.OperatorWorkloads;
import io.crosszone.lab.operator.StatefulSetPods;
import io.crosszone.plan.OperatorNames;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Lays down, through any fabric8 client, a freshly installed RocketMQ operator deployment in
 * STATIC mode, as the runbook starts from: nodes {@code k8s-node-01..} zone by zone with no zone
 * label yet, the operator's CRDs, the Broker CR {@code broker} (STATIC), NameService
 * {@code namesrv}, optionally a Console and a Controller CR, the broker ConfigMap with
 * {@code broker-common.conf}, and what the operator, scheduler, kubelet and a volume provisioner
 * would have made of them: the STATIC StatefulSets (built by {@link OperatorWorkloads}, so an
 * {@link io.crosszone.lab.operator.OperatorDouble} finds nothing to change), Running and Ready
 * pods bound to nodes with IPs, and PVCs bound to PersistentVolumes.
 */
public final class StaticDeploymentFixture {
    private String namespace = "rocketmq";
    private String brokerCr = "broker";
    private String nameServiceCr = "namesrv";
    private String controllerCr;
    private String consoleCr = "console";
    private String configMap = "broker-config";
    private String volumeClaimTemplate = "broker-storage";
    private List<String> zones = List.of("az1", "az2");
    private int nodesPerZone = 3;
    private int groups = 3;
    private int replicaPerGroup = 1;
    private int nameServers = 2;
    private String reclaimPolicy = "Delete";
    private String topologyZoneLabel;
    private boolean allowRestart = true;
    private IntFunction<String> podIp = StaticDeploymentFixture::madeUpPodIp;

    public static StaticDeploymentFixture runbook() {
        return new StaticDeploymentFixture();
    }

    public StaticDeploymentFixture namespace(String ns) {
        this.namespace = ns;
        return this;
    }

    public StaticDeploymentFixture brokerCr(String name) {
        this.brokerCr = name;
        return this;
    }

    /** Broker groups ({@code spec.size}) and replicas besides each master ({@code spec.replicaPerGroup}). */
    public StaticDeploymentFixture brokers(int groups, int replicaPerGroup) {
        this.groups = groups;
        this.replicaPerGroup = replicaPerGroup;
        return this;
    }

    public StaticDeploymentFixture zones(List<String> zones, int nodesPerZone) {
        this.zones = List.copyOf(zones);
        this.nodesPerZone = nodesPerZone;
        return this;
    }

    public StaticDeploymentFixture nameServers(int size) {
        this.nameServers = size;
        return this;
    }

    /** Also create a Controller CR of this name (a fresh install has none). */
    public StaticDeploymentFixture withControllerCr(String name) {
        this.controllerCr = name;
        return this;
    }

    /** The Console CR's name, or null for none. */
    public StaticDeploymentFixture consoleCr(String name) {
        this.consoleCr = name;
        return this;
    }

    /** Label each node with {@code key=<zone>} already (e.g. topology.kubernetes.io/zone). */
    /** The Broker CR's allowRestart (true by default, as the operator's samples have it). */
    public StaticDeploymentFixture allowRestart(boolean allow) {
        this.allowRestart = allow;
        return this;
    }

    public StaticDeploymentFixture topologyZoneLabel(String key) {
        this.topologyZoneLabel = key;
        return this;
    }

    public StaticDeploymentFixture reclaimPolicy(String policy) {
        this.reclaimPolicy = policy;
        return this;
    }

    /** The default IP of the {@code i}-th pod laid down (name servers first, then brokers): 10.244.x.y, routable nowhere here. */
    public static String madeUpPodIp(int i) {
        return "10.244." + (i / 250) + "." + (i % 250 + 2);
    }

    /** The IP of the i-th pod created (name servers first); the lab gives name servers their processes' addresses. */
    public StaticDeploymentFixture podIps(IntFunction<String> podIp) {
        this.podIp = podIp;
        return this;
    }

    public String namespace() {
        return namespace;
    }

    /** The node names, zone by zone: {@code k8s-node-01..}. */
    public Map<String, List<String>> nodesByZone() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        int n = 1;
        for (String z : zones) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < nodesPerZone; i++) {
                names.add(String.format("k8s-node-%02d", n++));
            }
            out.put(z, names);
        }
        return out;
    }

    /** Creates everything; the namespace must not hold these objects yet. */
    public void apply(KubernetesClient client) {
        RocketMqCrds.all().forEach(crd -> client.apiextensions().v1().customResourceDefinitions().resource(crd).create());
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
                .create();
        List<String> nodes = new ArrayList<>();
        nodesByZone().forEach((zone, names) -> names.forEach(name -> {
            nodes.add(name);
            NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name)
                    .addToLabels("kubernetes.io/hostname", name).endMetadata()
                    .withNewSpec().endSpec()
                    .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus();
            if (topologyZoneLabel != null) {
                b.editMetadata().addToLabels(topologyZoneLabel, zone).endMetadata();
            }
            client.nodes().resource(b.build()).create();
        }));

        client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder()
                .withNewMetadata().withName(configMap).withNamespace(namespace).endMetadata()
                .addToData("broker-common.conf", String.join("\n",
                        "# brokerClusterName, brokerName, brokerId are set by the operator",
                        "deleteWhen=04",
                        "fileReservedTime=48",
                        "flushDiskType=ASYNC_FLUSH",
                        "brokerRole=ASYNC_MASTER", ""))
                .build()).create();

        int[] podIndex = {0};
        GenericKubernetesResource ns = create(client, RocketMqKind.NAME_SERVICE, nameServiceCr, nameServiceSpec());
        List<String> nameServerAddrs = new ArrayList<>();
        StatefulSet nsSts = create(client, OperatorWorkloads.nameServiceStatefulSet(ns));
        for (int i = 0; i < nameServers; i++) {
            String ip = podIp.apply(podIndex[0]);
            runPod(client, nsSts, i, nodes.get(podIndex[0]++ % nodes.size()), ip);
            nameServerAddrs.add(ip + ":" + OperatorNames.NAME_SERVER_PORT);
        }
        nameServerAddrs.sort(null);

        BrokerCr broker = new BrokerCr(create(client, RocketMqKind.BROKER, brokerCr, brokerSpec()));
        int brokerPod = 0;
        for (int g = 0; g < groups; g++) {
            for (int i = 0; i <= replicaPerGroup; i++) {
                StatefulSet sts = create(client, OperatorWorkloads.brokerStatefulSet(broker, g, i,
                        String.join(";", nameServerAddrs), null));
                for (PersistentVolumeClaim t : StatefulSetPods.claimTemplates(sts)) {
                    bindClaim(client, StatefulSetPods.pvc(sts, t, 0));
                }
                runPod(client, sts, 0, nodes.get(brokerPod++ % nodes.size()), podIp.apply(podIndex[0]++));
            }
        }
        if (controllerCr != null) {
            create(client, RocketMqKind.CONTROLLER, controllerCr, Map.of(
                    "controllerImage", "ghcr.io/ksmartdata/rocketmq-controller:v5.1.4", "size", 1,
                    "storageMode", "EmptyDir", "hostPath", "/data/rocketmq/controller",
                    "volumeClaimTemplates", List.of(Map.of("metadata", Map.of("name", "controller-storage")))));
        }
        if (consoleCr != null) {
            // the shape of upstream's sample rocketmq_v1alpha1_rocketmq_cluster.yaml
            Map<String, Object> labels = Map.of("app", "rocketmq-console");
            GenericKubernetesResource console = create(client, RocketMqKind.CONSOLE, consoleCr, Map.of("nameServers", "",
                    "consoleDeployment", Map.of("apiVersion", "apps/v1", "kind", "Deployment",
                            "metadata", Map.of("labels", labels),
                            "spec", Map.of("replicas", 1, "selector", Map.of("matchLabels", labels),
                                    "template", Map.of("metadata", Map.of("labels", labels),
                                            "spec", Map.of("containers", List.of(Map.of("name", "console",
                                                    "image", "apacherocketmq/rocketmq-dashboard:1.0.0",
                                                    "ports", List.of(Map.of("containerPort", 8080))))))))));
            client.apps().deployments().inNamespace(namespace)
                    .resource(OperatorWorkloads.consoleDeployment(console, String.join(";", nameServerAddrs))).create();
        }
    }

    private Map<String, Object> nameServiceSpec() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("size", nameServers);
        spec.put("nameServiceImage", "ghcr.io/ksmartdata/rocketmq-nameserver:v5.1.4");
        spec.put("imagePullPolicy", "IfNotPresent");
        spec.put("hostNetwork", false);
        spec.put("dnsPolicy", "ClusterFirst");
        spec.put("storageMode", "EmptyDir");
        spec.put("hostPath", "/data/rocketmq/nameserver");
        spec.put("volumeClaimTemplates", List.of(Map.of("metadata", Map.of("name", "namesrv-storage"))));
        return spec;
    }

    private Map<String, Object> brokerSpec() {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("size", groups);
        spec.put("replicaPerGroup", replicaPerGroup);
        spec.put("brokerImage", "ghcr.io/ksmartdata/rocketmq-broker:v5.1.4");
        spec.put("imagePullPolicy", "IfNotPresent");
        spec.put("allowRestart", allowRestart);
        spec.put("storageMode", "StorageClass");
        spec.put("hostPath", "/data/rocketmq/broker");
        spec.put("clusterMode", BrokerCr.STATIC);
        spec.put("resources", Map.of("requests", Map.of("memory", "2Gi"), "limits", Map.of("memory", "2Gi")));
        spec.put("scalePodName", brokerCr + "-0-master-0");
        spec.put("volumes", List.of(Map.of("name", configMap, "configMap", Map.of("name", configMap,
                "items", List.of(Map.of("key", "broker-common.conf", "path", "broker-common.conf"))))));
        spec.put("volumeClaimTemplates", List.of(Map.of("metadata", Map.of("name", volumeClaimTemplate),
                "spec", Map.of("accessModes", List.of("ReadWriteOnce"), "storageClassName", "local-storage",
                        "resources", Map.of("requests", Map.of("storage", "8Gi"))))));
        return spec;
    }

    private GenericKubernetesResource create(KubernetesClient client, RocketMqKind kind, String name,
                                             Map<String, Object> spec) {
        GenericKubernetesResource r = new GenericKubernetesResourceBuilder()
                .withApiVersion(kind.apiVersion()).withKind(kind.kind())
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .addToAdditionalProperties("spec", spec)
                .build();
        return client.genericKubernetesResources(kind.context()).inNamespace(namespace).resource(r).create();
    }

    private StatefulSet create(KubernetesClient client, StatefulSet sts) {
        return client.apps().statefulSets().inNamespace(namespace).resource(sts).create();
    }

    /** A pod as the StatefulSet controller made it, then bound by the scheduler and started by the kubelet. */
    private void runPod(KubernetesClient client, StatefulSet sts, int ordinal, String node, String ip) {
        Pod pod = StatefulSetPods.pod(sts, ordinal);
        pod.getSpec().setNodeName(node);
        pod.getStatus().setPhase("Running");
        pod.getStatus().setPodIP(ip);
        pod.getStatus().setConditions(List.of(new PodConditionBuilder().withType("Ready").withStatus("True").build()));
        client.pods().inNamespace(namespace).resource(pod).create();
    }

    /** A PVC bound to a PersistentVolume named {@code pv-<claim>}, as a provisioner would leave it. */
    private void bindClaim(KubernetesClient client, PersistentVolumeClaim claim) {
        String pvName = "pv-" + claim.getMetadata().getName();
        client.persistentVolumes().resource(new PersistentVolumeBuilder()
                .withNewMetadata().withName(pvName).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").addToCapacity("storage", new Quantity("8Gi"))
                .withStorageClassName("local-storage").withPersistentVolumeReclaimPolicy(reclaimPolicy)
                .withNewClaimRef().withNamespace(namespace).withName(claim.getMetadata().getName()).endClaimRef()
                .withNewHostPath().withPath("/data/rocketmq/broker/" + claim.getMetadata().getName()).endHostPath()
                .endSpec()
                .withNewStatus().withPhase("Bound").endStatus()
                .build()).create();
        claim.getSpec().setVolumeName(pvName);
        claim.getStatus().setPhase("Bound");
        client.persistentVolumeClaims().inNamespace(namespace).resource(claim).create();
    }
}
