package io.crosszone.lab.kubelet;

import io.crosszone.lab.rocketmq.LocalRocketMqCluster;
import io.crosszone.lab.rocketmq.RocketMqProcess;
import io.crosszone.plan.OperatorNames;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which RocketMQ process of the lab's cluster a pod stands for, by the operator's labels and
 * names: name-server pod {@code <cr>-N}, controller pod {@code <cr>-N}, CONTROLLER-mode broker pod
 * {@code <cr>-<g>-<i>-0}. STATIC-mode broker pods run no process in the lab (their data is never
 * migrated, and switch-to-controller-mode removes them).
 */
final class PodRoles {
    private static final Pattern ORDINAL = Pattern.compile(".*-(\\d+)");

    private PodRoles() {
    }

    static Optional<RocketMqProcess> memberFor(Pod pod, LocalRocketMqCluster cluster) {
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
        String name = pod.getMetadata().getName();
        try {
            if (labels.containsKey(OperatorNames.NAME_SERVICE_CR_LABEL)) {
                return Optional.of(cluster.nameServer(ordinal(name)));
            }
            if (labels.containsKey(OperatorNames.CONTROLLER_CR_LABEL)) {
                return Optional.of(cluster.controller(ordinal(name)));
            }
            String brokerCr = labels.get(OperatorNames.BROKER_CR_LABEL);
            if (brokerCr != null && name.endsWith("-0")) {
                int[] gi = OperatorNames.parseControllerModeStatefulSet(brokerCr, name.substring(0, name.length() - 2));
                if (gi != null) {
                    return Optional.of(cluster.broker(gi[0], gi[1]));
                }
            }
        } catch (IndexOutOfBoundsException e) {
            // more pods than the lab's cluster has members: run nothing for it
        }
        return Optional.empty();
    }

    private static int ordinal(String podName) {
        Matcher m = ORDINAL.matcher(podName);
        if (!m.matches()) {
            throw new IndexOutOfBoundsException(podName);
        }
        return Integer.parseInt(m.group(1));
    }
}
