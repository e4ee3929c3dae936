package io.crosszone.tasks.affinity;

import io.crosszone.core.JsonMaps;

import io.crosszone.k8s.KubernetesGateway;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a StatefulSet's patch with its rollout held back or released. A RollingUpdate
 * StatefulSet replaces its pods as soon as its template changes; {@code --no-restart} (and a
 * name server or controller that must not restart now) holds that back with
 * {@code updateStrategy.rollingUpdate.partition = replicas} (no ordinal is below it, so no pod is
 * replaced) and marks the StatefulSet with {@link AffinityPlan#HELD_ANNOTATION}. A later run
 * that restarts sets the partition back to 0 (and the mark to "false"), which replaces the pods
 * made from the old template. (While held, a pod deleted by hand comes back from the old
 * template: that is Kubernetes' partition semantics.) OnDelete StatefulSets need no hold: they
 * never replace a pod by themselves.
 */
final class Holds {
    private static final String MARK = "/metadata/annotations/" + JsonMaps.escapePointer(AffinityPlan.HELD_ANNOTATION);

    private Holds() {
    }

    static List<Map<String, Object>> statefulSetPatch(ObjectChange c, StatefulSet sts, boolean hold, int replicas,
                                                      boolean onDelete) {
        List<Map<String, Object>> ops = new ArrayList<>(c.patch());
        if (onDelete) {
            return ops;
        }
        if (hold && c.changes() && !c.held()) {
            ops.add(0, AffinityPlan.add("/spec/updateStrategy",
                    Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("partition", replicas))));
            ops.add(0, sts.getMetadata().getAnnotations() == null || sts.getMetadata().getAnnotations().isEmpty()
                    ? AffinityPlan.add("/metadata/annotations", Map.of(AffinityPlan.HELD_ANNOTATION, "true"))
                    : AffinityPlan.add(MARK, "true"));
        } else if (!hold && c.held()) {
            ops.add(AffinityPlan.add("/spec/updateStrategy", Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("partition", 0))));
            ops.add(AffinityPlan.add(MARK, "false"));
        }
        return ops;
    }
}
