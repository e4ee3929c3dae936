package io.crosszone.rocketmq;

import io.crosszone.plan.reseed.ReplicaReport;
import io.crosszone.plan.reseed.ReseedDecision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.rocketmq.remoting.CommandCustomHeader;
import org.apache.rocketmq.remoting.netty.NettyClientConfig;
import org.apache.rocketmq.remoting.netty.NettyRemotingClient;
import org.apache.rocketmq.remoting.protocol.EpochEntry;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.remoting.protocol.RemotingSerializable;
import org.apache.rocketmq.remoting.protocol.RequestCode;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.body.EpochEntryCache;
import org.apache.rocketmq.remoting.protocol.header.controller.ElectMasterRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.controller.ElectMasterResponseHeader;
import org.apache.rocketmq.remoting.protocol.header.controller.GetMetaDataResponseHeader;
import org.apache.rocketmq.remoting.protocol.header.controller.register.ApplyBrokerIdRequestHeader;

/**
 * Re-seeds a controller that came back with empty metadata, through RocketMQ's own remoting
 * requests (DefaultMQAdminExt has no apply-broker-id): it applies each known broker's existing id
 * ({@code CONTROLLER_APPLY_BROKER_ID}, so the brokers' 5-second register retry then succeeds) and
 * elects the survivor a {@link ReseedDecision.Elect} names ({@code CONTROLLER_ELECT_MASTER}). Every
 * call has its own timeout and goes to the controller that says it is the leader.
 */
public final class ControllerReseeder implements AutoCloseable {
    /** The result of one group's repair; {@code epochBarrierMet} false means the brokers will ignore the new epoch. */
    public record Outcome(String group, long masterBrokerId, String masterAddress, int masterEpoch,
                          boolean epochBarrierMet, List<String> steps) {
    }

    private final List<String> controllers;
    private final long timeoutMillis;
    private final NettyRemotingClient client;

    public ControllerReseeder(List<String> controllers, Duration callTimeout) {
        if (controllers.isEmpty()) {
            throw new IllegalArgumentException("at least one controller address is needed");
        }
        this.controllers = List.copyOf(controllers);
        this.timeoutMillis = callTimeout.toMillis();
        this.client = new NettyRemotingClient(new NettyClientConfig());
        client.start();
    }

    /** The leader controller's address, asked of each controller in turn (a follower names the leader). */
    public String leader() {
        List<String> failures = new ArrayList<>();
        for (String c : controllers) {
            try {
                RemotingCommand r = call(c, RemotingCommand.createRequestCommand(RequestCode.CONTROLLER_GET_METADATA_INFO, null));
                GetMetaDataResponseHeader h = (GetMetaDataResponseHeader) r.decodeCommandCustomHeader(GetMetaDataResponseHeader.class);
                if (h.isLeader()) {
                    return c;
                }
                if (h.getControllerLeaderAddress() != null && !h.getControllerLeaderAddress().isBlank()) {
                    return h.getControllerLeaderAddress();
                }
                failures.add(c + ": no leader yet");
            } catch (RuntimeException | org.apache.rocketmq.remoting.exception.RemotingCommandException e) {
                failures.add(c + ": " + e.getMessage());
            }
        }
        throw new RocketMqException("no controller leader: " + String.join("; ", failures));
    }

    /** Registers {@code brokerId} at {@code address} in {@code group}; true if applied, or already applied by this repair. */
    public boolean applyBrokerId(String leader, String cluster, String group, long brokerId, String address) {
        // the check code is compared only when the id already exists: a fixed one makes a re-run idempotent
        CommandCustomHeader h = new ApplyBrokerIdRequestHeader(cluster, group, brokerId, address + ";crosszone-reseed");
        RemotingCommand r = invoke(leader, RemotingCommand.createRequestCommand(RequestCode.CONTROLLER_APPLY_BROKER_ID, h));
        if (r.getCode() == ResponseCode.SUCCESS) {
            return true;
        }
        throw new RocketMqException("apply broker id " + brokerId + " (" + address + ") in " + group + " refused: code "
                + r.getCode() + " " + r.getRemark());
    }

