package io.crosszone.tasks.verify;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.config.ZoneSpec;
import io.crosszone.plan.BrokerPlacement;
import io.crosszone.plan.PlacementPlan;
import io.crosszone.plan.PlacementPlanner;
import io.crosszone.tasks.verify.DistributionSnapshot.BrokerPod;
import io.crosszone.tasks.verify.DistributionSnapshot.ControllerStorage;
import io.crosszone.tasks.verify.DistributionSnapshot.MemberPod;
import io.crosszone.tasks.verify.DistributionSnapshot.RegisteredBroker;
import io.crosszone.tasks.verify.DistributionSnapshot.Replica;
import io.crosszone.tasks.verify.DistributionSnapshot.RocketMqView;
import io.crosszone.tasks.verify.DistributionSnapshot.SyncState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Hand-built cluster states for the checks: the runbook's deployment, healthy and placed as planned. */
final class Snapshots {
    static final CrosszoneConfig CONFIG = config();
    static final PlacementPlan PLAN = PlacementPlanner.plan(CONFIG);

    private Snapshots() {
    }

    static CrosszoneConfig config() {
        CrosszoneConfig c = new CrosszoneConfig();
        c.setZones(List.of(new ZoneSpec("az1", List.of("n1", "n2", "n3")), new ZoneSpec("az2", List.of("n4", "n5", "n6"))));
        c.getBrokers().setGroups(3);
        c.getBrokers().setReplicasPerGroup(2);
        return c;
    }

    /** A mutable copy of the healthy state; tests break one thing each. */
    static final class Builder {
        final List<BrokerPod> brokers = new ArrayList<>();
        final List<MemberPod> nameServers = new ArrayList<>();
        final List<MemberPod> controllers = new ArrayList<>();
        final Map<String, String> nodeZones = new HashMap<>();
        final Map<String, List<RegisteredBroker>> cluster = new LinkedHashMap<>();
        final Map<String, SyncState> sync = new LinkedHashMap<>();
        final Map<String, Map<String, String>> configs = new LinkedHashMap<>();
        final Map<String, Set<String>> topics = new LinkedHashMap<>();
        String leader = "127.0.0.50:9878";
        ControllerStorage storage = new ControllerStorage("EmptyDir", false);
        boolean rocketmqUp = true;
        /** Overrides what a name server lists (by default each lists every registered broker). */
        final Map<String, Set<String>> listedByNameServer = new LinkedHashMap<>();
        Set<String> silentNameServers = Set.of();

        Builder() {
            for (int i = 1; i <= 6; i++) {
                nodeZones.put("n" + i, i <= 3 ? "az1" : "az2");
            }
            int az1 = 1;
            int az2 = 4;
            for (BrokerPlacement p : PLAN.brokers()) {
                String node = p.plannedZone().equals("az1") ? "n" + az1++ : "n" + az2++;
                String ip = "10.0." + p.group() + "." + (10 + p.replica());
                Map<String, String> labels = new HashMap<>(p.podLabels());
                labels.put("broker_cr", "broker");
                brokers.add(new BrokerPod(p.statefulSet(), p.group(), p.replica(), p.statefulSet() + "-0", node, ip, true,
                        p.affinity(), labels, "10.1.0.1:9876;10.1.0.2:9876"));
                String addr = ip + ":10911";
                cluster.computeIfAbsent("broker-" + p.group(), g -> new ArrayList<>())
                        .add(new RegisteredBroker(p.replica() == 0 ? 0 : p.replica() + 1, addr));
                configs.put(addr, new HashMap<>(Map.of("inSyncReplicas", "2", "allAckInSyncStateSet", "true",
                        "controllerHeartBeatTimeoutMills", "10000", "registerBrokerTimeoutMills", "6000")));
                topics.put(addr, Set.of("TopicTest", "broker-" + p.group()));
            }
            for (int g = 0; g < 3; g++) {
                List<Replica> inSync = new ArrayList<>();
                for (RegisteredBroker b : cluster.get("broker-" + g)) {
                    inSync.add(new Replica(b.brokerId() == 0 ? 1 : b.brokerId(), b.address(), true));
                }
                sync.put("broker-" + g, new SyncState(1, cluster.get("broker-" + g).get(0).address(), 1, inSync, List.of()));
            }
            nameServers.add(new MemberPod("namesrv-0", "n1", "10.1.0.1", true));
            nameServers.add(new MemberPod("namesrv-1", "n4", "10.1.0.2", true));
            controllers.add(new MemberPod("controller-0", "n5", "10.2.0.1", true));
        }

        Builder replaceBroker(String statefulSet, java.util.function.UnaryOperator<BrokerPod> change) {
            brokers.replaceAll(b -> b.statefulSet().equals(statefulSet) ? change.apply(b) : b);
            return this;
        }

        DistributionSnapshot build() {
            Map<String, Set<String>> listed = new LinkedHashMap<>();
            nameServers.forEach(n -> listed.put(n.ip() + ":9876", cluster.values().stream().flatMap(List::stream)
                    .map(RegisteredBroker::address).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new))));
            listed.putAll(listedByNameServer);
            silentNameServers.forEach(listed::remove);
            RocketMqView view = rocketmqUp ? new RocketMqView(cluster, sync, leader, controllers.size(), configs, topics,
                    listed, silentNameServers) : null;
            return new DistributionSnapshot("rocketmq", "broker", brokers, nameServers, controllers, nodeZones, storage, view);
        }
    }

    static Builder healthy() {
        return new Builder();
    }
}
