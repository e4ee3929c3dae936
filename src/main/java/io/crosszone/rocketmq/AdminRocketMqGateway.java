package io.crosszone.rocketmq;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.common.Pair;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.remoting.exception.RemotingException;
import org.apache.rocketmq.remoting.protocol.ResponseCode;
import org.apache.rocketmq.remoting.protocol.body.BrokerMemberGroup;
import org.apache.rocketmq.remoting.protocol.body.BrokerReplicasInfo;
import org.apache.rocketmq.remoting.protocol.body.ClusterInfo;
import org.apache.rocketmq.remoting.protocol.body.KVTable;
import org.apache.rocketmq.remoting.protocol.header.controller.ElectMasterResponseHeader;
import org.apache.rocketmq.remoting.protocol.header.controller.GetMetaDataResponseHeader;
import org.apache.rocketmq.remoting.protocol.route.BrokerData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;

/**
 * {@link RocketMqGateway} over rocketmq-tools' {@link DefaultMQAdminExt}.
 *
 * <p>One admin client per name server: the client's own fail-over only moves on when a connection
 * cannot be opened, not when a (frozen) name server accepts and never answers, so each name server
 * is asked on its own with the call timeout, the last one that answered first. Controller and broker
 * calls name their address explicitly and share the first client.
 */
public final class AdminRocketMqGateway implements RocketMqGateway {
    static {
        ClientLogging.configure();
    }

    private static final String VERSION_KEY = "brokerVersionDesc";
    /** How long a controller call follows a leader change (at least; 5 call timeouts when longer). */
    private static final long LEADER_WINDOW_MIN_MILLIS = 15_000;
    private static final long LEADER_RETRY_PAUSE_MILLIS = 300;

    private final RocketMqEndpoints endpoints;
    private final long timeoutMillis;
    private final List<DefaultMQAdminExt> admins = new ArrayList<>();
    private final ExecutorService pool;
    private final long leaderWindowMillis;
    private volatile int preferred;
    private volatile int preferredController;

