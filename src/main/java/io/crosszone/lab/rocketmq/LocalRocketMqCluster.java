package io.crosszone.lab.rocketmq;

import io.crosszone.rocketmq.AdminRocketMqGateway;
import io.crosszone.rocketmq.BrokerGroup;
import io.crosszone.rocketmq.ClusterView;
import io.crosszone.rocketmq.RocketMqEndpoints;
import io.crosszone.rocketmq.SyncStateSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A real RocketMQ 5 controller-mode cluster on this machine: name servers, controllers (one, or a
 * DLedger group) and G groups × R brokers, each a separate JVM on its own loopback address with the
 * standard ports, in a private 127.a.b.0/24 block ({@link LoopbackBlock}, or the block the builder
 * names: the lab's network namespaces) so that several clusters can run at once. Addresses: name servers 127.a.b.1…, controllers 127.a.b.11…, broker i of group g
 * 127.a.b.(100 + 10g + i).
 *
 * <p>Members can be started all at once ({@link #start()}) or one by one (the lab's kubelet starts
 * a member when its pod is bound): {@link #nameServer(int)}, {@link #controller(int)},
 * {@link #broker(int, int)} give each {@link RocketMqProcess}. {@link #close()} kills everything
 * and frees the block; a shutdown hook does the same if the JVM ends first.
 */
public final class LocalRocketMqCluster implements AutoCloseable {
    /** Broker properties of the runbook, plus what keeps writes available after a zone loss. */
    public static final Map<String, String> HA_BROKER_PROPERTIES = Map.of(
            "inSyncReplicas", "2", "totalReplicas", "2", "minInSyncReplicas", "1",
            "enableAutoInSyncReplicas", "true", "allAckInSyncStateSet", "true");
    /** The runbook's broker properties as written (no allAckInSyncStateSet). */
    public static final Map<String, String> RUNBOOK_BROKER_PROPERTIES = Map.of(
            "inSyncReplicas", "2", "totalReplicas", "2", "minInSyncReplicas", "1",
            "enableAutoInSyncReplicas", "true");

    private static final Map<String, String> SMALL_BROKER = Map.of(
            "mappedFileSizeCommitLog", "67108864", "mappedFileSizeConsumeQueue", "600000",
            "timerWheelEnable", "false", "transientStorePoolEnable", "false", "flushDiskType", "ASYNC_FLUSH",
            "sendMessageThreadPoolNums", "2", "pullMessageThreadPoolNums", "4", "autoCreateTopicEnable", "false");
    private static final Map<String, String> FAST_BROKER = Map.of(
            "brokerHeartbeatInterval", "500", "controllerHeartBeatTimeoutMills", "3000",
            "checkSyncStateSetPeriod", "1000", "syncBrokerMetadataPeriod", "1000",
            "syncControllerMetadataPeriod", "2000", "haMaxTimeSlaveNotCatchup", "5000");
    private static final Map<String, String> FAST_CONTROLLER = Map.of(
            "scanNotActiveBrokerInterval", "1000", "scanInactiveMasterInterval", "1000");

    private final Builder spec;
    /** Holds the HA ports, and gives the addresses unless the builder names other ones. */
    private final LoopbackBlock block;
    private final String addressBlock;
    private final IntFunction<String> addresses;
    private final Path workDir;
    private final RocketMqServers servers;
    private final List<RocketMqProcess> nameServers = new ArrayList<>();
    private final List<RocketMqProcess> controllers = new ArrayList<>();
    private final List<List<RocketMqProcess>> brokers = new ArrayList<>();
    private final List<RocketMqProcess> all = new CopyOnWriteArrayList<>();

    private LocalRocketMqCluster(Builder spec) {
        this.spec = spec;
        this.servers = RocketMqServers.locate();
        this.block = LoopbackBlock.allocate();
        this.addressBlock = spec.addressBlock != null ? spec.addressBlock : block.toString();
        this.addresses = spec.addresses != null ? spec.addresses : block::address;
        String id = addressBlock.replace("/24", "").replace('.', '-');
        this.workDir = spec.workDir.resolve(spec.clusterName + "-" + id).toAbsolutePath();
        try {
            RocketMqProcess.deleteTree(workDir);
            Files.createDirectories(workDir);
            for (int i = 0; i < spec.nameServers; i++) {
                nameServers.add(define(newNameServer(i)));
            }
            for (int i = 0; i < spec.controllers; i++) {
                controllers.add(define(newController(i)));
            }
            for (int g = 0; g < spec.groups; g++) {
                List<RocketMqProcess> group = new ArrayList<>();
                for (int i = 0; i < spec.replicas; i++) {
                    group.add(define(newBroker(g, i, addresses.apply(100 + 10 * g + i))));
                }
                brokers.add(group);
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts every member (name servers, then controllers, then brokers) and waits until healthy. */
    public LocalRocketMqCluster start() {
        Duration memberTimeout = Duration.ofSeconds(60);
        startAll(nameServers, memberTimeout);
        startAll(controllers, memberTimeout);
        brokers.forEach(g -> g.forEach(RocketMqProcess::start));
        awaitHealthy(spec.startTimeout);
        return this;
    }

    private static void startAll(List<RocketMqProcess> members, Duration timeout) {
        members.forEach(RocketMqProcess::start);
        for (RocketMqProcess m : members) {
            if (!m.awaitListening(timeout)) {
                throw new IllegalStateException(m + " did not listen within " + timeout + "; see " + m.dir().resolve("logs"));
            }
        }
    }

    /**
     * Waits until every group has a master in the name server's view and a SyncStateSet holding all
     * its replicas, alive; throws with the last observed state on timeout.
     */
    public void awaitHealthy(Duration timeout) {
        try (AdminRocketMqGateway gateway = gateway(Duration.ofSeconds(2))) {
            String[] last = {"nothing observed yet"};
            boolean ok = poll(timeout, Duration.ofMillis(250), () -> {
                try {
                    ClusterView view = gateway.clusterView(false);
                    Map<String, SyncStateSet> sets = gateway.syncStateSets(groupNames());
                    last[0] = "masters=" + view.masters() + " syncStateSets=" + sets;
                    return groupNames().stream().allMatch(g -> view.masterAddress(g).isPresent()
                            && view.group(g).map(BrokerGroup::members).map(List::size).orElse(0) == spec.replicas
                            && sets.containsKey(g) && sets.get(g).aliveInSync() == spec.replicas);
                } catch (RuntimeException e) {
                    last[0] = e.getMessage();
                    return false;
                }
            });
            if (!ok) {
                throw new IllegalStateException("cluster not healthy within " + timeout + ": " + last[0]
                        + "; logs under " + workDir);
            }
        }
    }

    /** A new admin gateway on this cluster's name servers and controllers (the caller closes it). */
    public AdminRocketMqGateway gateway(Duration callTimeout) {
        return new AdminRocketMqGateway(endpoints(callTimeout));
    }

    public RocketMqEndpoints endpoints(Duration callTimeout) {
        return new RocketMqEndpoints(nameServers.stream().map(RocketMqProcess::endpoint).toList(),
                controllers.stream().map(RocketMqProcess::endpoint).toList(), callTimeout);
    }

    /** Name servers in RocketMQ's notation (a;b), for clients. */
    public String nameServerList() {
        return nameServers.stream().map(RocketMqProcess::endpoint).collect(Collectors.joining(";"));
    }

    public String controllerList() {
        return controllers.stream().map(RocketMqProcess::endpoint).collect(Collectors.joining(";"));
    }

    public String clusterName() {
        return spec.clusterName;
    }

    /** The group's RocketMQ brokerName: {@code <cluster>-<g>}, as the operator names it. */
    public String groupName(int group) {
        return spec.clusterName + "-" + group;
    }

    public List<String> groupNames() {
        return IntStream.range(0, brokers.size()).mapToObj(this::groupName).toList();
    }

    public RocketMqProcess nameServer(int i) {
        return nameServers.get(i);
    }

    public RocketMqProcess controller(int i) {
        return controllers.get(i);
    }

    public RocketMqProcess broker(int group, int index) {
        return brokers.get(group).get(index);
    }

    public List<RocketMqProcess> brokers(int group) {
        return Collections.unmodifiableList(brokers.get(group));
    }

    public int groupCount() {
        return brokers.size();
    }

    public int replicasPerGroup() {
        return spec.replicas;
    }

    /** Every member, running or not. */
    public List<RocketMqProcess> members() {
        return List.copyOf(all);
    }

    /** The member bound to this address, if any (a kubelet stand-in maps pod IPs to processes). */
    public Optional<RocketMqProcess> memberAt(String address) {
        return all.stream().filter(m -> m.address().equals(address)).findFirst();
    }

    public Path workDir() {
        return workDir;
    }

    /** Kills every member, deletes their stores (logs stay) and frees the addresses and ports. */
    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (RocketMqProcess m : all) {
            try {
                m.kill();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        for (RocketMqProcess m : all) {
            try {
                RocketMqProcess.deleteTree(m.dir().resolve("store"));
            } catch (RuntimeException ignored) {
                // disk space only
            }
        }
        block.close();
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    @Override
    public String toString() {
        return "LocalRocketMqCluster[" + addressBlock + ", " + all.size() + " members]";
    }

    /** Polls a condition until true or the timeout; returns whether it became true. */
    public static boolean poll(Duration timeout, Duration interval, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            RocketMqProcess.sleep(interval.toMillis());
        }
    }

    private RocketMqProcess define(RocketMqProcess member) {
        all.add(member);
        return member;
    }

    private RocketMqProcess newNameServer(int i) {
        String address = addresses.apply(1 + i);
        Path dir = workDir.resolve("namesrv-" + i);
        Map<String, String> c = new LinkedHashMap<>();
        c.put("listenPort", String.valueOf(Role.NAME_SERVER.standardPort()));
        c.put("bindAddress", address);
        c.put("enableControllerInNamesrv", "false");
        c.put("kvConfigPath", dir.resolve("store/kvConfig.json").toString());
        c.put("configStorePath", dir.resolve("store/namesrv.properties").toString());
        c.put("rocketmqHome", dir.resolve("home").toString());
        return new RocketMqProcess("namesrv-" + i, Role.NAME_SERVER, address, Role.NAME_SERVER.standardPort(),
                dir, servers, c);
    }

    private RocketMqProcess newController(int i) {
        String address = addresses.apply(11 + i);
        Path dir = workDir.resolve("controller-" + i);
        String peers = IntStream.range(0, spec.controllers)
                .mapToObj(n -> "n" + n + "-" + addresses.apply(11 + n) + ":" + Role.CONTROLLER.standardPort())
                .collect(Collectors.joining(";"));
        Map<String, String> c = new LinkedHashMap<>();
        c.put("listenPort", String.valueOf(Role.CONTROLLER.standardPort()));
        c.put("bindAddress", address);
        c.put("controllerDLegerGroup", "group1");
        c.put("controllerDLegerPeers", peers);
        c.put("controllerDLegerSelfId", "n" + i);
        c.put("controllerStorePath", dir.resolve("store").toString());
        c.put("mappedFileSize", "67108864");
        c.put("enableElectUncleanMaster", "false");
        c.put("notifyBrokerRoleChanged", "true");
        c.put("rocketmqHome", dir.resolve("home").toString());
        c.put("configStorePath", dir.resolve("store/controller.properties").toString());
        if (spec.fastFailureDetection) {
            c.putAll(FAST_CONTROLLER);
        }
        c.putAll(spec.controllerProperties);
        return new RocketMqProcess("controller-" + i, Role.CONTROLLER, address, Role.CONTROLLER.standardPort(),
                dir, servers, c);
    }

    private RocketMqProcess newBroker(int group, int index, String address) {
        String name = "broker-" + group + "-" + index;
        Path dir = workDir.resolve(name);
        Map<String, String> c = new LinkedHashMap<>();
        c.put("brokerClusterName", spec.clusterName);
        c.put("brokerName", groupName(group));
        c.put("brokerId", String.valueOf(index)); // ignored in controller mode: the controller assigns ids
        c.put("brokerIP1", address);
        c.put("brokerIP2", address);
        c.put("bindAddress", address);
        c.put("listenPort", String.valueOf(Role.BROKER.standardPort()));
        c.put("haListenPort", String.valueOf(block.allocateHaPort()));
        c.put("namesrvAddr", nameServerList());
        c.put("enableControllerMode", "true");
        c.put("controllerAddr", controllerList());
        c.put("storePathRootDir", dir.resolve("store").toString());
        c.put("storePathCommitLog", dir.resolve("store/commitlog").toString());
        c.put("rocketmqHome", dir.resolve("home").toString());
        c.putAll(SMALL_BROKER);
        if (spec.fastFailureDetection) {
            c.putAll(FAST_BROKER);
        }
        c.putAll(spec.brokerProperties);
        c.putAll(spec.groupProperties.getOrDefault(group, Map.of()));
        return new RocketMqProcess(name, Role.BROKER, address, Role.BROKER.standardPort(), dir, servers, c);
    }

    /** What to start; {@link #build()} allocates addresses and directories but starts nothing. */
    public static final class Builder {
        private String clusterName = "rmq";
        private int nameServers = 1;
        private int controllers = 1;
        private int groups = 3;
        private int replicas = 2;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>(HA_BROKER_PROPERTIES);
        private final Map<Integer, Map<String, String>> groupProperties = new LinkedHashMap<>();
        private final Map<String, String> controllerProperties = new LinkedHashMap<>();
        private boolean fastFailureDetection;
        private Path workDir = Paths.get("target", "rocketmq-lab");
        private Duration startTimeout = Duration.ofSeconds(120);
        private String addressBlock;
        private IntFunction<String> addresses;

        private Builder() {
        }

        /**
         * Members' addresses from another block than a loopback one (the lab's network namespaces):
         * {@code address.apply(host)} for host 1..199, as in a 127.a.b.0/24 block.
         */
        public Builder addresses(String block, IntFunction<String> address) {
            this.addressBlock = block;
            this.addresses = address;
            return this;
        }

        /** RocketMQ cluster name (brokerClusterName); groups are named {@code <cluster>-<g>}. */
        public Builder clusterName(String name) {
            this.clusterName = name;
            return this;
        }

        public Builder nameServers(int n) {
            this.nameServers = n;
            return this;
        }

        /** 1 = a standalone controller; 3 = a DLedger group (needs a majority to elect). */
        public Builder controllers(int n) {
            this.controllers = n;
            return this;
        }

        public Builder groups(int n) {
            this.groups = n;
            return this;
        }

        public Builder replicasPerGroup(int n) {
            this.replicas = n;
            return this;
        }

        /** Replaces the broker properties applied to every broker (default {@link #HA_BROKER_PROPERTIES}). */
        public Builder brokerProperties(Map<String, String> properties) {
            brokerProperties.clear();
            brokerProperties.putAll(properties);
            return this;
        }

        /** Extra properties for the brokers of one group, over the common ones. */
        public Builder groupProperties(int group, Map<String, String> properties) {
            groupProperties.put(group, Map.copyOf(properties));
            return this;
        }

        public Builder controllerProperties(Map<String, String> properties) {
            controllerProperties.putAll(properties);
            return this;
        }

        /**
         * Shorter failure-detection timers (broker heartbeat 0.5 s, timeout 3 s, controller scans
         * 1 s, SyncStateSet checks 1 s): a frozen master is replaced in ~3–4 s instead of ~11 s.
         */
        public Builder fastFailureDetection(boolean fast) {
            this.fastFailureDetection = fast;
            return this;
        }

        /** Parent of the cluster's directory (default target/rocketmq-lab). */
        public Builder workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        public Builder startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }

        public LocalRocketMqCluster build() {
            if (nameServers < 1 || controllers < 1 || groups < 0 || replicas < 1 || nameServers > 9 || controllers > 9
                    || groups > 9 || replicas > 9) {
                throw new IllegalArgumentException("counts out of range (1..9 each)");
            }
            return new LocalRocketMqCluster(this);
        }
    }
}
