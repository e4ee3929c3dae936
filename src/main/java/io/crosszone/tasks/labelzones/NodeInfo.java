package io.crosszone.tasks.labelzones;

import io.crosszone.k8s.K8sStatus;
import io.fabric8.kubernetes.api.model.Node;
import java.util.Map;

/** What label-zones needs to know of a node. */
public record NodeInfo(String name, Map<String, String> labels, boolean ready, boolean cordoned) {

    public static NodeInfo of(Node n) {
        Map<String, String> labels = n.getMetadata().getLabels() == null ? Map.of() : Map.copyOf(n.getMetadata().getLabels());
        return new NodeInfo(n.getMetadata().getName(), labels, K8sStatus.nodeReady(n), K8sStatus.nodeCordoned(n));
    }

    /** Cordoned and NotReady nodes take no new pods. */
    public boolean schedulable() {
        return ready && !cordoned;
    }

    public String status() {
        if (ready && !cordoned) {
            return "Ready";
        }
        return (ready ? "Ready" : "NotReady") + (cordoned ? ",SchedulingDisabled" : "");
    }
}
