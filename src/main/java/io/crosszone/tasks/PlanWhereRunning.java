package io.crosszone.tasks;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.plan.OperatorNames;
import io.crosszone.plan.PlacementPlan;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan as every task applies it: the configured plan, with a group whose members already run
 * in its zones in another order kept where it runs ({@link PlacementPlan#keepingMembersWhereTheyRun}),
 * read from the broker pods and their nodes' zone labels. apply-affinity, verify-distribution and
 * failover-drill's fail-back all plan this way, so they agree on each group's planned master.
 */
public final class PlanWhereRunning {
    private PlanWhereRunning() {
    }

    public static PlacementPlan read(KubernetesGateway k8s, CrosszoneConfig config, PlacementPlan plan) {
        return of(plan, k8s.pods(config.getNamespace(), OperatorNames.brokerLabels(config.getResources().getBroker())),
                k8s.nodes(), config.getZoneLabelKey());
    }

    /** Pure: the same from pods and nodes already read. */
    public static PlacementPlan of(PlacementPlan plan, List<Pod> brokerPods, List<Node> nodes, String zoneKey) {
        Map<String, String> zoneOfNode = new HashMap<>();
        for (Node n : nodes) {
            Map<String, String> labels = n.getMetadata().getLabels();
            if (labels != null && labels.get(zoneKey) != null) {
                zoneOfNode.put(n.getMetadata().getName(), labels.get(zoneKey));
            }
        }
        Map<String, String> zoneNow = new LinkedHashMap<>();
        for (Pod p : brokerPods) {
            String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
            if (node != null && p.getMetadata().getDeletionTimestamp() == null && zoneOfNode.containsKey(node)) {
                zoneNow.put(p.getMetadata().getName().replaceFirst("-0$", ""), zoneOfNode.get(node));
            }
        }
        return plan.keepingMembersWhereTheyRun(zoneNow, zoneKey);
    }

    /** Each group's planned master replica, by brokerName ({@code <cr>-<g>}). */
    public static Map<String, Integer> plannedMasters(PlacementPlan plan, String brokerCr) {
        Map<String, Integer> out = new LinkedHashMap<>();
        plan.plannedMasterReplicas().forEach((g, r) -> out.put(OperatorNames.brokerName(brokerCr, g), r));
        return out;
    }
}
