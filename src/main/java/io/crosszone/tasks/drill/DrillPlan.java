package io.crosszone.tasks.drill;

import io.crosszone.report.Change;
import io.crosszone.tasks.drill.ZonePods.PodInfo;
import io.crosszone.tasks.drill.ZonePods.Role;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a drill of one zone will change, decided before anything is touched (and printed by
 * --dry-run). Pure.
 *
 * <p>Every mode cordons the zone's nodes: in a real zone loss they go NotReady and are tainted, so
 * nothing is scheduled there, and a pod the drill reschedules (the controller) must not land there.
 * {@code kill} deletes the zone's broker pods with no grace period (their processes die, as on a
 * node crash; required anti-affinity keeps the new pods Pending). It does not delete the zone's
 * name-server and controller pods but cuts them off: a lost node's pods stay in the API, so the
 * operator keeps the lost name server in every broker's NAMESRV_ADDR (deleting it would make the
 * operator rewrite NAMESRV_ADDR and, with allowRestart, restart every broker, which a real zone loss
 * does not do), and the controller stays where the runbook finds it, to be moved by the repair.
 * {@code partition} cuts every RocketMQ pod of the zone off with a deny-all NetworkPolicy; the
 * processes stay alive. {@code chaos-mesh} leaves the cut to Chaos Mesh: one NetworkChaos
 * partition per other zone, between the pods on the zone's nodes and those on the other zone's,
 * with Chaos Mesh's own duration as a safety net.
 */
public record DrillPlan(String namespace, String zone, DrillMode mode, List<String> nodesToCordon,
                        List<String> brokerPodsToDelete, List<String> podsToCut, NetworkPolicy networkPolicy,
                        List<GenericKubernetesResource> chaosObjects, List<String> controllerPodsInZone,
                        List<Integer> groupsLosingMaster, List<Integer> groupsLosingMember) {

    public static final String CUT_LABEL = "crosszone.io/drill-cut";
    public static final String DRILL_LABEL = "crosszone.io/drill";
    public static final String CHAOS_API_VERSION = "chaos-mesh.org/v1alpha1";

    /**
     * @param masters group -> its master's address now (from the name server's BID 0)
     */
    public static DrillPlan plan(String namespace, String zoneLabelKey, List<String> zones, String zone, DrillMode mode,
                                 ZonePods pods, Map<Integer, String> masters, Duration maxDuration) {
        List<String> nodes = pods.nodesOf(zone);
        List<PodInfo> inZone = pods.inZone(zone);
        List<String> delete = new ArrayList<>();
        List<String> cut = new ArrayList<>();
        for (PodInfo p : inZone) {
            if (mode == DrillMode.KILL && p.role() == Role.BROKER) {
                delete.add(p.name());
            } else if (mode != DrillMode.CHAOS_MESH) {
                cut.add(p.name());
            }
        }
        List<String> controllers = inZone.stream().filter(p -> p.role() == Role.CONTROLLER).map(PodInfo::name).toList();
        List<Integer> losingMaster = new ArrayList<>();
        masters.forEach((g, addr) -> pods.brokerAt(addr).filter(p -> zone.equals(pods.zoneOf(p)))
                .ifPresent(p -> losingMaster.add(g)));
        losingMaster.sort(null);
        List<Integer> losingMember = inZone.stream().filter(p -> p.role() == Role.BROKER).map(PodInfo::group)
                .distinct().sorted().toList();
        NetworkPolicy np = cut.isEmpty() ? null : networkPolicy(namespace, zone);
        List<GenericKubernetesResource> chaos = mode == DrillMode.CHAOS_MESH
                ? chaos(namespace, zoneLabelKey, zones, zone, maxDuration) : List.of();
        return new DrillPlan(namespace, zone, mode, List.copyOf(nodes), List.copyOf(delete), List.copyOf(cut), np, chaos,
                controllers, List.copyOf(losingMaster), losingMember);
    }

    public static String networkPolicyName(String zone) {
        return "crosszone-drill-" + zone;
    }

    /** Deny-all (Ingress and Egress, no rules) for the pods carrying the zone's cut label. */
    static NetworkPolicy networkPolicy(String namespace, String zone) {
        return new NetworkPolicyBuilder().withNewMetadata().withName(networkPolicyName(zone)).withNamespace(namespace)
                .addToLabels(DRILL_LABEL, zone).endMetadata()
                .withNewSpec().withNewPodSelector().addToMatchLabels(CUT_LABEL, zone).endPodSelector()
                .withPolicyTypes("Ingress", "Egress").endSpec().build();
    }

    static List<GenericKubernetesResource> chaos(String namespace, String zoneLabelKey, List<String> zones, String zone,
                                                 Duration maxDuration) {
        List<GenericKubernetesResource> out = new ArrayList<>();
        for (String other : zones) {
            if (other.equals(zone)) {
                continue;
            }
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("action", "partition");
            spec.put("mode", "all");
            spec.put("direction", "both");
            spec.put("selector", Map.of("namespaces", List.of(namespace), "nodeSelectors", Map.of(zoneLabelKey, zone)));
            spec.put("target", Map.of("mode", "all", "selector",
                    Map.of("namespaces", List.of(namespace), "nodeSelectors", Map.of(zoneLabelKey, other))));
            // Chaos Mesh ends the partition by itself after this, even if the drill's process dies
            spec.put("duration", Math.max(60, maxDuration.toSeconds() + 60) + "s");
            out.add(new GenericKubernetesResourceBuilder().withApiVersion(CHAOS_API_VERSION).withKind("NetworkChaos")
                    .withNewMetadata().withName("crosszone-drill-" + zone + "-" + other).withNamespace(namespace)
                    .addToLabels(DRILL_LABEL, zone).endMetadata()
                    .addToAdditionalProperties("spec", spec).build());
        }
        return out;
    }

    /** The changes, in the order the drill makes them. */
    public List<Change> changes() {
        List<Change> c = new ArrayList<>();
        nodesToCordon.forEach(n -> c.add(new Change("cordon", "Node", null, n, "zone " + zone)));
        podsToCut.forEach(p -> c.add(new Change("label", "Pod", namespace, p, CUT_LABEL + "=" + zone)));
        if (networkPolicy != null) {
            c.add(new Change("create", "NetworkPolicy", namespace, networkPolicy.getMetadata().getName(),
                    "deny all ingress and egress of pods labelled " + CUT_LABEL + "=" + zone));
        }
        chaosObjects.forEach(o -> c.add(new Change("create", o.getKind(), namespace, o.getMetadata().getName(),
                "partition " + zone + " <-> " + o.getMetadata().getName().substring(("crosszone-drill-" + zone + "-").length()))));
        brokerPodsToDelete.forEach(p -> c.add(new Change("delete", "Pod", namespace, p, "grace period 0 (SIGKILL)")));
        controllerPodsInZone.forEach(p -> c.add(new Change("delete", "Pod", namespace, p,
                "repair: force-delete the controller cut off in " + zone + " so it is rescheduled in a surviving zone")));
        return c;
    }
}
