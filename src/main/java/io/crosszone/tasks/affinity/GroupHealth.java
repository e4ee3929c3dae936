package io.crosszone.tasks.affinity;

import io.crosszone.k8s.KubernetesGateway;
import java.util.Optional;

/**
 * What apply-affinity asks RocketMQ while it restarts brokers: who is each group's master (so
 * slaves go first), and whether a group's SyncStateSet is full again (so the next restart cannot
 * take the group's last in-sync member). The task knows only Kubernetes; {@link RocketMqGroupHealth}
 * answers over the RocketMQ adapter, tests hand in a stand-in through {@link Factory}.
 *
 * <p>A group is named by its RocketMQ brokerName, {@code <cr>-<g>}; a replica by the index
 * {@code i} of its StatefulSet {@code <cr>-<g>-<i>}. Throwing means "cannot tell now" (e.g. a
 * name server is restarting): the task waits and asks again.
 */
public interface GroupHealth extends AutoCloseable {

    /** The replica index of the group's master now; empty when it has none. */
    Optional<Integer> masterReplica(String group) throws Exception;

    /** True when the group has a master and all {@code replicas} brokers are in its SyncStateSet and alive. */
    boolean fullyInSync(String group, int replicas) throws Exception;

    /** A short account of the group for progress lines, e.g. its SyncStateSet. */
    default String describe(String group) {
        return "";
    }

    @Override
    default void close() {
    }

    /** Where the deployment is: the task's namespace and CR names. */
    record Target(String namespace, String brokerCr, String nameServiceCr, String controllerCr) {
    }

    /** Opens the health view of one deployment; called once per run, after the preflight. */
    @FunctionalInterface
    interface Factory {
        GroupHealth open(KubernetesGateway k8s, Target target);
    }
}
