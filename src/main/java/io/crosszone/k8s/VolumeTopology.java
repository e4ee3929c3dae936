package io.crosszone.k8s;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a PersistentVolume can be attached: a volume with a required node affinity (a zonal disk,
 * a local disk) only on the nodes it selects, one without (network storage) anywhere. Pure.
 */
public final class VolumeTopology {
    private VolumeTopology() {
    }

    /** Whether a pod on {@code node} can use {@code pv}. */
    public static boolean attachable(PersistentVolume pv, Node node) {
        if (pv.getSpec() == null || pv.getSpec().getNodeAffinity() == null
                || pv.getSpec().getNodeAffinity().getRequired() == null
                || pv.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms() == null
                || pv.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().isEmpty()) {
            return true;
        }
        Map<String, String> labels = node.getMetadata().getLabels();
        return pv.getSpec().getNodeAffinity().getRequired().getNodeSelectorTerms().stream()
                .anyMatch(t -> NodeSelectors.matches(t, labels));
    }

    /** The values of {@code zoneKey} on the nodes where {@code pv} can be attached. */
    public static Set<String> zones(PersistentVolume pv, List<Node> nodes, String zoneKey) {
        Set<String> out = new TreeSet<>();
        for (Node n : nodes) {
            String zone = n.getMetadata().getLabels() == null ? null : n.getMetadata().getLabels().get(zoneKey);
            if (zone != null && attachable(pv, n)) {
                out.add(zone);
            }
        }
        return out;
    }

    /** The claim names a pod mounts. */
    public static List<String> claims(Pod pod) {
        List<Volume> volumes = pod.getSpec() == null || pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
        return volumes.stream().map(Volume::getPersistentVolumeClaim).filter(Objects::nonNull)
                .map(c -> c.getClaimName()).toList();
    }
}
