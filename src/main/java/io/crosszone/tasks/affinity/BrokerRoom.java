package io.crosszone.tasks.affinity;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.k8s.K8sStatus;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.plan.OperatorNames;
import io.fabric8.kubernetes.api.model.Node;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Broker pods and free nodes by zone, read once per decision. */
record BrokerRoom(Map<String, String> zoneOfNode, Map<String, String> nodeOfPod,
                  Map<String, Map<String, String>> labelsOfPod, Map<String, Integer> free, List<Node> nodes) {
    String zoneOfPod(String statefulSet) {
        String node = nodeOfPod.get(OperatorNames.podOf(statefulSet));
        return node == null ? null : zoneOfNode.get(node);
    }

    boolean freeIn(String zone) {
        return free.getOrDefault(zone, 0) > 0;
    }

    /** Room for this broker in its planned zone: a free node there, or it is there already. */
    boolean hasRoom(String statefulSet, String plannedZone) {
        return plannedZone.equals(zoneOfPod(statefulSet)) || freeIn(plannedZone);
    }

    /** Another pod of its group, carrying the group label, in that zone: required separation keeps it out. */
    boolean partnerIn(ObjectChange c, String zone) {
        if (c.broker().podLabels().isEmpty()) {
            return false;
        }
        String pod = OperatorNames.podOf(c.name());
        return nodeOfPod.entrySet().stream().anyMatch(e -> !e.getKey().equals(pod)
                && zone.equals(zoneOfNode.get(e.getValue()))
                && labelsOfPod.get(e.getKey()) != null
                && labelsOfPod.get(e.getKey()).entrySet().containsAll(c.broker().podLabels().entrySet()));
    }

    /** Where broker pods and free nodes are now, by zone. */
    static BrokerRoom read(KubernetesGateway k8s, CrosszoneConfig config) {
        Map<String, String> zoneOfNode = new LinkedHashMap<>();
        Map<String, String> nodeOfPod = new LinkedHashMap<>();
        Map<String, Map<String, String>> labelsOfPod = new LinkedHashMap<>();
        for (var p : k8s.pods(config.getNamespace(), OperatorNames.brokerLabels(config.getResources().getBroker()))) {
            if (p.getSpec().getNodeName() != null && p.getMetadata().getDeletionTimestamp() == null) {
                nodeOfPod.put(p.getMetadata().getName(), p.getSpec().getNodeName());
                labelsOfPod.put(p.getMetadata().getName(), p.getMetadata().getLabels());
            }
        }
        Map<String, Integer> free = new LinkedHashMap<>();
        List<Node> nodes = k8s.nodes();
        for (var node : nodes) {
            String zone = node.getMetadata().getLabels() == null ? null
                    : node.getMetadata().getLabels().get(config.getZoneLabelKey());
            zoneOfNode.put(node.getMetadata().getName(), zone);
            if (zone != null && K8sStatus.nodeReady(node) && !K8sStatus.nodeCordoned(node)
                    && !nodeOfPod.containsValue(node.getMetadata().getName())) {
                free.merge(zone, 1, Integer::sum);
            }
        }
        return new BrokerRoom(zoneOfNode, nodeOfPod, labelsOfPod, free, nodes);
    }
}
