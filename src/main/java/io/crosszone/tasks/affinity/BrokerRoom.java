package io.crosszone.tasks.affinity;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.plan.BrokerPlacement;
import io.crosszone.plan.OperatorNames;
import io.crosszone.plan.PlacementPlan;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/** Where the broker pods run now, by node and zone; read once per decision. */
record BrokerRoom(Map<String, String> zoneOfNode, Map<String, String> nodeOfPod) {
    String zoneOfPod(String statefulSet) {
        String node = nodeOfPod.get(OperatorNames.podOf(statefulSet));
        return node == null ? null : zoneOfNode.get(node);
    }

    /** The zones where the other members of this broker's group run now. */
    Set<String> partnerZones(String statefulSet, PlacementPlan plan) {
        int group = plan.broker(statefulSet).orElseThrow().group();
        return plan.brokers().stream().filter(b -> b.group() == group && !b.statefulSet().equals(statefulSet))
                .map(BrokerPlacement::statefulSet).map(this::zoneOfPod).filter(Objects::nonNull).collect(Collectors.toSet());
    }

    static BrokerRoom read(KubernetesGateway k8s, CrosszoneConfig config) {
        Map<String, String> zoneOfNode = new LinkedHashMap<>();
        Map<String, String> nodeOfPod = new LinkedHashMap<>();
        for (var p : k8s.pods(config.getNamespace(), OperatorNames.brokerLabels(config.getResources().getBroker()))) {
            if (p.getSpec().getNodeName() != null && p.getMetadata().getDeletionTimestamp() == null) {
                nodeOfPod.put(p.getMetadata().getName(), p.getSpec().getNodeName());
            }
        }
        for (var node : k8s.nodes()) {
            zoneOfNode.put(node.getMetadata().getName(), node.getMetadata().getLabels() == null ? null
                    : node.getMetadata().getLabels().get(config.getZoneLabelKey()));
        }
        return new BrokerRoom(zoneOfNode, nodeOfPod);
    }
}
