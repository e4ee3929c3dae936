package io.crosszone.k8s;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;

/** Readiness as Kubernetes reports it, read from object status only. */
public final class K8sStatus {
    private K8sStatus() {
    }

    /** A pod whose Ready condition is True. */
    public static boolean podReady(Pod pod) {
        if (pod == null || pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return false;
        }
        return pod.getMetadata().getDeletionTimestamp() == null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** A node whose Ready condition is True (a node with no conditions is not Ready). */
    public static boolean nodeReady(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return false;
        }
        return node.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Cordoned: {@code spec.unschedulable}. */
    public static boolean nodeCordoned(Node node) {
        return node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
    }
}