    public AdminRocketMqGateway(RocketMqEndpoints endpoints) {
        this.endpoints = Objects.requireNonNull(endpoints);
        this.timeoutMillis = endpoints.callTimeout().toMillis();
        this.leaderWindowMillis = Math.max(LEADER_WINDOW_MIN_MILLIS, 5 * timeoutMillis);
        this.pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "rocketmq-gateway");
            t.setDaemon(true);
            return t;
        });
        try {
            for (String nameServer : endpoints.nameServers()) {
                DefaultMQAdminExt admin = new DefaultMQAdminExt(timeoutMillis);
                admin.setNamesrvAddr(nameServer);
                admin.setInstanceName("crosszone-" + UUID.randomUUID());
                admin.setVipChannelEnabled(false);
                admin.setMqClientApiTimeout((int) timeoutMillis);
                admin.start();
                admins.add(admin);
            }
        } catch (Exception e) {
            close();
            throw new RocketMqException("cannot start the RocketMQ admin client: " + e.getMessage(), e);
        }
    }

    public RocketMqEndpoints endpoints() {
        return endpoints;
    }

    @Override
    public ClusterView clusterView() {
        return clusterView(true);
    }

    /**
     * clusterList; without versions it is one name-server call, which suits tight polling (asking a
     * frozen broker its version would wait out the timeout).
     */
    @Override
    public ClusterView clusterView(boolean withVersions) {
        return view(onNameServers("clusterList", DefaultMQAdminExt::examineBrokerClusterInfo), withVersions);
    }

    @Override
    public Map<String, ClusterView> clusterViewPerNameServer() {
        Map<String, ClusterView> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < admins.size(); i++) {
            try {
                out.put(endpoints.nameServers().get(i), view(admins.get(i).examineBrokerClusterInfo(), false));
            } catch (Exception e) {
                restoreInterrupt(e); // absent: this name server did not answer
            }
        }
        return out;
    }

    private ClusterView view(ClusterInfo info, boolean withVersions) {
        Map<String, String> clusterOf = new HashMap<>();
        if (info.getClusterAddrTable() != null) {
            info.getClusterAddrTable().forEach((cluster, names) -> names.forEach(n -> clusterOf.put(n, cluster)));
        }
        Map<String, CompletableFuture<String>> versions = new HashMap<>();
        Map<String, BrokerData> brokers = info.getBrokerAddrTable() == null ? Map.of() : info.getBrokerAddrTable();
        if (withVersions) {
            brokers.values().forEach(data -> data.getBrokerAddrs().values().forEach(addr ->
                    versions.computeIfAbsent(addr, a -> CompletableFuture.supplyAsync(() -> version(a), pool))));
        }
        Map<String, BrokerGroup> groups = new TreeMap<>();
        brokers.forEach((name, data) -> {
            List<BrokerMember> members = new ArrayList<>();
            new TreeMap<>(data.getBrokerAddrs()).forEach((id, addr) -> members.add(new BrokerMember(id, addr,
                    withVersions ? versions.get(addr).join() : BrokerMember.UNKNOWN_VERSION)));
            String cluster = data.getCluster() != null ? data.getCluster() : clusterOf.get(name);
            groups.put(name, new BrokerGroup(cluster, name, members));
        });
        return new ClusterView(groups);
    }

    @Override
    public ControllerMetadata controllerMetadata() {
        List<String> controllers = endpoints.controllers();
        if (controllers.isEmpty()) {
            throw new RocketMqException("no controller address given");
        }
        ControllerMetadata withoutLeader = null;
        List<String> failures = new ArrayList<>();
        int start = preferredController; // the last one that answered: a frozen one costs a timeout once, not per call
        for (int i = 0; i < controllers.size(); i++) {
            int index = (start + i) % controllers.size();
            String controller = controllers.get(index);
            try {
                GetMetaDataResponseHeader h = admin().getControllerMetaData(controller);
                ControllerMetadata meta = new ControllerMetadata(h.getGroup(), h.getControllerLeaderId(),
                        h.getControllerLeaderAddress(), RocketMqEndpoints.split(h.getPeers()), controller);
                preferredController = index;
                if (meta.hasLeader()) {
                    return meta;
                }
                withoutLeader = meta;
            } catch (Exception e) {
                failures.add(controller + ": " + describe(e));
                restoreInterrupt(e);
            }
        }
        if (withoutLeader != null) {
            return withoutLeader;
        }
        throw new RocketMqException("no controller answered getControllerMetaData: " + String.join("; ", failures));
    }

    @Override
    public Map<String, SyncStateSet> syncStateSets(Collection<String> groups) {
        BrokerReplicasInfo info = onLeader("getSyncStateSet",
                leader -> admin().getInSyncStateData(leader, new ArrayList<>(groups)));
        Map<String, SyncStateSet> result = new TreeMap<>();
        if (info.getReplicasInfoTable() != null) {
            info.getReplicasInfoTable().forEach((group, r) -> result.put(group, new SyncStateSet(group,
                    r.getMasterBrokerId(), r.getMasterAddress(), r.getMasterEpoch(), r.getSyncStateSetEpoch(),
                    replicas(r.getInSyncReplicas()), replicas(r.getNotInSyncReplicas()))));
        }
        return result;
    }

    @Override
    public ElectionResult electMaster(String cluster, String group, Long brokerId) {
        Pair<ElectMasterResponseHeader, BrokerMemberGroup> answer = onLeader("electMaster",
                leader -> admin().electMaster(leader, cluster, group, brokerId));
        ElectMasterResponseHeader h = answer.getObject1();
        BrokerMemberGroup members = answer.getObject2();
        return new ElectionResult(group, h.getMasterBrokerId(), h.getMasterAddress(), h.getMasterEpoch(),
                h.getSyncStateSetEpoch(), members == null ? Map.of() : members.getBrokerAddrs());
    }

    @Override
    public List<String> replicationClients(String masterAddress) {
        try {
            org.apache.rocketmq.remoting.protocol.body.HARuntimeInfo info = admin().getBrokerHAStatus(masterAddress);
            List<String> clients = new ArrayList<>();
            if (info != null && info.getHaConnectionInfo() != null) {
                info.getHaConnectionInfo().forEach(c -> clients.add(c.getAddr()));
            }
            return clients;
        } catch (Exception e) {
            throw new RocketMqException("getBrokerHAStatus of " + masterAddress + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void forgetBrokerIds(String cluster, String group, java.util.Set<Long> brokerIds) {
        if (brokerIds.isEmpty()) {
            return;
        }
        String ids = String.join(";", brokerIds.stream().sorted().map(String::valueOf).toList());
        onLeader("cleanBrokerData " + group + " ids " + ids, leader -> {
            admin().cleanControllerBrokerData(leader, cluster, group, ids, false);
            return null;
        });
    }

    @Override
    public Properties brokerConfig(String brokerAddress) {
        return call("getBrokerConfig " + brokerAddress, () -> admin().getBrokerConfig(brokerAddress));
    }

    @Override
    public List<String> createTopicOnGroup(String group, TopicSpec topic) {
        BrokerGroup g = clusterView(false).group(group)
                .orElseThrow(() -> new RocketMqException("group " + group + " is not registered with the name server"));
        TopicConfig config = new TopicConfig(topic.name(), topic.readQueues(), topic.writeQueues(), topic.perm());
        List<String> written = new ArrayList<>();
        for (BrokerMember member : g.members()) {
            call("createTopic " + topic.name() + " on " + member.address(), () -> {
                admin().createAndUpdateTopicConfig(member.address(), config);
                return null;
            });
            written.add(member.address());
        }
        return written;
    }

    @Override
    public Map<String, TopicSpec> topics(String brokerAddress) {
        Map<String, TopicSpec> out = new java.util.TreeMap<>();
        topicConfigs(brokerAddress).forEach((name, c) -> out.put(name,
                new TopicSpec(name, Math.max(1, c.getReadQueueNums()), Math.max(1, c.getWriteQueueNums()), c.getPerm())));
        return out;
    }

    @Override
    public TopicComparison compareTopics(String group) {
        BrokerGroup g = clusterView(false).group(group)
                .orElseThrow(() -> new RocketMqException("group " + group + " is not registered with the name server"));
        String master = g.master().map(BrokerMember::address)
                .orElseThrow(() -> new RocketMqException("group " + group + " has no master"));
        Map<String, TopicConfig> masterTopics = topicConfigs(master);
        Map<String, Set<String>> missing = new LinkedHashMap<>();
        Map<String, Set<String>> missingOnMaster = new LinkedHashMap<>();
        Map<String, Set<String>> differing = new LinkedHashMap<>();
        for (BrokerMember slave : g.slaves()) {
            Map<String, TopicConfig> slaveTopics = topicConfigs(slave.address());
            Set<String> lacks = new TreeSet<>();
            Set<String> differs = new TreeSet<>();
            masterTopics.forEach((name, mc) -> {
                TopicConfig sc = slaveTopics.get(name);
                if (sc == null) {
                    lacks.add(name);
                } else if (sc.getReadQueueNums() != mc.getReadQueueNums()
                        || sc.getWriteQueueNums() != mc.getWriteQueueNums() || sc.getPerm() != mc.getPerm()) {
                    differs.add(name);
                }
            });
            missing.put(slave.address(), lacks);
            Set<String> extra = new TreeSet<>(slaveTopics.keySet());
            extra.removeAll(masterTopics.keySet());
            missingOnMaster.put(slave.address(), extra);
            differing.put(slave.address(), differs);
        }
        return new TopicComparison(group, master, masterTopics.keySet(), missing, missingOnMaster, differing);
    }

    @Override
    public void close() {
        admins.forEach(DefaultMQAdminExt::shutdown);
        admins.clear();
        pool.shutdownNow();
    }

    private Map<String, TopicConfig> topicConfigs(String brokerAddress) {
        var wrapper = call("getAllTopicConfig " + brokerAddress, () -> admin().getAllTopicConfig(brokerAddress, timeoutMillis));
        return wrapper.getTopicConfigTable() == null ? Map.of() : new TreeMap<>(wrapper.getTopicConfigTable());
    }

    private String version(String brokerAddress) {
        try {
            KVTable table = admin().fetchBrokerRuntimeStats(brokerAddress);
            String v = table.getTable().get(VERSION_KEY);
            return v == null ? BrokerMember.UNKNOWN_VERSION : v;
        } catch (Exception e) {
            restoreInterrupt(e);
            return BrokerMember.UNKNOWN_VERSION;
        }
    }

    private static List<Replica> replicas(List<BrokerReplicasInfo.ReplicaIdentity> identities) {
        if (identities == null) {
            return List.of();
        }
        return identities.stream()
                .map(i -> new Replica(i.getBrokerId(), i.getBrokerAddress(), Boolean.TRUE.equals(i.getAlive())))
                .toList();
    }

    private DefaultMQAdminExt admin() {
        if (admins.isEmpty()) {
            throw new RocketMqException("gateway is closed");
        }
        return admins.get(0);
    }

    /** Runs a name-server call on each name server in turn, the last one that answered first. */
    private <T> T onNameServers(String what, AdminCall<T> call) {
        List<String> failures = new ArrayList<>();
        int n = admins.size();
        int start = preferred;
        for (int i = 0; i < n; i++) {
            int index = (start + i) % n;
            try {
                T result = call.apply(admins.get(index));
                preferred = index;
                return result;
            } catch (Exception e) {
                failures.add(endpoints.nameServers().get(index) + ": " + describe(e));
                restoreInterrupt(e);
            }
        }
        throw new RocketMqException(what + " failed on every name server: " + String.join("; ", failures));
    }

    /**
     * Runs a call on the controller leader, following a leader change: while the controllers have no
     * leader, or the one named answers "not leader" or not at all, it asks for the leader again, for
     * up to {@link #leaderWindowMillis} (a DLedger election takes seconds). Any other answer, and no
     * controller answering at all, ends it at once.
     */
    private <T> T onLeader(String what, LeaderCall<T> call) {
        long deadline = System.nanoTime() + leaderWindowMillis * 1_000_000L;
        String last = null;
        Exception lastError = null;
        while (true) {
            ControllerMetadata meta = controllerMetadata();
            if (!meta.hasLeader()) {
                last = "the controllers have no leader (asked " + meta.answeredBy() + ")";
            } else {
                try {
                    return call.apply(meta.leaderAddress());
                } catch (Exception e) {
                    restoreInterrupt(e);
                    if (!leaderMayHaveMoved(e)) {
                        throw new RocketMqException(what + " failed on the controller leader " + meta.leaderAddress()
                                + ": " + describe(e), e);
                    }
                    last = "leader " + meta.leaderAddress() + ": " + describe(e);
                    lastError = e;
                }
            }
            if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
                throw new RocketMqException(what + " failed: " + last + " (followed the controller leader for "
                        + leaderWindowMillis / 1000 + " s)", lastError);
            }
            pause(LEADER_RETRY_PAUSE_MILLIS);
        }
    }

    /** A "not leader" answer, or no answer (a leader that died or froze): ask for the leader again. */
    private static boolean leaderMayHaveMoved(Exception e) {
        if (e instanceof MQBrokerException b) {
            return b.getResponseCode() == ResponseCode.CONTROLLER_NOT_LEADER;
        }
        return e instanceof RemotingException;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T call(String what, AdminSupplier<T> supplier) {
        try {
            return supplier.get();
        } catch (Exception e) {
            restoreInterrupt(e);
            throw new RocketMqException(what + " failed: " + describe(e), e);
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }

    private static void restoreInterrupt(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
    }

    @FunctionalInterface
    private interface AdminCall<T> {
        T apply(DefaultMQAdminExt admin) throws Exception;
    }

    @FunctionalInterface
    private interface LeaderCall<T> {
        T apply(String leaderAddress) throws Exception;
    }

    @FunctionalInterface
    private interface AdminSupplier<T> {
        T get() throws Exception;
    }
}
