package io.crosszone.lab.scheduler;

import io.crosszone.k8s.NodeSelectors;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import java.util.List;
import java.util.Map;

/** Kubernetes' label-matching rules for selectors and node-selector terms. Pure. */
final class LabelMatching {
    private LabelMatching() {
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        Map<String, String> l = labels == null ? Map.of() : labels;
        if (selector.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(l.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                if (!requirement(r.getKey(), r.getOperator(), r.getValues(), l)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A node-selector term: every expression holds. */
    static boolean matches(NodeSelectorTerm term, Map<String, String> nodeLabels) {
        return NodeSelectors.matches(term, nodeLabels);
    }

    static boolean requirement(String key, String operator, List<String> values, Map<String, String> labels) {
        return NodeSelectors.requirement(key, operator, values, labels);
    }
}
