package io.crosszone.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;

/**
 * A read-only view of a Broker CR. Beware the operator's counting: {@code spec.replicaPerGroup}
 * is the number of replicas <em>besides</em> the master (the operator creates index 0 plus
 * 1..replicaPerGroup), so a group has {@link #brokersPerGroup()} = replicaPerGroup + 1 brokers,
 * which is what the configuration's {@code replicasPerGroup} means.
 */
public record BrokerCr(GenericKubernetesResource resource) {
    public static final String STATIC = "STATIC";
    public static final String CONTROLLER = "CONTROLLER";

    public String name() {
        return resource.getMetadata().getName();
    }

    public String namespace() {
        return resource.getMetadata().getNamespace();
    }

    public Map<String, Object> spec() {
        return Fields.map(resource.getAdditionalProperties(), "spec");
    }

    /** {@code spec.size}: the number of broker groups. */
    public int groups() {
        Integer size = Fields.integer(spec(), "size");
        return size == null ? 0 : size;
    }

    /** {@code spec.replicaPerGroup}: replicas besides the master. */
    public int replicaPerGroup() {
        Integer r = Fields.integer(spec(), "replicaPerGroup");
        return r == null ? 0 : r;
    }

    /** Brokers in each group: the master and its replicas. */
    public int brokersPerGroup() {
        return replicaPerGroup() + 1;
    }

    /** {@code spec.clusterMode}; the operator treats a missing value as STATIC. */
    public String clusterMode() {
        String mode = Fields.string(spec(), "clusterMode");
        return mode == null || mode.isEmpty() ? STATIC : mode;
    }

    public boolean controllerMode() {
        return CONTROLLER.equals(clusterMode());
    }

    /** The name of {@code spec.volumes[0]}, the volume the operator mounts broker-common.conf from. */
    public String configVolumeName() {
        return Fields.string(spec(), "volumes", 0, "name");
    }

    /** The ConfigMap behind {@code spec.volumes[0]}, or null when it is not a ConfigMap volume. */
    public String configMapName() {
        return Fields.string(spec(), "volumes", 0, "configMap", "name");
    }

    /** {@code spec.volumeClaimTemplates[0].metadata.name}: the prefix of every broker PVC. */
    public String volumeClaimTemplateName() {
        return Fields.string(spec(), "volumeClaimTemplates", 0, "metadata", "name");
    }

    public String storageMode() {
        return Fields.string(spec(), "storageMode");
    }

    /** {@code spec.nameServers}: a fixed name server list, or null when the operator finds them. */
    public String nameServers() {
        String s = Fields.string(spec(), "nameServers");
        return s == null || s.isEmpty() ? null : s;
    }

    /** {@code spec.env}: appended by the operator after its own entries. */
    public List<Object> env() {
        return Fields.list(spec(), "env");
    }
}
