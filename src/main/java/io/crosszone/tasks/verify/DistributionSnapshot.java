package io.crosszone.tasks.verify;

import io.fabric8.kubernetes.api.model.Affinity;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything verify-distribution looks at, read once: the Kubernetes side (pods, nodes, zones,
 * StatefulSet templates) and the RocketMQ side (cluster view, SyncStateSets, runtime configs,
 * topics). The checks are pure functions of it, so they are tested with hand-built snapshots.
 *
 * @param nodeZones node name -> zone label value (absent or null when the node has no zone label)
 * @param rocketmq  null when RocketMQ could not be asked (the RocketMQ checks then fail)
 */
public record DistributionSnapshot(String namespace, String brokerCr, List<BrokerPod> brokers,
                                   List<MemberPod> nameServers, List<MemberPod> controllers,
                                   Map<String, String> nodeZones, ControllerStorage controllerStorage,
                                   RocketMqView rocketmq) {

    /**
     * A CONTROLLER-mode broker StatefulSet and its pod ({@code pod}/{@code node}/{@code ip} null when absent).
     *
     * @param templateNameServers the pod template's {@code NAMESRV_ADDR}: what the broker registers with
     *                            when it next starts (null when the template has none)
     */
    public record BrokerPod(String statefulSet, int group, int replica, String pod, String node, String ip,
                            boolean ready, Affinity templateAffinity, Map<String, String> templateLabels,
                            String templateNameServers) {
        public BrokerPod(String statefulSet, int group, int replica, String pod, String node, String ip,
                         boolean ready, Affinity templateAffinity, Map<String, String> templateLabels) {
            this(statefulSet, group, replica, pod, node, ip, ready, templateAffinity, templateLabels, null);
        }
    }

    /** A name-server or controller pod. */
    public record MemberPod(String pod, String node, String ip, boolean ready) {
    }

    /**
     * How the controller keeps its data.
     *
     * @param zonalReadWriteOnce a ReadWriteOnce volume from a storage class (zonal in most clouds):
     *                           the pod cannot follow it into another zone
     */
    public record ControllerStorage(String storageMode, boolean zonalReadWriteOnce) {
    }

    /**
     * What RocketMQ itself says. Keys are brokerName ({@code <cr>-<group>}) and broker addresses ({@code ip:port}).
     *
     * @param listedByNameServer each name server that answered: the addresses of this deployment's
     *                           brokers it lists
     * @param silentNameServers  the name servers asked that did not answer
     */
    public record RocketMqView(Map<String, List<RegisteredBroker>> clusterGroups, Map<String, SyncState> syncStates,
                               String controllerLeader, int controllerCount,
                               Map<String, Map<String, String>> brokerConfigs, Map<String, Set<String>> topicsByBroker,
                               Map<String, Set<String>> listedByNameServer, Set<String> silentNameServers) {
    }

    /** A broker as the name server lists it: id 0 is the master. */
    public record RegisteredBroker(long brokerId, String address) {
        public boolean master() {
            return brokerId == 0;
        }
    }

    /** The controller's SyncStateSet of one group. */
    public record SyncState(long masterBrokerId, String masterAddress, int masterEpoch, List<Replica> inSync,
                            List<Replica> notInSync, int syncStateSetEpoch) {
        public SyncState(long masterBrokerId, String masterAddress, int masterEpoch, List<Replica> inSync, List<Replica> notInSync) {
            this(masterBrokerId, masterAddress, masterEpoch, inSync, notInSync, 0);
        }

        /** As the controller holds it, for the record a re-seed starts from (reseed-controller --known-state). */
        public io.crosszone.rocketmq.SyncStateSet asRecord(String group) {
            return new io.crosszone.rocketmq.SyncStateSet(group, masterBrokerId < 0 ? null : masterBrokerId, masterAddress,
                    masterEpoch, syncStateSetEpoch, inSync.stream().map(Replica::asRecord).toList(),
                    notInSync.stream().map(Replica::asRecord).toList());
        }
    }

    public record Replica(long brokerId, String address, boolean alive) {
        io.crosszone.rocketmq.Replica asRecord() {
            return new io.crosszone.rocketmq.Replica(brokerId, address, alive);
        }
    }

    public String zoneOfNode(String node) {
        return node == null ? null : nodeZones.get(node);
    }

    /** The broker pod whose IP is the host of {@code address} ({@code ip:port}). */
    public Optional<BrokerPod> brokerAt(String address) {
        if (address == null) {
            return Optional.empty();
        }
        String host = io.crosszone.rocketmq.Addresses.host(address);
        return brokers.stream().filter(b -> host.equals(b.ip())).findFirst();
    }
}
