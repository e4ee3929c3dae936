package io.crosszone.tasks.verify;

import io.crosszone.k8s.NameServerEnv;
import io.crosszone.plan.BrokerPlacement;
import io.crosszone.plan.OperatorNames;
import io.crosszone.plan.PlacementPlan;
import io.crosszone.tasks.verify.DistributionSnapshot.BrokerPod;
import io.crosszone.tasks.verify.DistributionSnapshot.MemberPod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** The Kubernetes side of verify-distribution: pods -> nodes -> zones against the plan. Pure. */
final class PlacementChecks {
    private PlacementChecks() {
    }

    static List<CheckResult> all(DistributionSnapshot s, PlacementPlan plan, String controllerZone) {
        return List.of(brokersScheduled(s, plan), brokersOnDistinctNodes(s), groupsSpanZones(s, plan),
                nameServerPerZone(s, plan), controllerZone(s, controllerZone), affinityDrift(s, plan),
                brokerNameServerEnv(s));
    }

    static CheckResult brokersScheduled(DistributionSnapshot s, PlacementPlan plan) {
        List<String> problems = new ArrayList<>();
        for (BrokerPlacement p : plan.brokers()) {
            BrokerPod b = s.brokers().stream().filter(x -> x.statefulSet().equals(p.statefulSet())).findFirst().orElse(null);
            if (b == null) {
                problems.add(p.statefulSet() + " does not exist");
            } else if (b.node() == null) {
                problems.add(b.statefulSet() + " has no scheduled pod");
            } else if (s.zoneOfNode(b.node()) == null) {
                problems.add(b.pod() + " runs on " + b.node() + ", which has no zone label");
            } else if (!b.ready()) {
                problems.add(b.pod() + " is not Ready");
            }
        }
        return problems.isEmpty()
                ? CheckResult.pass("brokers-scheduled", "all " + plan.brokers().size() + " broker pods run on zoned nodes and are Ready")
                : CheckResult.fail("brokers-scheduled", String.join("; ", problems));
    }

    static CheckResult brokersOnDistinctNodes(DistributionSnapshot s) {
        Map<String, List<String>> byNode = new TreeMap<>();
        s.brokers().stream().filter(b -> b.node() != null)
                .forEach(b -> byNode.computeIfAbsent(b.node(), n -> new ArrayList<>()).add(b.pod()));
        List<String> shared = byNode.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .map(e -> e.getKey() + " runs " + e.getValue()).toList();
        return shared.isEmpty() ? CheckResult.pass("brokers-on-distinct-nodes", "every broker runs on its own node")
                : CheckResult.fail("brokers-on-distinct-nodes", String.join("; ", shared));
    }

    static CheckResult groupsSpanZones(DistributionSnapshot s, PlacementPlan plan) {
        int zones = plan.zones().size();
        List<String> problems = new ArrayList<>();
        Map<Integer, List<BrokerPod>> byGroup = new TreeMap<>();
        s.brokers().forEach(b -> byGroup.computeIfAbsent(b.group(), g -> new ArrayList<>()).add(b));
        for (Map.Entry<Integer, List<BrokerPod>> e : byGroup.entrySet()) {
            Map<String, List<String>> inZone = new LinkedHashMap<>();
            for (BrokerPod b : e.getValue()) {
                String zone = s.zoneOfNode(b.node());
                if (zone != null) {
                    inZone.computeIfAbsent(zone, z -> new ArrayList<>()).add(b.pod());
                }
            }
            int want = Math.min(e.getValue().size(), zones);
            if (inZone.size() < want) {
                inZone.forEach((zone, pods) -> {
                    if (pods.size() > 1) {
                        problems.add("group " + e.getKey() + " has " + pods + " all in zone " + zone);
                    }
                });
                if (inZone.size() < want && problems.stream().noneMatch(p -> p.startsWith("group " + e.getKey() + " "))) {
                    problems.add("group " + e.getKey() + " spans " + inZone.size() + " zone(s), needs " + want);
                }
            }
        }
        return problems.isEmpty() ? CheckResult.pass("groups-span-zones", "the members of every group run in different zones")
                : CheckResult.fail("groups-span-zones", String.join("; ", problems));
    }

