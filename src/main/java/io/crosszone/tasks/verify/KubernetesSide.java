package io.crosszone.tasks.verify;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.k8s.K8sStatus;
import io.crosszone.k8s.NameServerEnv;
import io.crosszone.plan.BrokerPlacement;
import io.crosszone.plan.OperatorNames;
import io.crosszone.plan.PlacementPlan;
import io.crosszone.tasks.verify.DistributionSnapshot.BrokerPod;
import io.crosszone.tasks.verify.DistributionSnapshot.ControllerStorage;
import io.crosszone.tasks.verify.DistributionSnapshot.MemberPod;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Turns the Kubernetes objects into the Kubernetes half of a {@link DistributionSnapshot}. Pure. */
final class KubernetesSide {
    private KubernetesSide() {
    }

    static Map<String, String> nodeZones(List<Node> nodes, String zoneKey) {
        Map<String, String> zones = new HashMap<>();
        for (Node n : nodes) {
            Map<String, String> labels = n.getMetadata().getLabels();
            if (labels != null && labels.get(zoneKey) != null) {
                zones.put(n.getMetadata().getName(), labels.get(zoneKey));
            }
        }
        return zones;
    }

    static List<BrokerPod> brokers(ClusterObjects o, PlacementPlan plan) {
        List<BrokerPod> out = new ArrayList<>();
        for (BrokerPlacement p : plan.brokers()) {
            Optional<StatefulSet> sts = o.statefulSets().stream()
                    .filter(s -> s.getMetadata().getName().equals(p.statefulSet())).findFirst();
            if (sts.isEmpty()) {
                continue;
            }
            Pod pod = pod(o, OperatorNames.podOf(p.statefulSet()));
            var template = sts.get().getSpec().getTemplate();
            out.add(new BrokerPod(p.statefulSet(), p.group(), p.replica(), pod == null ? null : pod.getMetadata().getName(),
                    pod == null ? null : pod.getSpec().getNodeName(), pod == null ? null : pod.getStatus().getPodIP(),
                    pod != null && K8sStatus.podReady(pod),
                    template.getSpec() == null ? null : template.getSpec().getAffinity(),
                    template.getMetadata() == null ? Map.of() : template.getMetadata().getLabels(),
                    NameServerEnv.of(sts.get()).orElse(null)));
        }
        return out;
    }

    static List<MemberPod> members(ClusterObjects o, Map<String, String> labels) {
        return o.pods().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getMetadata().getLabels() != null
                        && p.getMetadata().getLabels().entrySet().containsAll(labels.entrySet()))
                .map(p -> new MemberPod(p.getMetadata().getName(), p.getSpec().getNodeName(), p.getStatus() == null
                        ? null : p.getStatus().getPodIP(), K8sStatus.podReady(p)))
                .sorted(java.util.Comparator.comparing(MemberPod::pod)).toList();
    }

    private static Pod pod(ClusterObjects o, String name) {
        return o.pods().stream().filter(p -> p.getMetadata().getName().equals(name)
                && p.getMetadata().getDeletionTimestamp() == null).findFirst().orElse(null);
    }

    /**
     * The controller's storage: a ReadWriteOnce claim is zonal when its volume is pinned to a
     * zone or node (PV nodeAffinity) or not known yet (most cloud block storage is zonal).
     */
    @SuppressWarnings("unchecked")
    static ControllerStorage controllerStorage(ClusterObjects o, CrosszoneConfig config) {
        GenericKubernetesResource cr = o.controllerCrs().stream()
                .filter(c -> c.getMetadata().getName().equals(config.getResources().getController())).findFirst().orElse(null);
        if (cr == null) {
            return null;
        }
        Map<String, Object> spec = (Map<String, Object>) cr.getAdditionalProperties().getOrDefault("spec", Map.of());
        String mode = Objects.toString(spec.get("storageMode"), "EmptyDir");
        if (!"StorageClass".equals(mode)) {
            return new ControllerStorage(mode, false);
        }
        List<PersistentVolumeClaim> claims = o.pvcs().stream()
                .filter(c -> c.getMetadata().getLabels() != null
                        && config.getResources().getController().equals(c.getMetadata().getLabels().get(OperatorNames.CONTROLLER_CR_LABEL)))
                .toList();
        boolean zonal = true;
        if (!claims.isEmpty()) {
            zonal = claims.stream().anyMatch(c -> {
                boolean rwo = c.getSpec().getAccessModes() == null || c.getSpec().getAccessModes().contains("ReadWriteOnce");
                PersistentVolume pv = o.pvs().stream().filter(v -> v.getMetadata().getName().equals(c.getSpec().getVolumeName()))
                        .findFirst().orElse(null);
                return rwo && (pv == null || pv.getSpec().getNodeAffinity() != null);
            });
        } else {
            Object templates = spec.get("volumeClaimTemplates");
            if (templates instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?> t
                    && t.get("spec") instanceof Map<?, ?> ts && ts.get("accessModes") instanceof List<?> modes) {
                zonal = modes.contains("ReadWriteOnce");
            }
        }
        return new ControllerStorage(mode, zonal);
    }
}
