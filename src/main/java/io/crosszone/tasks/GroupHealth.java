package io.crosszone.tasks;

import io.crosszone.k8s.KubernetesGateway;

/**
 * What the tasks ask RocketMQ about broker groups (apply-affinity while it restarts brokers;
 * verify-distribution --rebalance-masters and failover-drill --fail-back for the elections):
 * who is each group's master (so
 * slaves go first), whether a group's SyncStateSet is full again (so the next restart cannot
 * take the group's last in-sync member), and, at the end, the elections that put each master
 * back on its planned replica ({@link MasterFailBack}). The task knows only Kubernetes;
 * {@link RocketMqGroupHealth} answers over the RocketMQ adapter, tests hand in a stand-in
 * through {@link Factory}.
 *
 * <p>A group is named by its RocketMQ brokerName, {@code <cr>-<g>}; a replica by the index
 * {@code i} of its StatefulSet {@code <cr>-<g>-<i>}. Throwing means "cannot tell now" (e.g. a
 * name server is restarting): the task waits and asks again.
 */
public interface GroupHealth extends MasterFailBack.Replicas, AutoCloseable {

    @Override
    default void close() {
    }

    /** The group as the controller leader describes it (ids, addresses, epochs), empty where unknown or not asked. */
    default java.util.Optional<io.crosszone.rocketmq.SyncStateSet> syncStateSet(String group) throws Exception {
        return java.util.Optional.empty();
    }

    /** The controller ids listed for the broker of {@code <group>-<replica>} (by its pod IP); empty where not known. */
    default java.util.Set<Long> brokerIdsOf(String group, int replica) throws Exception {
        return java.util.Set.of();
    }

    /**
     * Removes ids no broker uses any more from the group on the controller; the controller refuses
     * (and changes nothing) if one of them is alive.
     */
    default void forgetBrokerIds(String group, java.util.Set<Long> brokerIds) throws Exception {
        throw new UnsupportedOperationException("this view of the groups cannot change the controller's broker ids");
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