    static CheckResult nameServerPerZone(DistributionSnapshot s, PlacementPlan plan) {
        Map<String, Integer> perZone = new LinkedHashMap<>();
        plan.zones().forEach(z -> perZone.put(z, 0));
        for (MemberPod p : s.nameServers()) {
            String zone = s.zoneOfNode(p.node());
            if (zone != null && p.ready()) {
                perZone.merge(zone, 1, Integer::sum);
            }
        }
        List<String> empty = perZone.entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey).toList();
        return empty.isEmpty() ? CheckResult.pass("name-server-per-zone", "Ready name servers per zone: " + perZone)
                : CheckResult.fail("name-server-per-zone", "no Ready name server in zone(s) " + empty + " (per zone: " + perZone + ")");
    }

    static CheckResult controllerZone(DistributionSnapshot s, String wanted) {
        if (s.controllers().isEmpty()) {
            return CheckResult.fail("controller-zone", "no controller pod found");
        }
        List<String> elsewhere = s.controllers().stream()
                .filter(p -> !Objects.equals(s.zoneOfNode(p.node()), wanted))
                .map(p -> p.pod() + " in " + s.zoneOfNode(p.node())).toList();
        return elsewhere.isEmpty()
                ? CheckResult.pass("controller-zone", "the controller runs in " + wanted + " as configured")
                : CheckResult.fail("controller-zone", "expected in " + wanted + ": " + String.join(", ", elsewhere));
    }

    static CheckResult affinityDrift(DistributionSnapshot s, PlacementPlan plan) {
        List<String> drifted = new ArrayList<>();
        Map<String, BrokerPod> byName = new HashMap<>();
        s.brokers().forEach(b -> byName.put(b.statefulSet(), b));
        for (BrokerPlacement p : plan.brokers()) {
            BrokerPod b = byName.get(p.statefulSet());
            if (b == null) {
                continue;
            }
            if (!Objects.equals(b.templateAffinity(), p.affinity())) {
                drifted.add(p.statefulSet() + " affinity differs from the plan");
            }
            Map<String, String> labels = b.templateLabels() == null ? Map.of() : b.templateLabels();
            p.podLabels().forEach((k, v) -> {
                if (!v.equals(labels.get(k))) {
                    drifted.add(p.statefulSet() + " lacks pod label " + k + "=" + v);
                }
            });
        }
        return drifted.isEmpty()
                ? CheckResult.pass("affinity-drift", "every broker StatefulSet carries its planned affinity")
                : CheckResult.fail("affinity-drift", String.join("; ", drifted) + " (run apply-affinity)");
    }

    /**
     * Each broker StatefulSet's NAMESRV_ADDR against the name-server pods running now. A stale
     * template does not hurt the running broker (the operator updated it in place) but its next
     * restart, by anyone, registers it only with the name servers the template names: clients
     * asking the others do not see it. A warning: nothing is wrong until that restart.
     */
    static CheckResult brokerNameServerEnv(DistributionSnapshot s) {
        Set<String> running = new TreeSet<>();
        s.nameServers().stream().filter(m -> m.ip() != null && !m.ip().isEmpty())
                .forEach(m -> running.add(m.ip() + ":" + OperatorNames.NAME_SERVER_PORT));
        if (running.isEmpty()) {
            return CheckResult.pass("broker-name-server-env", "no name-server pod has an IP to compare NAMESRV_ADDR with");
        }
        List<String> stale = new ArrayList<>();
        for (BrokerPod b : s.brokers()) {
            if (b.templateNameServers() == null) {
                continue;
            }
            Set<String> env = NameServerEnv.addresses(b.templateNameServers());
            List<String> lacks = running.stream().filter(a -> !env.contains(a)).toList();
            List<String> gone = env.stream().filter(a -> !running.contains(a)).toList();
            if (!lacks.isEmpty() || !gone.isEmpty()) {
                stale.add(b.statefulSet() + (lacks.isEmpty() ? "" : " lacks " + lacks) + (gone.isEmpty() ? ""
                        : (lacks.isEmpty() ? "" : " and") + " names " + gone + " (no name-server pod has that IP)"));
            }
        }
        return stale.isEmpty()
                ? CheckResult.pass("broker-name-server-env", "every broker StatefulSet's NAMESRV_ADDR names the running name servers "
                + running)
                : CheckResult.warn("broker-name-server-env", "NAMESRV_ADDR in the pod template: " + String.join("; ", stale)
                + ". The running brokers were updated in place (allowRestart=false), but the next restart of these brokers"
                + " registers them only with the name servers listed, so clients asking the others do not see them;"
                + " apply-affinity restarts them one at a time with the running name servers written in");
    }
}
