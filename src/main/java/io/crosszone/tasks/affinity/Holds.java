package io.crosszone.tasks.affinity;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a StatefulSet's patch with its rollout held back or released. A RollingUpdate
 * StatefulSet replaces its pods as soon as its template changes; {@code --no-restart} (and a
 * name server or controller that must not restart now) holds that back with
 * {@code updateStrategy.rollingUpdate.partition = replicas} (no ordinal is below it, so no pod is
 * replaced) and marks the StatefulSet with {@link AffinityPlan#HELD_ANNOTATION}. A later run
 * that restarts sets the partition back to 0, which replaces the pods made from the old template.
 * (While held, a pod deleted by hand comes back from the old template: that is Kubernetes'
 * partition semantics.) OnDelete StatefulSets need no hold: they never replace a pod by themselves.
 */
final class Holds {
    private Holds() {
    }

    static Map<String, Object> statefulSetPatch(ObjectChange c, boolean hold, int replicas, boolean onDelete) {
        Map<String, Object> patch = deepCopy(c.patch());
        if (onDelete) {
            return patch;
        }
        if (hold && c.changes() && !c.held()) {
            put(patch, Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("partition", replicas)), "spec", "updateStrategy");
            put(patch, "true", "metadata", "annotations", AffinityPlan.HELD_ANNOTATION);
        } else if (!hold && c.held()) {
            put(patch, 0, "spec", "updateStrategy", "rollingUpdate", "partition");
            put(patch, null, "metadata", "annotations", AffinityPlan.HELD_ANNOTATION);
        }
        return patch;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> root, Object value, String... path) {
        Map<String, Object> cur = root;
        for (int i = 0; i < path.length - 1; i++) {
            cur = (Map<String, Object>) cur.computeIfAbsent(path[i], k -> new LinkedHashMap<String, Object>());
        }
        cur.put(path[path.length - 1], value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v instanceof Map<?, ?> sub ? deepCopy((Map<String, Object>) sub) : v));
        return out;
    }
}
