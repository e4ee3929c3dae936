package io.crosszone.k8s;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import java.util.List;
import java.util.Map;

/** Kubernetes' rules for node-selector terms (node affinity, a volume's node affinity). Pure. */
public final class NodeSelectors {
    private NodeSelectors() {
    }

    /** A node-selector term: every expression holds. */
    public static boolean matches(NodeSelectorTerm term, Map<String, String> nodeLabels) {
        Map<String, String> l = nodeLabels == null ? Map.of() : nodeLabels;
        if (term.getMatchExpressions() != null) {
            for (NodeSelectorRequirement r : term.getMatchExpressions()) {
                if (!requirement(r.getKey(), r.getOperator(), r.getValues(), l)) {
                    return false;
                }
            }
        }
        return true;
    }

    public static boolean requirement(String key, String operator, List<String> values, Map<String, String> labels) {
        String value = labels.get(key);
        List<String> vs = values == null ? List.of() : values;
        return switch (operator) {
            case "In" -> value != null && vs.contains(value);
            case "NotIn" -> value == null || !vs.contains(value);
            case "Exists" -> labels.containsKey(key);
            case "DoesNotExist" -> !labels.containsKey(key);
            case "Gt" -> value != null && !vs.isEmpty() && Long.parseLong(value) > Long.parseLong(vs.get(0));
            case "Lt" -> value != null && !vs.isEmpty() && Long.parseLong(value) < Long.parseLong(vs.get(0));
            default -> throw new IllegalArgumentException("unknown selector operator " + operator);
        };
    }
}
