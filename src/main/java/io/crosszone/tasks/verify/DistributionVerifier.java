package io.crosszone.tasks.verify;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.plan.PlacementPlan;
import io.crosszone.plan.Topology;
import io.crosszone.plan.ZoneLossAnalyzer;
import io.crosszone.tasks.verify.DistributionSnapshot.BrokerPod;
import io.crosszone.tasks.verify.DistributionSnapshot.MemberPod;
import io.crosszone.tasks.verify.DistributionSnapshot.RegisteredBroker;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Evaluates a snapshot against the plan: every check, the table and the zone-loss analysis. Pure. */
public final class DistributionVerifier {
    private DistributionVerifier() {
    }

    /**
     * @param fixedTopics topics --fix-topics created, by slave address (empty when not asked)
     */
    public static Verification evaluate(DistributionSnapshot s, PlacementPlan plan, CrosszoneConfig config,
                                        Map<String, Set<String>> fixedTopics) {
        int groups = config.getBrokers().getGroups();
        int replicas = config.getBrokers().getReplicasPerGroup();
        List<CheckResult> checks = new ArrayList<>(PlacementChecks.all(s, plan, plan.controllerZone()));
        checks.addAll(RocketMqChecks.all(s, plan, groups, replicas));
        Map<String, Long> mastersPerZone = new LinkedHashMap<>();
        if (s.rocketmq() != null) {
            Map<Integer, String> mz = RocketMqChecks.masterZones(s, groups);
            plan.zones().forEach(z -> mastersPerZone.put(z, mz.values().stream().filter(z::equals).count()));
        }
        checks.addAll(ConfigLint.all(s, mastersPerZone));
        checks.add(TopicChecks.check(s, TopicChecks.missingOnSlaves(s), fixedTopics));
        boolean passed = checks.stream().noneMatch(CheckResult::failsVerdict);
        return new Verification(s.namespace(), s.brokerCr(), passed, List.copyOf(checks), rows(s),
                ZoneLossAnalyzer.analyze(actualTopology(s, plan, config)), controllerState(s));
    }

    private static Map<String, io.crosszone.rocketmq.SyncStateSet> controllerState(DistributionSnapshot s) {
        Map<String, io.crosszone.rocketmq.SyncStateSet> out = new LinkedHashMap<>();
        if (s.rocketmq() != null) {
            s.rocketmq().syncStates().forEach((g, st) -> out.put(g, st.asRecord(g)));
        }
        return out;
    }

    static List<Verification.BrokerRow> rows(DistributionSnapshot s) {
        return s.brokers().stream()
                .sorted(Comparator.comparingInt(BrokerPod::group).thenComparingInt(BrokerPod::replica))
                .map(b -> new Verification.BrokerRow(b.group(), b.replica(), b.statefulSet(), b.pod(), b.node(),
                        s.zoneOfNode(b.node()), role(s, b), RocketMqChecks.inSync(s, b), address(s, b)))
                .toList();
    }

    private static String address(DistributionSnapshot s, BrokerPod b) {
        if (s.rocketmq() == null) {
            return null;
        }
        return registered(s, b).map(RegisteredBroker::address).orElse(null);
    }

    private static java.util.Optional<RegisteredBroker> registered(DistributionSnapshot s, BrokerPod b) {
        return s.rocketmq().clusterGroups().getOrDefault(RocketMqChecks.group(s.brokerCr(), b.group()), List.of())
                .stream().filter(r -> s.brokerAt(r.address()).map(b::equals).orElse(false)).findFirst();
    }

    private static String role(DistributionSnapshot s, BrokerPod b) {
        if (s.rocketmq() == null) {
            return "unknown";
        }
        return registered(s, b).map(r -> r.master() ? "master" : "slave").orElse("not registered");
    }

    /** The placement as found: zones of pods, masters from BID 0 (the plan's when RocketMQ is silent). */
    static Topology actualTopology(DistributionSnapshot s, PlacementPlan plan, CrosszoneConfig config) {
        List<Topology.Member> members = new ArrayList<>();
        for (BrokerPod b : s.brokers()) {
            boolean master = s.rocketmq() == null
                    ? plan.plannedMasterReplicas().getOrDefault(b.group(), 0) == b.replica() : "master".equals(role(s, b));
            members.add(new Topology.Member(b.group(), b.replica(), s.zoneOfNode(b.node()), master));
        }
        List<String> nameServers = s.nameServers().stream().map(MemberPod::node).map(s::zoneOfNode).toList();
        List<String> controllers = s.controllers().stream().map(MemberPod::node).map(s::zoneOfNode).toList();
        boolean zonal = s.controllerStorage() != null && s.controllerStorage().zonalReadWriteOnce();
        return new Topology(plan.zones(), members, nameServers, controllers,
                config.getResources().getConsole() != null, zonal);
    }
}
