package io.crosszone.lab.operator;

import io.crosszone.core.Json;
import io.crosszone.k8s.BrokerCr;
import io.crosszone.k8s.ControllerCr;
import io.crosszone.k8s.Fields;
import io.crosszone.plan.OperatorNames;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The objects the apache/rocketmq-operator (at 03741c8) would create for a CR: pure builders, no
 * I/O. Names, labels, env and volumes follow the operator's {@code getBrokerStatefulSet},
 * {@code getENV} and the controller and name-service reconcilers; container details the
 * tasks do not read (lifecycle hooks, security contexts, probes) are left out.
 * {@link io.crosszone.lab.StaticDeploymentFixture} uses the same builders, so what a fixture
 * lays down is exactly what the double would have created.
 */
public final class OperatorWorkloads {
    public static final String BROKER_CONFIG_PATH = "/home/rocketmq/rocketmq-5.1.4/conf/broker-common.conf";

    private OperatorWorkloads() {
    }

    /** The StatefulSet name of broker {@code index} of group {@code group} in the CR's current mode. */
    public static String brokerStatefulSetName(BrokerCr cr, int group, int index) {
        if (cr.controllerMode()) {
            return OperatorNames.brokerStatefulSet(cr.name(), group, index);
        }
        return index == 0 ? cr.name() + "-" + group + "-master" : cr.name() + "-" + group + "-replica-" + index;
    }

    /**
     * A broker StatefulSet as the operator builds it: one replica, selector and pod labels
     * {@code app=broker, broker_cr=<cr>} (the same on every broker StatefulSet), env NAMESRV_ADDR,
     * BROKER_ID, BROKER_CLUSTER_NAME, BROKER_NAME, POD_IP and, in CONTROLLER mode,
     * enableControllerMode and controllerAddr, then {@code spec.env}.
     */
    public static StatefulSet brokerStatefulSet(BrokerCr cr, int group, int index, String nameServers,
                                                String controllerAccessPoint) {
        Map<String, Object> spec = cr.spec();
        Map<String, String> labels = OperatorNames.brokerLabels(cr.name());
        String vct = cr.volumeClaimTemplateName();
        String suffix = index == 0 ? "/" + cr.name() + "-" + group + "-master"
                : "/" + cr.name() + "-" + group + "-replica-" + index;
        List<EnvVar> env = new ArrayList<>();
        env.add(env("NAMESRV_ADDR", nameServers == null ? "" : nameServers));
        env.add(env("BROKER_ID", String.valueOf(index)));
        env.add(env("BROKER_CLUSTER_NAME", cr.name()));
        env.add(env("BROKER_NAME", OperatorNames.brokerName(cr.name(), group)));
        env.add(new EnvVarBuilder().withName("POD_IP").withNewValueFrom().withNewFieldRef()
                .withFieldPath("status.podIP").endFieldRef().endValueFrom().build());
        if (cr.controllerMode()) {
            env.add(env("enableControllerMode", "true"));
            env.add(env("controllerAddr", controllerAccessPoint));
        }
        env.addAll(convertList(cr.env(), EnvVar.class));

        Container container = new ContainerBuilder()
                .withName("broker")
                .withImage(Fields.string(spec, "brokerImage"))
                .withImagePullPolicy(Fields.string(spec, "imagePullPolicy"))
                .withResources(convert(Fields.map(spec, "resources"), ResourceRequirements.class))
                .withEnv(env)
                .addNewPort().withName("vip").withContainerPort(10909).endPort()
                .addNewPort().withName("main").withContainerPort(OperatorNames.BROKER_PORT).endPort()
                .addNewPort().withName("ha").withContainerPort(10912).endPort()
                .withVolumeMounts(
                        new VolumeMountBuilder().withMountPath("/home/rocketmq/logs").withName(vct)
                                .withSubPath("logs" + suffix).build(),
                        new VolumeMountBuilder().withMountPath("/home/rocketmq/store").withName(vct)
                                .withSubPath("store" + suffix).build(),
                        new VolumeMountBuilder().withMountPath(BROKER_CONFIG_PATH)
                                .withName(cr.configVolumeName()).withSubPath("broker-common.conf").build())
                .build();

        List<Volume> volumes = new ArrayList<>(convertList(Fields.list(spec, "volumes"), Volume.class));
        String storageMode = cr.storageMode();
        List<PersistentVolumeClaim> claims = List.of();
        if ("StorageClass".equals(storageMode)) {
            claims = convertList(Fields.list(spec, "volumeClaimTemplates"), PersistentVolumeClaim.class);
        } else if ("EmptyDir".equals(storageMode)) {
            volumes.add(new VolumeBuilder().withName(vct).withNewEmptyDir().endEmptyDir().build());
        } else {
            volumes.add(new VolumeBuilder().withName(vct).withNewHostPath()
                    .withPath(Fields.string(spec, "hostPath")).endHostPath().build());
        }

        return new StatefulSetBuilder()
                .withNewMetadata().withName(brokerStatefulSetName(cr, group, index)).withNamespace(cr.namespace())
                .withOwnerReferences(ownerOf(cr.resource())).endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector().withMatchLabels(labels).endSelector()
                .withNewUpdateStrategy().withType("RollingUpdate").endUpdateStrategy()
                .withNewTemplate()
                .withNewMetadata().withLabels(labels).withAnnotations(stringMap(Fields.map(spec, "podAnnotations")))
                .endMetadata()
                .withNewSpec()
                .withServiceAccountName(Fields.string(spec, "serviceAccountName"))
                .withHostNetwork((Boolean) Fields.at(spec, "hostNetwork"))
                .withDnsPolicy("ClusterFirstWithHostNet")
                .withAffinity(convert(Fields.map(spec, "affinity"), Affinity.class))
                .withTolerations(convertList(Fields.list(spec, "tolerations"), Toleration.class))
                .withNodeSelector(stringMap(Fields.map(spec, "nodeSelector")))
                .withPriorityClassName(Fields.string(spec, "priorityClassName"))
                .withContainers(container)
                .withVolumes(volumes)
                .endSpec()
                .endTemplate()
                .withVolumeClaimTemplates(claims)
                .endSpec()
                .build();
    }

