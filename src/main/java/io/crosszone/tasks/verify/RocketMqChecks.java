package io.crosszone.tasks.verify;

import io.crosszone.plan.MasterBalance;
import io.crosszone.plan.OperatorNames;
import io.crosszone.plan.PlacementPlan;
import io.crosszone.tasks.verify.DistributionSnapshot.BrokerPod;
import io.crosszone.tasks.verify.DistributionSnapshot.RegisteredBroker;
import io.crosszone.tasks.verify.DistributionSnapshot.Replica;
import io.crosszone.tasks.verify.DistributionSnapshot.RocketMqView;
import io.crosszone.tasks.verify.DistributionSnapshot.SyncState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** What RocketMQ itself says: one master per group, brokers matched to pods, full SyncStateSets. Pure. */
final class RocketMqChecks {
    private RocketMqChecks() {
    }

    static List<CheckResult> all(DistributionSnapshot s, PlacementPlan plan, int groups, int replicas) {
        if (s.rocketmq() == null) {
            CheckResult unreachable = CheckResult.fail("rocketmq-reachable",
                    "no name server or controller answered, so RocketMQ's own view is unknown");
            return List.of(unreachable);
        }
        return List.of(oneMasterPerGroup(s, groups), brokersMatchPods(s), nameServersAgree(s), mastersBalanced(s, plan, groups),
                syncStateFull(s, groups, replicas), controllerLeader(s.rocketmq()));
    }

    /**
     * Every name server answers and lists every broker that any of them lists. Brokers register
     * with each name server on their own; a broker started with an old NAMESRV_ADDR is missing
     * from the others, and clients asking those cannot reach it.
     */
    static CheckResult nameServersAgree(DistributionSnapshot s) {
        RocketMqView v = s.rocketmq();
        Set<String> all = new TreeSet<>();
        v.listedByNameServer().values().forEach(all::addAll);
        v.clusterGroups().values().forEach(members -> members.forEach(m -> all.add(m.address())));
        List<String> problems = new ArrayList<>();
        v.listedByNameServer().forEach((ns, listed) -> {
            List<String> missing = all.stream().filter(a -> !listed.contains(a))
                    .map(a -> a + s.brokerAt(a).map(b -> " (" + b.statefulSet() + ")").orElse("")).toList();
            if (!missing.isEmpty()) {
                problems.add("name server " + ns + " does not list " + missing);
            }
        });
        if (!v.silentNameServers().isEmpty()) {
            problems.add("name servers " + v.silentNameServers() + " did not answer");
        }
        return problems.isEmpty()
                ? CheckResult.pass("name-servers-agree", "each of the " + v.listedByNameServer().size()
                + " name servers lists all " + all.size() + " brokers")
                : CheckResult.fail("name-servers-agree", String.join("; ", problems)
                + ": clients asking those name servers cannot reach the brokers missing there");
    }

    static String group(String brokerCr, int g) {
        return OperatorNames.brokerName(brokerCr, g);
    }

