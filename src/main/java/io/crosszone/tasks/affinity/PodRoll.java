package io.crosszone.tasks.affinity;

import io.crosszone.core.Waiter;
import io.crosszone.k8s.K8sStatus;
import io.crosszone.k8s.KubernetesGateway;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The pods of one StatefulSet while it rolls: their uids before, then whether each ordinal has
 * been replaced by a new pod (another uid) that is scheduled and Ready, and where it landed.
 */
final class PodRoll {
    private final KubernetesGateway k8s;
    private final String namespace;
    private final String statefulSet;
    private final int replicas;
    private final String zoneKey;
    private final Set<String> oldUids = new HashSet<>();

    PodRoll(KubernetesGateway k8s, String namespace, String statefulSet, int replicas, String zoneKey) {
        this.k8s = k8s;
        this.namespace = namespace;
        this.statefulSet = statefulSet;
        this.replicas = replicas;
        this.zoneKey = zoneKey;
        for (int n = 0; n < replicas; n++) {
            k8s.pod(namespace, podName(n)).ifPresent(p -> oldUids.add(p.getMetadata().getUid()));
        }
    }

    String podName(int ordinal) {
        return statefulSet + "-" + ordinal;
    }

    /** Every ordinal replaced by a new, scheduled, Ready pod; the text says what is awaited. */
    Waiter.Status replaced() {
        return replaced(0, replicas);
    }

    /** As {@link #replaced()} for the ordinals {@code from} (inclusive) to {@code to} (exclusive). */
    Waiter.Status replaced(int from, int to) {
        List<String> waiting = new ArrayList<>();
        List<String> ready = new ArrayList<>();
        for (int n = from; n < to; n++) {
            String name = podName(n);
            Optional<Pod> pod = k8s.pod(namespace, name);
            if (pod.isEmpty()) {
                waiting.add("pod " + name + " to be created");
            } else if (oldUids.contains(pod.get().getMetadata().getUid())) {
                waiting.add(pod.get().getMetadata().getDeletionTimestamp() != null ? "old pod " + name + " to terminate"
                        : "old pod " + name + " to be replaced");
            } else if (pod.get().getSpec().getNodeName() == null) {
                waiting.add("new pod " + name + " to be scheduled" + unschedulable(pod.get()));
            } else if (!K8sStatus.podReady(pod.get())) {
                waiting.add("new pod " + name + " on " + where(pod.get()) + " to be Ready");
            } else {
                ready.add(name + " on " + where(pod.get()));
            }
        }
        if (waiting.isEmpty()) {
            return Waiter.Status.done("Ready: " + String.join(", ", ready));
        }
        return Waiter.Status.waiting("waiting for " + String.join(", ", waiting));
    }

    /** The node and zone of an ordinal's pod, or nulls. */
    String[] placement(int ordinal) {
        Optional<Pod> pod = k8s.pod(namespace, podName(ordinal));
        String node = pod.map(p -> p.getSpec().getNodeName()).orElse(null);
        return new String[] {node, zoneOf(node)};
    }

    private String where(Pod p) {
        String node = p.getSpec().getNodeName();
        String zone = zoneOf(node);
        return "node " + node + (zone == null ? "" : " (" + zone + ")");
    }

    private String zoneOf(String node) {
        if (node == null) {
            return null;
        }
        return k8s.node(node).map(Node::getMetadata).map(m -> m.getLabels() == null ? null : m.getLabels().get(zoneKey))
                .orElse(null);
    }

    private static String unschedulable(Pod p) {
        if (p.getStatus() == null || p.getStatus().getConditions() == null) {
            return "";
        }
        return p.getStatus().getConditions().stream()
                .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
                .map(PodCondition::getMessage).filter(m -> m != null && !m.isEmpty())
                .findFirst().map(m -> " (" + m + ")").orElse("");
    }
}
