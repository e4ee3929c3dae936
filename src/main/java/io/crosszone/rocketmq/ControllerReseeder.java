package io.crosszone.rocketmq;

import io.crosszone.plan.reseed.ReplicaReport;
import io.crosszone.plan.reseed.ReseedDecision;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.rocketmq.common.MixAll;
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
import org.apache.rocketmq.remoting.protocol.header.controller.GetReplicaInfoRequestHeader;
import org.apache.rocketmq.remoting.protocol.header.controller.GetReplicaInfoResponseHeader;
import org.apache.rocketmq.remoting.protocol.header.controller.admin.CleanControllerBrokerDataRequestHeader;
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

    /**
     * Waits up to {@code timeout} for the controllers to have a leader (a controller just restarted
     * elects one within seconds); returns it, or throws the last failure.
     */
    public String awaitLeader(Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return leader();
            } catch (RocketMqException e) {
                if (System.nanoTime() > until) {
                    throw e;
                }
                Thread.sleep(1_000);
            }
        }
    }

    /**
     * Whether the controller leader needs {@code group} re-seeded: it does not know the group, or it
     * holds ids that never had a master (only a re-seed registers ids without electing, so that is a
     * re-seed cut off on the way; a group that once had a master keeps its SyncStateSet).
     */
    public boolean needsReseed(String group) {
        return groupSet(group).map(g -> g.masterBrokerId() == null && g.syncStateSet().isEmpty()).orElse(true);
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

    /**
     * How far above the decision's floor the new master epoch goes. The floor is what was read; the
     * old controller may have elected once more in the group after that reading, and a replica's
     * in-memory epoch can be above its epoch cache (a re-election of the same master writes no entry).
     */
    static final int EPOCH_MARGIN = 2;
    private static final String UNCLEAN = "enableElectUncleanMaster";

    /**
     * Carries out one group's decision so that the named survivor really becomes master: a broker
     * accepts a new master only at an epoch above the one it knows, and an empty controller starts
     * each group at epoch 0. So: the first id, at once one failed controller election (a group whose
     * epoch is 0 lets any broker win a first election at epoch 1, which every survivor would ignore),
     * the other ids, failed elections until the epoch is above the floor (a failed election with no
     * master raises the epoch by one; the SyncStateSet stays empty), then the designated election.
     * That last election is of a broker outside the (empty) SyncStateSet, which 5.1.4 allows only
     * with {@code enableElectUncleanMaster}: it is set on every controller for that one request and
     * put back at once. Which survivor may win was decided before, from what was in sync
     * ({@link io.crosszone.plan.reseed.ControllerReseedPlan}); the flag only lets the controller obey.
     * A re-run that finds the survivor already master above the floor changes nothing.
     */
    public Outcome execute(String cluster, ReseedDecision.Elect d) {
        String leader = leader();
        long master = d.master().brokerId();
        List<String> steps = new ArrayList<>();
        Optional<GroupInfo> now = groupInfo(leader, d.group());
        if (now.isPresent() && Long.valueOf(master).equals(now.get().masterBrokerId()) && now.get().masterEpoch() > d.epochFloor()) {
            steps.add("already master at epoch " + now.get().masterEpoch());
            return new Outcome(d.group(), master, d.brokerIds().get(master), now.get().masterEpoch(), true, steps);
        }
        boolean placeholder = false;
        for (int attempt = 1; ; attempt++) {
            placeholder = seedIds(leader, cluster, d, steps);
            GroupInfo g = groupInfo(leader, d.group()).orElseThrow(() -> new RocketMqException(
                    d.group() + " is not known to the controller after its ids were applied"));
            if (g.masterBrokerId() == null) {
                break;
            }
            // a broker won an election before the epoch could be raised (or a partial earlier run left
            // a master at too low an epoch): clear the group on the controller and start over once
            if (attempt > 1) {
                throw new RocketMqException(d.group() + ": broker " + g.masterBrokerId() + " became master at epoch "
                        + g.masterEpoch() + " (not above " + d.epochFloor() + ", the survivors ignore it) twice; nothing more done");
            }
            cleanGroup(leader, cluster, d.group());
            steps.add("cleared " + d.group() + " on the controller: broker " + g.masterBrokerId() + " was master at epoch "
                    + g.masterEpoch() + ", not above " + d.epochFloor());
        }
        int target = d.epochFloor() + 1 + EPOCH_MARGIN;
        int epoch = groupInfo(leader, d.group()).map(GroupInfo::masterEpoch).orElse(0);
        for (int i = 0; epoch < target - 1; i++) {
            if (i > target) {
                throw new RocketMqException(d.group() + ": the controller's epoch stays at " + epoch + " (wanted " + (target - 1) + ")");
            }
            failedElection(leader, d.group());
            epoch = groupInfo(leader, d.group()).map(GroupInfo::masterEpoch).orElse(0);
        }
        steps.add("raised epoch to " + epoch);
        ElectMasterResponseHeader h;
        try {
            h = electWithUncleanFlag(leader, cluster, d.group(), master);
        } catch (RocketMqException e) {
            // while the flag was up the survivor's own election request (a broker with no master asks every
            // few seconds) can win first: measured in the lab, "The old master <id> is still alive" (2011)
            Optional<GroupInfo> won = groupInfo(leader, d.group());
            if (e.getMessage().contains("code " + ResponseCode.CONTROLLER_MASTER_STILL_EXIST) && won.isPresent()
                    && Long.valueOf(master).equals(won.get().masterBrokerId()) && won.get().masterEpoch() > d.epochFloor()) {
                steps.add("broker " + master + " won the election itself at epoch " + won.get().masterEpoch());
                if (placeholder) {
                    removePlaceholder(leader, cluster, d.group(), steps);
                }
                return new Outcome(d.group(), master, d.brokerIds().get(master), won.get().masterEpoch(), true, steps);
            }
            throw e;
        }
        steps.add("elected " + h.getMasterBrokerId() + " at epoch " + h.getMasterEpoch());
        if (placeholder) {
            removePlaceholder(leader, cluster, d.group(), steps);
        }
        return new Outcome(d.group(), h.getMasterBrokerId(), h.getMasterAddress(), h.getMasterEpoch(),
                h.getMasterEpoch() > d.epochFloor(), steps);
    }

    /**
     * A broker keeps the highest SyncStateSet epoch it has seen (5.1.4 {@code ReplicasManager.changeSyncStateSet}
     * takes only a higher one), and a master's request to change its set names that epoch. A survivor that
     * was master under the old controller knows an epoch the re-seeded controller is far below, so its
     * requests are refused ("syncStateSet epoch ... not ...") and its returning replica never rejoins the
     * set. This raises the controller's epoch above {@code floor} the only way 5.1.4 offers (one step per
     * {@code CONTROLLER_ALTER_SYNC_STATE_SET}): the set alternates between {master, member} and {master}
     * and always ENDS as {master} alone, so that the controller never lists as in sync a replica the master
     * does not wait for (it could be elected without messages the master acknowledged alone); the master
     * takes that set at its next metadata sync (5 s), then adds {@code member} itself once it has caught up.
     * {@code member} must be alive on the controller (its heartbeats reach it) for the steps through
     * {master, member}. Returns the epoch reached.
     */
    public int raiseSyncStateSetEpoch(String group, long member, int floor) {
        String leader = leader();
        for (int step = 0; ; step++) {
            RemotingCommand info = invoke(leader, RemotingCommand.createRequestCommand(RequestCode.CONTROLLER_GET_REPLICA_INFO,
                    new GetReplicaInfoRequestHeader(group)));
            if (info.getCode() != ResponseCode.SUCCESS || info.getBody() == null) {
                throw new RocketMqException("replica info of " + group + ": code " + info.getCode() + " " + info.getRemark());
            }
            GetReplicaInfoResponseHeader h;
            try {
                h = (GetReplicaInfoResponseHeader) info.decodeCommandCustomHeader(GetReplicaInfoResponseHeader.class);
            } catch (org.apache.rocketmq.remoting.exception.RemotingCommandException e) {
                throw new RocketMqException("replica info of " + group + ": unreadable answer: " + e.getMessage(), e);
            }
            org.apache.rocketmq.remoting.protocol.body.SyncStateSet set = RemotingSerializable.decode(info.getBody(),
                    org.apache.rocketmq.remoting.protocol.body.SyncStateSet.class);
            Long master = h.getMasterBrokerId();
            if (master == null) {
                throw new RocketMqException(group + " has no master on the controller: its SyncStateSet epoch cannot be raised");
            }
            boolean both = set.getSyncStateSet().contains(member);
            if (set.getSyncStateSetEpoch() > floor && !both) {
                return set.getSyncStateSetEpoch();
            }
            if (step > 2 * (floor + 2)) {
                throw new RocketMqException(group + ": SyncStateSet epoch stays at " + set.getSyncStateSetEpoch() + " (wanted above " + floor + ")");
            }
            java.util.Set<Long> next = new java.util.HashSet<>(List.of(master));
            if (!both) {
                next.add(member);
            }
            RemotingCommand alter = RemotingCommand.createRequestCommand(RequestCode.CONTROLLER_ALTER_SYNC_STATE_SET,
                    new org.apache.rocketmq.remoting.protocol.header.controller.AlterSyncStateSetRequestHeader(group, master,
                            h.getMasterEpoch()));
            alter.setBody(new org.apache.rocketmq.remoting.protocol.body.SyncStateSet(next, set.getSyncStateSetEpoch()).encode());
            RemotingCommand r = invoke(leader, alter);
            if (r.getCode() != ResponseCode.SUCCESS) {
                throw new RocketMqException("alter the SyncStateSet of " + group + " to " + next + " refused: code " + r.getCode()
                        + " " + r.getRemark());
            }
        }
    }

    /** Every known id, ascending (an unknown group takes id 1 first); right after the first, one failed election if the epoch is 0. */
    private boolean seedIds(String leader, String cluster, ReseedDecision.Elect d, List<String> steps) {
        List<Map.Entry<Long, String>> ids = d.brokerIds().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList();
        // 5.1.4 takes only id 1 first in a group it does not know; a group whose id 1 is gone (a broker that
        // re-registered under a new id after its volume was replaced, the old id forgotten) gets a placeholder
        // id 1, removed again once the real ids are in. A group known with no master is one a cut-off run
        // began: its id 1 is that run's placeholder, applied again (the same check code: accepted) and removed
        boolean placeholder = !ids.isEmpty() && ids.get(0).getKey() != 1
                && groupInfo(leader, d.group()).map(g -> g.masterBrokerId() == null).orElse(true);
        if (placeholder) {
            applyBrokerId(leader, cluster, d.group(), 1, ids.get(0).getValue());
            steps.add("applied placeholder id 1");
            failedElection(leader, d.group());
        }
        boolean first = !placeholder;
        for (Map.Entry<Long, String> id : ids) {
            applyBrokerId(leader, cluster, d.group(), id.getKey(), id.getValue());
            steps.add("applied id " + id.getKey() + " = " + id.getValue());
            if (first && groupInfo(leader, d.group()).map(GroupInfo::masterEpoch).orElse(0) == 0) {
                failedElection(leader, d.group());
            }
            first = false;
        }
        return placeholder;
    }

    /**
     * Removes the placeholder id 1 once the group has its master: not before, since 5.1.4 drops a group's
     * SyncStateSet record (its epochs) with the last member, and before the election the set is empty.
     */
    private void removePlaceholder(String leader, String cluster, String group, List<String> steps) {
        CleanControllerBrokerDataRequestHeader h = new CleanControllerBrokerDataRequestHeader(cluster, group, "1", false);
        RemotingCommand r = invoke(leader, RemotingCommand.createRequestCommand(RequestCode.CLEAN_BROKER_DATA, h));
        if (r.getCode() != ResponseCode.SUCCESS) {
            throw new RocketMqException("remove the placeholder id 1 of " + group + " refused: code " + r.getCode() + " " + r.getRemark());
        }
        steps.add("removed placeholder id 1");
    }

    /** A group on the controller leader: its master (id null when none), the SyncStateSet and its epoch. */
    public record GroupSet(Long masterBrokerId, String masterAddress, java.util.Set<Long> syncStateSet, int syncStateSetEpoch) {
    }

    /** The group as the controller leader holds it; empty when it does not know the group. */
    public Optional<GroupSet> groupSet(String group) {
        RemotingCommand r = invoke(leader(), RemotingCommand.createRequestCommand(RequestCode.CONTROLLER_GET_REPLICA_INFO,
                new GetReplicaInfoRequestHeader(group)));
        if (r.getCode() == ResponseCode.CONTROLLER_BROKER_METADATA_NOT_EXIST) {
            return Optional.empty();
        }
        if (r.getCode() != ResponseCode.SUCCESS || r.getBody() == null) {
            throw new RocketMqException("replica info of " + group + ": code " + r.getCode() + " " + r.getRemark());
        }
        try {
            GetReplicaInfoResponseHeader h = (GetReplicaInfoResponseHeader) r.decodeCommandCustomHeader(GetReplicaInfoResponseHeader.class);
            org.apache.rocketmq.remoting.protocol.body.SyncStateSet set = RemotingSerializable.decode(r.getBody(),
                    org.apache.rocketmq.remoting.protocol.body.SyncStateSet.class);
            return Optional.of(new GroupSet(h.getMasterBrokerId(), h.getMasterAddress(),
                    set.getSyncStateSet() == null ? java.util.Set.of() : java.util.Set.copyOf(set.getSyncStateSet()),
                    set.getSyncStateSetEpoch()));
        } catch (org.apache.rocketmq.remoting.exception.RemotingCommandException e) {
            throw new RocketMqException("replica info of " + group + ": unreadable answer: " + e.getMessage(), e);
        }
    }


    /** The group's master id on the controller leader: empty when it does not know the group or it has no master. */
    public Optional<Long> masterOf(String group) {
        return groupInfo(leader(), group).map(GroupInfo::masterBrokerId);
    }

    /** What the controller holds for a group: master (null when none) and master epoch; empty when it does not know the group. */
    record GroupInfo(Long masterBrokerId, int masterEpoch) {
    }

    private Optional<GroupInfo> groupInfo(String leader, String group) {
        RemotingCommand r = invoke(leader, RemotingCommand.createRequestCommand(RequestCode.CONTROLLER_GET_REPLICA_INFO,
                new GetReplicaInfoRequestHeader(group)));
        if (r.getCode() == ResponseCode.CONTROLLER_BROKER_METADATA_NOT_EXIST) {
            return Optional.empty();
        }
        if (r.getCode() != ResponseCode.SUCCESS) {
            throw new RocketMqException("replica info of " + group + ": code " + r.getCode() + " " + r.getRemark());
        }
        try {
            GetReplicaInfoResponseHeader h = (GetReplicaInfoResponseHeader) r.decodeCommandCustomHeader(GetReplicaInfoResponseHeader.class);
            return Optional.of(new GroupInfo(h.getMasterBrokerId(), h.getMasterEpoch() == null ? 0 : h.getMasterEpoch()));
        } catch (org.apache.rocketmq.remoting.exception.RemotingCommandException e) {
            throw new RocketMqException("replica info of " + group + ": unreadable answer: " + e.getMessage(), e);
        }
    }

    /** A controller-triggered election (no broker named); with no live member in the SyncStateSet it fails and raises the epoch. */
    private void failedElection(String leader, String group) {
        RemotingCommand r = invoke(leader, RemotingCommand.createRequestCommand(RequestCode.CONTROLLER_ELECT_MASTER,
                ElectMasterRequestHeader.ofControllerTrigger(group)));
        if (r.getCode() == ResponseCode.SUCCESS) {
            throw new RocketMqException(group + ": a controller election meant to fail elected a master: the group's SyncStateSet was not empty");
        }
    }

    /** Clears the group's metadata on the controller (living brokers included): only ever a group this repair is seeding. */
    private void cleanGroup(String leader, String cluster, String group) {
        CleanControllerBrokerDataRequestHeader h = new CleanControllerBrokerDataRequestHeader(cluster, group, null, true);
        RemotingCommand r = invoke(leader, RemotingCommand.createRequestCommand(RequestCode.CLEAN_BROKER_DATA, h));
        if (r.getCode() != ResponseCode.SUCCESS) {
            throw new RocketMqException("clear " + group + " on the controller refused: code " + r.getCode() + " " + r.getRemark());
        }
    }

    /**
     * The designated election with {@code enableElectUncleanMaster} on every controller for that request
     * only; retried for a few heartbeats while the new controller has not yet heard from the broker.
     */
    private ElectMasterResponseHeader electWithUncleanFlag(String leader, String cluster, String group, long brokerId) {
        long deadline = retryDeadline();
        while (true) {
            List<String> raised = new ArrayList<>();
            try {
                for (String c : controllers) {
                    if (!"true".equals(controllerConfig(c).getProperty(UNCLEAN))) {
                        updateControllerConfig(c, "true");
                        raised.add(c);
                    }
                }
                return electMaster(leader, cluster, group, brokerId);
            } catch (RocketMqException e) {
                if (System.nanoTime() > deadline || !e.getMessage().contains("code " + ResponseCode.CONTROLLER_ELECT_MASTER_FAILED)) {
                    throw e;
                }
            } finally {
                raised.forEach(c -> updateControllerConfig(c, "false"));
            }
            sleep(500);
        }
    }

    private Properties controllerConfig(String controller) {
        RemotingCommand r = call(controller, RemotingCommand.createRequestCommand(RequestCode.GET_CONTROLLER_CONFIG, null));
        Properties p = r.getBody() == null ? null : MixAll.string2Properties(new String(r.getBody(), StandardCharsets.UTF_8));
        if (p == null) {
            throw new RocketMqException("config of controller " + controller + " is unreadable");
        }
        return p;
    }

    private void updateControllerConfig(String controller, String uncleanValue) {
        RemotingCommand request = RemotingCommand.createRequestCommand(RequestCode.UPDATE_CONTROLLER_CONFIG, null);
        request.setBody((UNCLEAN + "=" + uncleanValue + "\n").getBytes(StandardCharsets.UTF_8));
        call(controller, request);
    }

    /** How long a retried step may keep trying: five call timeouts (at least 5 s), from now (nanoTime). */
    private long retryDeadline() {
        return System.nanoTime() + Math.max(timeoutMillis, 1_000) * 5 * 1_000_000;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RocketMqException("interrupted", e);
        }
    }

    /**
     * One request; a controller that has just won its DLedger election answers "not in leader state"
     * for a moment, so that answer is retried (a fresh copy of the request) for up to five call timeouts.
     */
    private RemotingCommand invoke(String address, RemotingCommand request) {
        long deadline = retryDeadline();
        while (true) {
            RemotingCommand copy = RemotingCommand.createRequestCommand(request.getCode(), request.readCustomHeader());
            copy.setBody(request.getBody());
            RemotingCommand r = invokeOnce(address, copy);
            if (r.getCode() != ResponseCode.CONTROLLER_NOT_LEADER || System.nanoTime() > deadline) {
                return r;
            }
            sleep(300);
        }
    }

    private RemotingCommand invokeOnce(String address, RemotingCommand request) {
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
