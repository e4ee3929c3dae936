package io.crosszone.lab.scheduler;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Chooses a node for a pod by the scheduling rules that matter for cross-zone placement: cordon
 * and readiness, taints, nodeSelector, required node affinity, required pod anti-affinity (both
 * the pod's own and that of pods already bound), resource requests against node allocatable,
 * then the weighted preferences (node affinity, preferred pod anti-affinity). Pure: a function of
 * the pod, the nodes and the pods already bound (volume topology is the caller's filter, see
 * {@link VolumeBinder}). Not modelled: pod affinity, topology spread, preemption.
 */
public final class PodPlacement {
    private PodPlacement() {
    }

    /** The chosen node, or the reason no node fits. */
    public record Decision(String node, String reason) {
        public boolean scheduled() {
            return node != null;
        }
    }

    public static Decision choose(Pod pod, List<Node> nodes, List<Pod> boundPods) {
        return choose(pod, nodes, boundPods, (p, n) -> null);
    }

    /** As above, with a further filter ({@code volumes}: why a node cannot attach the pod's volumes, or null). */
    public static Decision choose(Pod pod, List<Node> nodes, List<Pod> boundPods, BiFunction<Pod, Node, String> volumes) {
        List<String> rejections = new ArrayList<>();
        List<Node> feasible = new ArrayList<>();
        for (Node node : nodes) {
            String why = reject(pod, node, nodes, boundPods);
            if (why == null) {
                why = volumes.apply(pod, node);
            }
            if (why == null) {
                feasible.add(node);
            } else {
                rejections.add(node.getMetadata().getName() + ": " + why);
            }
        }
        if (feasible.isEmpty()) {
            return new Decision(null, "0/" + nodes.size() + " nodes are available: " + String.join("; ", rejections));
        }
        Node best = feasible.stream()
                .max(Comparator.<Node>comparingLong(n -> score(pod, n, nodes, boundPods))
                        .thenComparing(n -> -podsOn(n, boundPods))
                        .thenComparing(n -> n.getMetadata().getName(), Comparator.reverseOrder()))
                .orElseThrow();
        return new Decision(best.getMetadata().getName(), null);
    }

    static String reject(Pod pod, Node node, List<Node> nodes, List<Pod> bound) {
        if (Boolean.TRUE.equals(node.getSpec() == null ? null : node.getSpec().getUnschedulable())) {
            return "cordoned";
        }
        if (!ready(node)) {
            return "NotReady";
        }
        String taint = untoleratedTaint(pod, node);
        if (taint != null) {
            return "untolerated taint " + taint;
        }
        Map<String, String> labels = labels(node);
        Map<String, String> selector = pod.getSpec().getNodeSelector();
        if (selector != null && selector.entrySet().stream().anyMatch(e -> !e.getValue().equals(labels.get(e.getKey())))) {
            return "does not match nodeSelector";
        }
        Affinity a = pod.getSpec().getAffinity();
        if (a != null && a.getNodeAffinity() != null && a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
            boolean any = a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms()
                    .stream().anyMatch(t -> LabelMatching.matches(t, labels));
            if (!any) {
                return "does not match required node affinity";
            }
        }
        String anti = antiAffinityConflict(pod, node, nodes, bound);
        if (anti != null) {
            return anti;
        }
        return resourceShortage(pod, node, bound);
    }

    static boolean ready(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return true;
        }
        for (NodeCondition c : node.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                return "True".equals(c.getStatus());
            }
        }
        return true;
    }

    private static String untoleratedTaint(Pod pod, Node node) {
        if (node.getSpec() == null || node.getSpec().getTaints() == null) {
            return null;
        }
        List<Toleration> tolerations = pod.getSpec().getTolerations() == null ? List.of() : pod.getSpec().getTolerations();
        for (Taint t : node.getSpec().getTaints()) {
            if (!"NoSchedule".equals(t.getEffect()) && !"NoExecute".equals(t.getEffect())) {
                continue;
            }
            boolean tolerated = tolerations.stream().anyMatch(tol ->
                    (tol.getKey() == null || tol.getKey().equals(t.getKey()))
                            && (tol.getEffect() == null || tol.getEffect().isEmpty() || tol.getEffect().equals(t.getEffect()))
                            && ("Exists".equals(tol.getOperator()) || Objects.equals(tol.getValue(), t.getValue())));
            if (!tolerated) {
                return t.getKey() + ":" + t.getEffect();
            }
        }
        return null;
    }

    private static String antiAffinityConflict(Pod pod, Node node, List<Node> nodes, List<Pod> bound) {
        for (PodAffinityTerm term : requiredAnti(pod)) {
            for (Pod other : bound) {
                if (sameNamespace(pod, other, term) && LabelMatching.matches(term.getLabelSelector(), other.getMetadata().getLabels())
                        && sameTopology(node, nodeOf(other, nodes), term.getTopologyKey())) {
                    return "pod anti-affinity on " + term.getTopologyKey() + " with " + other.getMetadata().getName();
                }
            }
        }
        // the pods already bound keep their own required anti-affinity against the newcomer
        for (Pod other : bound) {
            for (PodAffinityTerm term : requiredAnti(other)) {
                if (sameNamespace(other, pod, term) && LabelMatching.matches(term.getLabelSelector(), pod.getMetadata().getLabels())
                        && sameTopology(node, nodeOf(other, nodes), term.getTopologyKey())) {
                    return "anti-affinity of " + other.getMetadata().getName() + " on " + term.getTopologyKey();
                }
            }
        }
        return null;
    }

    private static List<PodAffinityTerm> requiredAnti(Pod pod) {
        Affinity a = pod.getSpec().getAffinity();
        if (a == null || a.getPodAntiAffinity() == null || a.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
            return List.of();
        }
        return a.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    }

    private static boolean sameNamespace(Pod owner, Pod other, PodAffinityTerm term) {
        if (term.getNamespaces() != null && !term.getNamespaces().isEmpty()) {
            return term.getNamespaces().contains(other.getMetadata().getNamespace());
        }
        return Objects.equals(owner.getMetadata().getNamespace(), other.getMetadata().getNamespace());
    }

    private static boolean sameTopology(Node a, Node b, String key) {
        if (a == null || b == null) {
            return false;
        }
        String va = labels(a).get(key);
        return va != null && va.equals(labels(b).get(key));
    }

    private static Node nodeOf(Pod pod, List<Node> nodes) {
        String name = pod.getSpec().getNodeName();
        return nodes.stream().filter(n -> n.getMetadata().getName().equals(name)).findFirst().orElse(null);
    }

    private static String resourceShortage(Pod pod, Node node, List<Pod> bound) {
        if (node.getStatus() == null || node.getStatus().getAllocatable() == null) {
            return null;
        }
        for (String resource : List.of("cpu", "memory")) {
            Quantity allocatable = node.getStatus().getAllocatable().get(resource);
            if (allocatable == null) {
                continue;
            }
            BigDecimal used = bound.stream().filter(p -> node.getMetadata().getName().equals(p.getSpec().getNodeName()))
                    .map(p -> requests(p, resource)).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal want = requests(pod, resource);
            if (used.add(want).compareTo(Quantity.getAmountInBytes(allocatable)) > 0) {
                return "insufficient " + resource;
            }
        }
        return null;
    }

    static BigDecimal requests(Pod pod, String resource) {
        BigDecimal sum = BigDecimal.ZERO;
        for (Container c : pod.getSpec().getContainers()) {
            if (c.getResources() != null && c.getResources().getRequests() != null) {
                Quantity q = c.getResources().getRequests().get(resource);
                if (q != null) {
                    sum = sum.add(Quantity.getAmountInBytes(q));
                }
            }
        }
        return sum;
    }

    static long score(Pod pod, Node node, List<Node> nodes, List<Pod> bound) {
        Affinity a = pod.getSpec().getAffinity();
        if (a == null) {
            return 0;
        }
        long score = 0;
        if (a.getNodeAffinity() != null && a.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution() != null) {
            for (PreferredSchedulingTerm t : a.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()) {
                if (LabelMatching.matches(t.getPreference(), labels(node))) {
                    score += t.getWeight();
                }
            }
        }
        if (a.getPodAntiAffinity() != null && a.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution() != null) {
            for (WeightedPodAffinityTerm w : a.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()) {
                PodAffinityTerm term = w.getPodAffinityTerm();
                boolean conflict = bound.stream().anyMatch(o -> sameNamespace(pod, o, term)
                        && LabelMatching.matches(term.getLabelSelector(), o.getMetadata().getLabels())
                        && sameTopology(node, nodeOf(o, nodes), term.getTopologyKey()));
                if (!conflict) {
                    score += w.getWeight();
                }
            }
        }
        return score;
    }

    private static long podsOn(Node node, List<Pod> bound) {
        return bound.stream().filter(p -> node.getMetadata().getName().equals(p.getSpec().getNodeName())).count();
    }

    private static Map<String, String> labels(Node node) {
        return node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    }
}
