package io.crosszone.tasks.affinity;

import io.crosszone.k8s.Fields;
import io.crosszone.plan.BrokerPlacement;
import io.crosszone.plan.PlacementPlan;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What apply-affinity has to write, computed from the placement plan and the objects read. Pure.
 *
 * <p>Each CR gets its {@code spec.affinity} (the operator copies it into a StatefulSet it
 * <em>creates</em>; the Broker CR gets only the part every broker shares, since it has one
 * affinity for all of them), and each StatefulSet its pod template's affinity (and labels):
 * upstream never updates an existing StatefulSet from its CR, so only that reaches running pods.
 */
public final class AffinityPlan {
    /** Marks a StatefulSet whose rollout {@code --no-restart} held back (with {@code rollingUpdate.partition}). */
    public static final String HELD_ANNOTATION = "crosszone.io/rollout-held";

    private AffinityPlan() {
    }

    /** Every object in the order they are handled: name server, controller, broker StatefulSets, Broker CR. */
    public static List<ObjectChange> plan(PlacementPlan plan, ObservedState s) {
        List<ObjectChange> out = new ArrayList<>();
        out.add(cr(ObjectChange.Target.NAME_SERVICE_CR, s.nameService(), plan.nameServer()));
        out.add(statefulSet(ObjectChange.Target.NAME_SERVICE_STATEFULSET, s.nameServiceStatefulSet(), plan.nameServer(),
                Map.of(), null));
        out.add(cr(ObjectChange.Target.CONTROLLER_CR, s.controller(), plan.controller()));
        out.add(statefulSet(ObjectChange.Target.CONTROLLER_STATEFULSET, s.controllerStatefulSet(), plan.controller(),
                Map.of(), null));
        for (BrokerPlacement b : plan.brokers()) {
            StatefulSet sts = s.brokerStatefulSets().get(b.statefulSet());
            if (sts == null) {
                throw new IllegalArgumentException("no StatefulSet " + b.statefulSet() + " was read");
            }
            out.add(statefulSet(ObjectChange.Target.BROKER_STATEFULSET, sts, b.affinity(), b.podLabels(), b));
        }
        out.add(cr(ObjectChange.Target.BROKER_CR, s.broker().resource(), plan.brokerCommon()));
        return List.copyOf(out);
    }

    static ObjectChange cr(ObjectChange.Target target, GenericKubernetesResource cr, Affinity planned) {
        Map<String, Object> current = Fields.map(cr.getAdditionalProperties(), "spec", "affinity");
        Map<String, Object> desired = JsonMaps.toMap(planned);
        Map<String, Object> affinityPatch = JsonMaps.mergePatch(current, desired);
        Map<String, Object> patch = affinityPatch.isEmpty() ? Map.of()
                : Map.of("spec", Map.of("affinity", current.isEmpty() ? desired : affinityPatch));
        return new ObjectChange(target, cr.getMetadata().getName(), view(current, null), view(desired, null), patch,
                null, false);
    }

    static ObjectChange statefulSet(ObjectChange.Target target, StatefulSet sts, Affinity planned,
                                    Map<String, String> podLabels, BrokerPlacement broker) {
        Map<String, Object> current = JsonMaps.toMap(sts.getSpec().getTemplate().getSpec().getAffinity());
        Map<String, Object> desired = JsonMaps.toMap(planned);
        Map<String, String> labels = sts.getSpec().getTemplate().getMetadata() == null ? null
                : sts.getSpec().getTemplate().getMetadata().getLabels();
        Map<String, Object> currentLabels = new LinkedHashMap<>();
        Map<String, Object> labelPatch = new LinkedHashMap<>();
        podLabels.forEach((k, v) -> {
            String now = labels == null ? null : labels.get(k);
            currentLabels.put(k, now);
            if (!v.equals(now)) {
                labelPatch.put(k, v);
            }
        });
        Map<String, Object> affinityPatch = JsonMaps.mergePatch(current, desired);
        Map<String, Object> template = new LinkedHashMap<>();
        if (!labelPatch.isEmpty()) {
            template.put("metadata", Map.of("labels", labelPatch));
        }
        if (!affinityPatch.isEmpty()) {
            template.put("spec", Map.of("affinity", current == null || current.isEmpty() ? desired : affinityPatch));
        }
        Map<String, Object> patch = template.isEmpty() ? Map.of() : Map.of("spec", Map.of("template", template));
        Map<String, Object> desiredLabels = new LinkedHashMap<>(podLabels);
        return new ObjectChange(target, sts.getMetadata().getName(), view(current, currentLabels),
                view(desired, desiredLabels), patch, broker, held(sts));
    }

    /** True when an earlier --no-restart run held this StatefulSet's rollout. */
    static boolean held(StatefulSet sts) {
        Map<String, String> a = sts.getMetadata().getAnnotations();
        return a != null && "true".equals(a.get(HELD_ANNOTATION));
    }

    private static Map<String, Object> view(Map<String, Object> affinity, Map<String, Object> labels) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("affinity", affinity);
        if (labels != null && !labels.isEmpty()) {
            v.put("labels", labels);
        }
        return v;
    }
}
