package io.crosszone.lab.scheduler;

import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.Map;

/** Kubernetes label-selector matching for the lab's other stand-ins (the kubelet's NetworkPolicy view). */
public final class LabelMatchingAccess {
    private LabelMatchingAccess() {
    }

    /** An empty selector matches every pod, as in a NetworkPolicy's podSelector. */
    public static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null || ((selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty()))) {
            return true;
        }
        return LabelMatching.matches(selector, labels);
    }
}
