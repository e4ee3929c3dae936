package io.crosszone.tasks.controllermode;

import java.util.List;
import java.util.Set;

/**
 * "Does every group have a master?", asked of RocketMQ while switch-to-controller-mode waits.
 * The task knows only Kubernetes; the RocketMQ adapter (io.crosszone.rocketmq) answers this,
 * wired in by the CLI. Without one the wait ends at Ready pods and the report says so.
 */
@FunctionalInterface
public interface GroupMasterCheck {

    /**
     * @param clusterName         the RocketMQ cluster: the Broker CR's name
     * @param brokerNames         the groups' brokerNames, {@code <cr>-<g>}
     * @param nameServerAddresses {@code ip:9876} of the Ready name-server pods
     * @param controllerAddress   {@code <controller>-svc:9878}, resolvable inside the cluster
     */
    record Query(String namespace, String clusterName, List<String> brokerNames, List<String> nameServerAddresses,
                 String controllerAddress) {
    }

    /**
     * The brokerNames that have no master now; empty when every group has one. Throwing means
     * "cannot tell yet" (e.g. the name server is not answering): the wait goes on.
     */
    Set<String> groupsWithoutMaster(Query query) throws Exception;
}