    /** The name server StatefulSet {@code <cr>} with {@code spec.size} replicas. */
    public static StatefulSet nameServiceStatefulSet(GenericKubernetesResource cr) {
        Map<String, Object> spec = Fields.map(cr.getAdditionalProperties(), "spec");
        Map<String, String> labels = OperatorNames.nameServiceLabels(cr.getMetadata().getName());
        Integer size = Fields.integer(spec, "size");
        return new StatefulSetBuilder()
                .withNewMetadata().withName(cr.getMetadata().getName()).withNamespace(cr.getMetadata().getNamespace())
                .withOwnerReferences(ownerOf(cr)).endMetadata()
                .withNewSpec()
                .withReplicas(size == null ? 1 : size)
                .withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec()
                .withHostNetwork((Boolean) Fields.at(spec, "hostNetwork"))
                .withDnsPolicy(Fields.string(spec, "dnsPolicy"))
                .withAffinity(convert(Fields.map(spec, "affinity"), Affinity.class))
                .withTolerations(convertList(Fields.list(spec, "tolerations"), Toleration.class))
                .withNodeSelector(stringMap(Fields.map(spec, "nodeSelector")))
                .addNewContainer().withName("name-service")
                .withImage(Fields.string(spec, "nameServiceImage"))
                .withImagePullPolicy(Fields.string(spec, "imagePullPolicy"))
                .withResources(convert(Fields.map(spec, "resources"), ResourceRequirements.class))
                .addNewPort().withName("main").withContainerPort(OperatorNames.NAME_SERVER_PORT).endPort()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** The controller StatefulSet {@code <cr>} behind the headless Service, with the DLedger env. */
    public static StatefulSet controllerStatefulSet(GenericKubernetesResource cr) {
        String name = cr.getMetadata().getName();
        Map<String, Object> spec = Fields.map(cr.getAdditionalProperties(), "spec");
        Map<String, String> labels = OperatorNames.controllerLabels(name);
        Integer sizeOrNull = Fields.integer(spec, "size");
        int size = sizeOrNull == null ? 1 : sizeOrNull;
        StringBuilder peers = new StringBuilder();
        for (int i = 0; i < size; i++) {
            peers.append(i == 0 ? "" : ";").append(name).append(i).append('-').append(name).append('-').append(i)
                    .append('.').append(ControllerCr.headlessServiceName(name)).append(':')
                    .append(OperatorNames.CONTROLLER_PORT);
        }
        List<EnvVar> env = new ArrayList<>();
        env.add(new EnvVarBuilder().withName("MY_POD_NAME").withNewValueFrom().withNewFieldRef()
                .withFieldPath("metadata.name").endFieldRef().endValueFrom().build());
        env.add(env("controllerDLegerGroup", "ControllerGroup-" + name));
        env.add(env("controllerDLegerPeers", peers.toString()));
        env.add(env("controllerStorePath", "/home/rocketmq/store"));
        env.addAll(convertList(Fields.list(spec, "env"), EnvVar.class));
        String vct = Fields.string(spec, "volumeClaimTemplates", 0, "metadata", "name");
        List<PersistentVolumeClaim> claims = "StorageClass".equals(Fields.string(spec, "storageMode"))
                ? convertList(Fields.list(spec, "volumeClaimTemplates"), PersistentVolumeClaim.class) : List.of();
        List<Volume> volumes = new ArrayList<>();
        if ("EmptyDir".equals(Fields.string(spec, "storageMode"))) {
            volumes.add(new VolumeBuilder().withName(vct).withNewEmptyDir().endEmptyDir().build());
        } else if (!"StorageClass".equals(Fields.string(spec, "storageMode"))) {
            volumes.add(new VolumeBuilder().withName(vct).withNewHostPath()
                    .withPath(Fields.string(spec, "hostPath")).endHostPath().build());
        }
        return new StatefulSetBuilder()
                .withNewMetadata().withName(name).withNamespace(cr.getMetadata().getNamespace())
                .withOwnerReferences(ownerOf(cr)).endMetadata()
                .withNewSpec()
                .withReplicas(size)
                .withServiceName(ControllerCr.headlessServiceName(name))
                .withNewSelector().withMatchLabels(labels).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec()
                .withAffinity(convert(Fields.map(spec, "affinity"), Affinity.class))
                .withTolerations(convertList(Fields.list(spec, "tolerations"), Toleration.class))
                .withNodeSelector(stringMap(Fields.map(spec, "nodeSelector")))
                .addNewContainer().withName("controller")
                .withImage(Fields.string(spec, "controllerImage"))
                .withImagePullPolicy(Fields.string(spec, "imagePullPolicy"))
                .withResources(convert(Fields.map(spec, "resources"), ResourceRequirements.class))
                .withEnv(env)
                .addNewPort().withName("controller").withContainerPort(OperatorNames.CONTROLLER_PORT).endPort()
                .addNewVolumeMount().withName(vct).withMountPath("/home/rocketmq/logs").withSubPath("logs").endVolumeMount()
                .addNewVolumeMount().withName(vct).withMountPath("/home/rocketmq/store").withSubPath("store").endVolumeMount()
                .endContainer()
                .withVolumes(volumes)
                .endSpec()
                .endTemplate()
                .withVolumeClaimTemplates(claims)
                .endSpec()
                .build();
    }

    /** The controller's Services: {@code <cr>-svc-headless} (headless) and {@code <cr>-svc}. */
    public static List<Service> controllerServices(GenericKubernetesResource cr) {
        String name = cr.getMetadata().getName();
        String ns = cr.getMetadata().getNamespace();
        Map<String, String> labels = OperatorNames.controllerLabels(name);
        Service headless = new ServiceBuilder()
                .withNewMetadata().withName(ControllerCr.headlessServiceName(name)).withNamespace(ns)
                .withOwnerReferences(ownerOf(cr)).endMetadata()
                .withNewSpec().withClusterIP("None").withPublishNotReadyAddresses(true).withSelector(labels)
                .addNewPort().withName("controller").withPort(OperatorNames.CONTROLLER_PORT).endPort()
                .endSpec().build();
        Service svc = new ServiceBuilder()
                .withNewMetadata().withName(ControllerCr.serviceName(name)).withNamespace(ns).withLabels(labels)
                .withOwnerReferences(ownerOf(cr)).endMetadata()
                .withNewSpec().withSelector(labels)
                .addNewPort().withName("controller").withPort(OperatorNames.CONTROLLER_PORT).endPort()
                .endSpec().build();
        return List.of(headless, svc);
    }

    /**
     * The console Deployment {@code <cr>} as upstream's console controller renders it from
     * {@code spec.consoleDeployment}: replicas, selector, template labels and its first container,
     * whose env gets {@code JAVA_OPTS=-Drocketmq.namesrv.addr=<name servers>}. The operator renders
     * it once: later name-server changes never reach it (upstream's own TODO), so a restart
     * reconnects the console but does not give it new addresses.
     */
    public static Deployment consoleDeployment(GenericKubernetesResource cr, String nameServers) {
        Map<String, Object> spec = Fields.map(Fields.map(cr.getAdditionalProperties(), "spec"), "consoleDeployment");
        Deployment template = convert(spec, Deployment.class);
        if (template == null || template.getSpec() == null || template.getSpec().getTemplate() == null
                || template.getSpec().getTemplate().getSpec() == null
                || template.getSpec().getTemplate().getSpec().getContainers() == null
                || template.getSpec().getTemplate().getSpec().getContainers().isEmpty()) {
            throw new IllegalArgumentException("Console " + cr.getMetadata().getName()
                    + ": spec.consoleDeployment needs spec.template.spec.containers[0] (upstream indexes it)");
        }
        Container from = template.getSpec().getTemplate().getSpec().getContainers().get(0);
        List<EnvVar> env = new ArrayList<>(from.getEnv() == null ? List.of() : from.getEnv());
        env.add(env("JAVA_OPTS", "-Drocketmq.namesrv.addr=" + nameServers + " -Dcom.rocketmq.sendMessageWithVIPChannel=false"));
        Container container = new ContainerBuilder().withName(from.getName()).withImage(from.getImage())
                .withImagePullPolicy(from.getImagePullPolicy()).withResources(from.getResources())
                .withPorts(from.getPorts()).withEnv(env).build();
        return new DeploymentBuilder()
                .withNewMetadata().withName(cr.getMetadata().getName()).withNamespace(cr.getMetadata().getNamespace())
                .withOwnerReferences(ownerOf(cr)).endMetadata()
                .withNewSpec().withReplicas(template.getSpec().getReplicas()).withSelector(template.getSpec().getSelector())
                .withNewTemplate().withNewMetadata().withLabels(template.getSpec().getTemplate().getMetadata() == null ? null
                        : template.getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
                .withNewSpec().withImagePullSecrets(template.getSpec().getTemplate().getSpec().getImagePullSecrets())
                .withContainers(container).endSpec().endTemplate().endSpec().build();
    }

    /** The owner reference the operator sets ({@code SetControllerReference}) from a CR. */
    public static OwnerReference ownerOf(GenericKubernetesResource cr) {
        return new OwnerReferenceBuilder().withApiVersion(cr.getApiVersion()).withKind(cr.getKind())
                .withName(cr.getMetadata().getName()).withUid(cr.getMetadata().getUid())
                .withController(true).withBlockOwnerDeletion(true).build();
    }

    private static EnvVar env(String name, String value) {
        return new EnvVar(name, value, null);
    }

    static <T> T convert(Map<String, Object> map, Class<T> type) {
        return map == null || map.isEmpty() ? null : Json.MAPPER.convertValue(map, type);
    }

    static <T> List<T> convertList(List<Object> list, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (Object o : list) {
            out.add(Json.MAPPER.convertValue(o, type));
        }
        return out;
    }

    static Map<String, String> stringMap(Map<String, Object> map) {
        if (map == null || map.isEmpty()) {
            return null;
        }
        Map<String, String> out = new java.util.LinkedHashMap<>();
        map.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }
}