    /** A designated election of {@code brokerId} in {@code group}; returns the controller's answer. */
    public ElectMasterResponseHeader electMaster(String leader, String cluster, String group, long brokerId) {
        RemotingCommand r = invoke(leader, RemotingCommand.createRequestCommand(RequestCode.CONTROLLER_ELECT_MASTER,
                ElectMasterRequestHeader.ofAdminTrigger(cluster, group, brokerId)));
        if (r.getCode() != ResponseCode.SUCCESS) {
            throw new RocketMqException("elect " + brokerId + " in " + group + " refused: code " + r.getCode() + " " + r.getRemark());
        }
        try {
            return (ElectMasterResponseHeader) r.decodeCommandCustomHeader(ElectMasterResponseHeader.class);
        } catch (org.apache.rocketmq.remoting.exception.RemotingCommandException e) {
            throw new RocketMqException("elect " + brokerId + " in " + group + ": unreadable answer: " + e.getMessage(), e);
        }
    }

    /**
     * What a broker's epoch cache says ({@code GET_BROKER_EPOCH_CACHE}). The cache's own brokerId is
     * not the controller id (measured: 0 on 5.1.4), so the caller passes the id it knows;
     * {@code master} is the caller's reading of its role.
     */
    public ReplicaReport report(String brokerAddress, long brokerId, boolean master) {
        RemotingCommand r = invoke(brokerAddress, RemotingCommand.createRequestCommand(RequestCode.GET_BROKER_EPOCH_CACHE, null));
        if (r.getCode() != ResponseCode.SUCCESS || r.getBody() == null) {
            throw new RocketMqException("epoch cache of " + brokerAddress + ": code " + r.getCode() + " " + r.getRemark());
        }
        EpochEntryCache cache = RemotingSerializable.decode(r.getBody(), EpochEntryCache.class);
        int last = cache.getEpochList() == null ? 0
                : cache.getEpochList().stream().mapToInt(EpochEntry::getEpoch).max().orElse(0);
        return new ReplicaReport(brokerId, brokerAddress, last, cache.getMaxOffset(), master);
    }

    /** Carries out one group's decision: every id applied (ascending: an unknown group takes id 1 first), then the election. */
    public Outcome execute(String cluster, ReseedDecision.Elect d) {
        String leader = leader();
        List<String> steps = new ArrayList<>();
        for (Map.Entry<Long, String> id : d.brokerIds().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            applyBrokerId(leader, cluster, d.group(), id.getKey(), id.getValue());
            steps.add("applied id " + id.getKey() + " = " + id.getValue());
        }
        ElectMasterResponseHeader h = electMaster(leader, cluster, d.group(), d.master().brokerId());
        steps.add("elected " + h.getMasterBrokerId() + " at epoch " + h.getMasterEpoch());
        return new Outcome(d.group(), h.getMasterBrokerId(), h.getMasterAddress(), h.getMasterEpoch(),
                h.getMasterEpoch() > d.epochFloor(), steps);
    }

    private RemotingCommand invoke(String address, RemotingCommand request) {
        try {
            return client.invokeSync(address, request, timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RocketMqException("interrupted calling " + address, e);
        } catch (Exception e) {
            throw new RocketMqException("call " + request.getCode() + " to " + address + " failed: " + e.getMessage(), e);
        }
    }

    private RemotingCommand call(String address, RemotingCommand request) {
        RemotingCommand r = invoke(address, request);
        if (r.getCode() != ResponseCode.SUCCESS) {
            throw new RocketMqException("code " + r.getCode() + " " + r.getRemark());
        }
        return r;
    }

    @Override
    public void close() {
        client.shutdown();
    }
}
