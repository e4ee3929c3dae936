package io.crosszone.tasks.affinity;

import io.crosszone.k8s.K8sStatus;
import io.crosszone.plan.BrokerPlacement;
import io.crosszone.plan.OperatorNames;
import io.crosszone.plan.PlacementPlan;
import io.crosszone.plan.rollout.RolloutInput;
import io.crosszone.tasks.MasterFailBack;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What apply-affinity reads, turned into the rollout planner's input ({@link RolloutInput}): the
 * nodes as a broker pod could use them, and each planned broker where its pod runs now and what
 * RocketMQ says of it. No I/O of its own: the caller reads the nodes and pods through the
 * gateway and hands in its {@link io.crosszone.tasks.GroupHealth} (any {@link MasterFailBack.Replicas}).
 */
public final class RolloutInputs {
    private RolloutInputs() {
    }

    /**
     * @param nodes           every node ({@code KubernetesGateway.nodes()})
     * @param brokerPods      the Broker CR's pods ({@code pods(ns, OperatorNames.brokerLabels(cr))})
     * @param template        a broker StatefulSet's pod template spec: its tolerations and nodeSelector
     *                        decide which nodes are schedulable (the brokers of one CR share them)
     * @param plan            the placement plan
     * @param brokerCr        the Broker CR's name
     * @param zoneKey         the zone label key
     * @param templateChanges the broker StatefulSets whose template apply-affinity changes (or whose
     *                        rollout --no-restart held): those need a restart wherever they run
     * @param health          who is master and who is in the SyncStateSet; "cannot tell" counts as
     *                        not master / not in sync
     */
    public static RolloutInput read(List<Node> nodes, List<Pod> brokerPods, PodSpec template, PlacementPlan plan,
                                    String brokerCr, String zoneKey, Set<String> templateChanges,
                                    MasterFailBack.Replicas health) {
        List<RolloutInput.Node> outNodes = new ArrayList<>();
        for (Node n : nodes) {
            Map<String, String> labels = n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
            String why = unschedulable(n, labels, template);
            outNodes.add(new RolloutInput.Node(n.getMetadata().getName(), labels.get(zoneKey), why == null, why));
        }
        List<RolloutInput.Broker> brokers = new ArrayList<>();
        for (BrokerPlacement b : plan.brokers()) {
            String group = OperatorNames.brokerName(brokerCr, b.group());
            String pod = OperatorNames.podOf(b.statefulSet());
            String node = brokerPods.stream()
                    .filter(p -> pod.equals(p.getMetadata().getName()) && p.getMetadata().getDeletionTimestamp() == null)
                    .map(p -> p.getSpec().getNodeName()).filter(x -> x != null).findFirst().orElse(null);
            boolean master = Ask.quietly(() -> health.masterReplica(group)).flatMap(o -> o).map(r -> r == b.replica()).orElse(false);
            boolean inSync = Ask.quietly(() -> health.inSyncAndAlive(group, b.replica())).orElse(false);
            brokers.add(new RolloutInput.Broker(b.statefulSet(), group, b.replica(), node, b.plannedZone(), master, inSync,
                    b.likelyMaster(), !templateChanges.contains(b.statefulSet())));
        }
        return new RolloutInput(outNodes, brokers);
    }

    /** Null when a broker pod could be bound to the node now, else why not. Resource requests are not checked. */
    static String unschedulable(Node n, Map<String, String> labels, PodSpec template) {
        if (K8sStatus.nodeCordoned(n)) {
            return "cordoned";
        }
        if (!K8sStatus.nodeReady(n)) {
            return "NotReady";
        }
        List<Taint> taints = n.getSpec() == null ? null : n.getSpec().getTaints();
        if (!Tolerations.tolerates(template.getTolerations(), taints)) {
            return "untolerated taint " + taints.stream().map(t -> t.getKey() + ":" + t.getEffect()).toList();
        }
        Map<String, String> selector = template.getNodeSelector() == null ? Map.of() : template.getNodeSelector();
        if (!labels.entrySet().containsAll(selector.entrySet())) {
            return "does not match the brokers' nodeSelector " + selector;
        }
        return null;
    }
}