    static CheckResult oneMasterPerGroup(DistributionSnapshot s, int groups) {
        List<String> problems = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            List<RegisteredBroker> members = s.rocketmq().clusterGroups().getOrDefault(group(s.brokerCr(), g), List.of());
            long masters = members.stream().filter(RegisteredBroker::master).count();
            if (masters != 1) {
                problems.add(group(s.brokerCr(), g) + " has " + masters + " masters (BID 0) among " + members.size() + " registered");
            }
        }
        return problems.isEmpty() ? CheckResult.pass("one-master-per-group", "every group has exactly one master (BID 0)")
                : CheckResult.fail("one-master-per-group", String.join("; ", problems));
    }

    static CheckResult brokersMatchPods(DistributionSnapshot s) {
        List<String> unknown = s.rocketmq().clusterGroups().values().stream().flatMap(List::stream)
                .filter(b -> s.brokerAt(b.address()).isEmpty()).map(RegisteredBroker::address).toList();
        return unknown.isEmpty()
                ? CheckResult.pass("brokers-match-pods", "every registered broker address is a broker pod's IP")
                : CheckResult.fail("brokers-match-pods", "registered brokers with no matching pod: " + unknown);
    }

    /** The zone of each group's current master, from BID 0 mapped to its pod; null when unknown. */
    static Map<Integer, String> masterZones(DistributionSnapshot s, int groups) {
        Map<Integer, String> zones = new LinkedHashMap<>();
        for (int g = 0; g < groups; g++) {
            String zone = s.rocketmq().clusterGroups().getOrDefault(group(s.brokerCr(), g), List.of()).stream()
                    .filter(RegisteredBroker::master).findFirst()
                    .flatMap(m -> s.brokerAt(m.address())).map(p -> s.zoneOfNode(p.node())).orElse(null);
            zones.put(g, zone);
        }
        return zones;
    }

    static CheckResult mastersBalanced(DistributionSnapshot s, PlacementPlan plan, int groups) {
        Map<Integer, String> masterZones = masterZones(s, groups);
        List<String> offPlan = new ArrayList<>();
        masterZones.forEach((g, zone) -> plan.broker(g, plan.plannedMasterReplicas().getOrDefault(g, 0)).ifPresent(p -> {
            if (!Objects.equals(zone, p.plannedZone())) {
                offPlan.add("group " + g + " master in " + zone + ", planned " + p.plannedZone());
            }
        }));
        String problem = MasterBalance.problem(masterZones, plan.zones(), groups);
        if (problem != null) {
            return CheckResult.fail("masters-balanced", problem);
        }
        return CheckResult.pass("masters-balanced", "masters per zone " + MasterBalance.counts(masterZones, plan.zones())
                + (offPlan.isEmpty() ? ", as planned" : "; off plan: " + String.join(", ", offPlan)
                + " (--rebalance-masters moves them back)"));
    }

    static CheckResult syncStateFull(DistributionSnapshot s, int groups, int replicas) {
        List<String> problems = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            String name = group(s.brokerCr(), g);
            SyncState st = s.rocketmq().syncStates().get(name);
            if (st == null) {
                problems.add(name + ": the controller has no SyncStateSet");
                continue;
            }
            List<Replica> alive = st.inSync().stream().filter(Replica::alive).toList();
            if (alive.size() < replicas) {
                problems.add(name + ": " + alive.size() + "/" + replicas + " in sync and alive"
                        + (st.notInSync().isEmpty() ? "" : ", not in sync: " + st.notInSync().stream()
                        .map(Replica::address).toList())
                        + (st.inSync().size() > alive.size() ? ", in sync but alive=false: " + st.inSync().stream()
                        .filter(r -> !r.alive()).map(Replica::address).toList() : ""));
            }
        }
        return problems.isEmpty() ? CheckResult.pass("sync-state-full", "every group's SyncStateSet holds all "
                + replicas + " replicas, alive") : CheckResult.fail("sync-state-full", String.join("; ", problems));
    }

    static CheckResult controllerLeader(RocketMqView v) {
        return v.controllerLeader() != null
                ? CheckResult.pass("controller-leader", "controller leader " + v.controllerLeader())
                : CheckResult.fail("controller-leader", "no controller leader: no master can be elected");
    }

    /** The in-sync flag of the broker at {@code address}, for the distribution table. */
    static Boolean inSync(DistributionSnapshot s, BrokerPod pod) {
        if (s.rocketmq() == null || pod.ip() == null) {
            return null;
        }
        SyncState st = s.rocketmq().syncStates().get(group(s.brokerCr(), pod.group()));
        if (st == null) {
            return null;
        }
        return st.inSync().stream().anyMatch(r -> r.alive() && s.brokerAt(r.address()).map(pod::equals).orElse(false));
    }
}
