package io.crosszone.tasks.controllermode;

import io.crosszone.rocketmq.AdminRocketMqGateway;
import io.crosszone.rocketmq.ClusterView;
import io.crosszone.rocketmq.RocketMqAccess;
import io.crosszone.rocketmq.RocketMqEndpoints;
import io.crosszone.rocketmq.RocketMqGateway;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Answers "does every group have a master?" from the name servers' cluster view (BID 0), through
 * the RocketMQ admin API: the name servers are the Ready name-server pods, by IP.
 */
public final class NameServerMasterCheck implements GroupMasterCheck {
    private final Duration callTimeout;
    private final RocketMqAccess access;

    public NameServerMasterCheck(RocketMqAccess access, Duration callTimeout) {
        this.access = access;
        this.callTimeout = callTimeout;
    }

    @Override
    public Set<String> groupsWithoutMaster(Query query) {
        if (query.nameServerAddresses().isEmpty()) {
            throw new IllegalStateException("no Ready name server yet");
        }
        try (RocketMqGateway rocketmq = access.open(
                new RocketMqEndpoints(query.nameServerAddresses(), List.of(), callTimeout)).orElseThrow()) {
            ClusterView view = rocketmq instanceof AdminRocketMqGateway admin ? admin.clusterView(false)
                    : rocketmq.clusterView();
            Set<String> without = new LinkedHashSet<>();
            for (String group : query.brokerNames()) {
                if (view.masterAddress(group).isEmpty()) {
                    without.add(group);
                }
            }
            return without;
        }
    }
}
