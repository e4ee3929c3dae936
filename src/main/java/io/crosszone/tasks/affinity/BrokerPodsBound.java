package io.crosszone.tasks.affinity;

import io.crosszone.core.Progress;
import io.crosszone.core.Waiter;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.plan.OperatorNames;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Before the rollout is planned: a broker pod that is missing or bound to no node is mostly one
 * being recreated, by a restart in progress or by a run that was cut off mid-step (a SIGKILLed
 * apply-affinity leaves its step's pods being recreated; see SigkillLabTest). Planning at once
 * would refuse ("not running"); waiting for the pod to be bound, up to the timeout, lets the
 * re-run finish the job. A pod the scheduler has found no node for (PodScheduled=False) is not
 * waited for: that is the planner's refusal to make, with its reason.
 */
final class BrokerPodsBound {
    private BrokerPodsBound() {
    }

    static void await(KubernetesGateway k8s, String namespace, String brokerCr, Collection<String> statefulSets,
                      Progress progress, Duration poll, Duration timeout) throws InterruptedException {
        try {
            new Waiter(progress, poll).until("before planning: ", timeout, () -> {
                List<String> notYet = unbound(k8s.pods(namespace, OperatorNames.brokerLabels(brokerCr)), statefulSets);
                return notYet.isEmpty() ? Waiter.Status.done("every broker pod is bound to a node")
                        : Waiter.Status.waiting("waiting for " + String.join(", ", notYet)
                        + " (a restart in progress, or an earlier run cut off mid-step)");
            });
        } catch (Waiter.TimedOut t) {
            // left to the planner, which refuses with the reason and the advice
        }
    }

    /** The StatefulSets whose pod is missing, or unbound with no verdict from the scheduler yet. */
    static List<String> unbound(List<Pod> pods, Collection<String> statefulSets) {
        Map<String, Pod> byName = pods.stream().collect(Collectors.toMap(p -> p.getMetadata().getName(), Function.identity(),
                (a, b) -> a));
        List<String> out = new ArrayList<>();
        for (String sts : statefulSets.stream().sorted().toList()) {
            Pod pod = byName.get(OperatorNames.podOf(sts));
            if (pod == null || pod.getMetadata().getDeletionTimestamp() != null) {
                out.add("pod " + OperatorNames.podOf(sts) + " to be created");
            } else if (pod.getSpec().getNodeName() == null && !unschedulable(pod)) {
                out.add("pod " + OperatorNames.podOf(sts) + " to be scheduled");
            }
        }
        return out;
    }

    private static boolean unschedulable(Pod pod) {
        return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions().stream()
                .anyMatch(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()));
    }
}
