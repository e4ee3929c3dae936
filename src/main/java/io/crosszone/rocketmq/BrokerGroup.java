package io.crosszone.rocketmq;

import java.util.List;
import java.util.Optional;

/** A broker group (RocketMQ's brokerName) of a cluster, with its members ordered by id. */
public record BrokerGroup(String cluster, String name, List<BrokerMember> members) {
    public BrokerGroup {
        members = List.copyOf(members);
    }

    public Optional<BrokerMember> master() {
        return members.stream().filter(BrokerMember::isMaster).findFirst();
    }

    public List<BrokerMember> slaves() {
        return members.stream().filter(m -> !m.isMaster()).toList();
    }
}
