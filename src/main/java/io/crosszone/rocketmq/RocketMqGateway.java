package io.crosszone.rocketmq;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Everything crosszone asks RocketMQ, through the admin protocol (never mqadmin). Each call has a
 * timeout and is tried on every name server or controller it was given until one answers; when none
 * does it throws {@link RocketMqException}. Controller calls go to the controller leader.
 */
public interface RocketMqGateway extends AutoCloseable {

    /** clusterList: every group with its brokers (id 0 = master), address and version. */
    ClusterView clusterView();

    /**
     * clusterList, without asking each broker its version when {@code withVersions} is false: one
     * name-server call, which suits tight polling (a frozen broker would make the version call wait).
     */
    default ClusterView clusterView(boolean withVersions) {
        return clusterView();
    }

    /**
     * clusterList from each name server on its own, without versions: name-server address to what
     * that name server lists. A name server that did not answer within the call timeout is absent.
     * Brokers register with each name server separately, so the views can differ (a broker started
     * with an old name-server list is missing from the others).
     */
    Map<String, ClusterView> clusterViewPerNameServer();

    /** The controller group's metadata (leader id and address) from the first controller that answers. */
    ControllerMetadata controllerMetadata();

    /** Each group's SyncStateSet from the controller leader; groups the controller does not know are absent. */
    Map<String, SyncStateSet> syncStateSets(Collection<String> groups);

    /** One group's SyncStateSet, if the controller knows the group. */
    default Optional<SyncStateSet> syncStateSet(String group) {
        return Optional.ofNullable(syncStateSets(List.of(group)).get(group));
    }

    /**
     * electMaster: makes the broker with this controller-assigned id the group's master (a planned
     * switchover), or lets the controller choose when {@code brokerId} is null.
     */
    ElectionResult electMaster(String cluster, String group, Long brokerId);

    /**
     * Removes broker ids the controller still lists for a group but no broker uses any more (a broker
     * whose volume was replaced registered under a new id): CLEAN_BROKER_DATA for those ids only,
     * asking the controller to refuse (and change nothing) if any of them is alive.
     */
    default void forgetBrokerIds(String cluster, String group, java.util.Set<Long> brokerIds) {
        throw new RocketMqException("this gateway cannot change the controller's broker ids");
    }

    /** A broker's configuration in force (getBrokerConfig), read from the running broker. */
    Properties brokerConfig(String brokerAddress);

    /**
     * The client addresses ({@code ip:port}, one per connection) of the replication (HA) connections a
     * master has open to its slaves ({@code getBrokerHAStatus}). The IP is the slave's pod IP where the
     * pod has its own network; behind a shared address (the lab's zone networks) only the count tells.
     */
    default List<String> replicationClients(String masterAddress) {
        throw new RocketMqException("this gateway cannot read a broker's replication connections");
    }

    /**
     * Creates or updates a topic on every broker of a group, master and slaves: a slave copies topic
     * configs only every 60 s, so a slave promoted before that would not know the topic.
     * Returns the broker addresses written.
     */
    List<String> createTopicOnGroup(String group, TopicSpec topic);

    /** A broker's topics with their queue counts and permissions (getAllTopicConfig). */
    Map<String, TopicSpec> topics(String brokerAddress);

    /** The group master's topic configs against each slave's. */
    TopicComparison compareTopics(String group);

    @Override
    void close();
}
