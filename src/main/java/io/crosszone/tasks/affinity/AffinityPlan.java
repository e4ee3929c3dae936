package io.crosszone.tasks.affinity;

import io.crosszone.core.JsonMaps;
import io.crosszone.k8s.Fields;
import io.crosszone.k8s.NameServerEnv;
import io.crosszone.plan.BrokerPlacement;
import io.crosszone.plan.PlacementPlan;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

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
            out.add(statefulSet(ObjectChange.Target.BROKER_STATEFULSET, sts, b.affinity(), b.podLabels(), b,
                    s.runningNameServers()));
        }
        out.add(cr(ObjectChange.Target.BROKER_CR, s.broker().resource(), plan.brokerCommon()));
        return List.copyOf(out);
    }

    static ObjectChange cr(ObjectChange.Target target, GenericKubernetesResource cr, Affinity planned) {
        Map<String, Object> current = Fields.map(cr.getAdditionalProperties(), "spec", "affinity");
        Map<String, Object> desired = JsonMaps.toMap(planned);
        List<Map<String, Object>> ops = JsonMaps.same(current, desired) ? List.of() : List.of(add("/spec/affinity", desired));
        return new ObjectChange(target, cr.getMetadata().getName(), view(current, null), view(desired, null), ops,
                null, false);
    }

    static ObjectChange statefulSet(ObjectChange.Target target, StatefulSet sts, Affinity planned,
                                    Map<String, String> podLabels, BrokerPlacement broker) {
        return statefulSet(target, sts, planned, podLabels, broker, Set.of());
    }

    /**
     * A StatefulSet's placement; for a broker, also its NAMESRV_ADDR when it no longer names the
     * running name servers ({@code runningNameServers}, empty: not compared). The operator left
     * the template alone when the name servers moved (allowRestart=false: it updated the running
     * brokers in place), so the restart this rollout does would register the broker with name
     * servers that are gone; the template gets the running ones, which is what the operator would
     * render now.
     */
    static ObjectChange statefulSet(ObjectChange.Target target, StatefulSet sts, Affinity planned,
                                    Map<String, String> podLabels, BrokerPlacement broker, Set<String> runningNameServers) {
        Map<String, Object> current = JsonMaps.toMap(sts.getSpec().getTemplate().getSpec().getAffinity());
        Map<String, Object> desired = JsonMaps.toMap(planned);
        ObjectMeta meta = sts.getSpec().getTemplate().getMetadata();
        Map<String, String> labels = meta == null ? null : meta.getLabels();
        Map<String, Object> currentLabels = new LinkedHashMap<>();
        Map<String, Object> missing = new LinkedHashMap<>();
        podLabels.forEach((k, v) -> {
            String now = labels == null ? null : labels.get(k);
            currentLabels.put(k, now);
            if (!v.equals(now)) {
                missing.put(k, v);
            }
        });
        List<Map<String, Object>> ops = new ArrayList<>();
        if (!missing.isEmpty()) {
            if (meta == null) {
                ops.add(add("/spec/template/metadata", Map.of("labels", missing)));
            } else if (labels == null || labels.isEmpty()) {
                ops.add(add("/spec/template/metadata/labels", missing));
            } else {
                missing.forEach((k, v) -> ops.add(add("/spec/template/metadata/labels/" + JsonMaps.escapePointer(k), v)));
            }
        }
        if (!JsonMaps.same(current, desired)) {
            ops.add(add("/spec/template/spec/affinity", desired));
        }
        Map<String, Object> before = view(current, currentLabels);
        Map<String, Object> after = view(desired, new LinkedHashMap<>(podLabels));
        Optional<String> env = NameServerEnv.of(sts);
        if (!runningNameServers.isEmpty() && env.isPresent()
                && !NameServerEnv.addresses(env.get()).equals(new TreeSet<>(runningNameServers))) {
            String running = NameServerEnv.render(runningNameServers);
            ops.add(add(NameServerEnv.pointer(sts).orElseThrow(), running));
            before.put(NAME_SERVERS, env.get());
            after.put(NAME_SERVERS, running);
        }
        return new ObjectChange(target, sts.getMetadata().getName(), before, after, List.copyOf(ops), broker, held(sts));
    }

    /** The key of a broker's NAMESRV_ADDR in {@link ObjectChange#before()}/{@code after()}, when it changes. */
    static final String NAME_SERVERS = NameServerEnv.NAME;

    /** A JSON patch {@code add}: sets a member, replacing what is there. */
    static Map<String, Object> add(String path, Object value) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("op", "add");
        op.put("path", path);
        op.put("value", value);
        return op;
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
