package io.crosszone.rocketmq;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** What the name server knows (RocketMQ's clusterList): every group, keyed by group name. */
public record ClusterView(Map<String, BrokerGroup> groups) {
    public ClusterView {
        groups = Map.copyOf(groups);
    }

    public Optional<BrokerGroup> group(String name) {
        return Optional.ofNullable(groups.get(name));
    }

    /** The master's address of a group, if it has one. */
    public Optional<String> masterAddress(String group) {
        return group(group).flatMap(BrokerGroup::master).map(BrokerMember::address);
    }

    /** Group name to master address, for the groups that have one, sorted. */
    public Map<String, String> masters() {
        Map<String, String> masters = new TreeMap<>();
        groups.forEach((name, g) -> g.master().ifPresent(m -> masters.put(name, m.address())));
        return masters;
    }
}
