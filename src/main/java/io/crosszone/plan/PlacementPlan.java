package io.crosszone.plan;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The placement of a whole deployment: each broker StatefulSet, the part every broker shares (it
 * also goes into the Broker CR so it survives a StatefulSet being recreated), the name server
 * and the controller.
 */
public record PlacementPlan(List<String> zones, List<BrokerPlacement> brokers, Affinity brokerCommon,
                            Affinity nameServer, Affinity controller, String controllerZone,
                            int nameServerReplicas) {

    public Optional<BrokerPlacement> broker(String statefulSet) {
        return brokers.stream().filter(b -> b.statefulSet().equals(statefulSet)).findFirst();
    }

    public Optional<BrokerPlacement> broker(int group, int replica) {
        return brokers.stream().filter(b -> b.group() == group && b.replica() == replica).findFirst();
    }

    /** How many likely masters (replica 0) are planned into each zone, in zone order. */
    public List<Long> masterCountPerZone() {
        return zones.stream()
                .map(z -> brokers.stream().filter(b -> b.likelyMaster() && b.plannedZone().equals(z)).count())
                .toList();
    }

    /** The replica planned as master of each group (by group index): the member in the group's master zone. */
    public Map<Integer, Integer> plannedMasterReplicas() {
        Map<Integer, Integer> out = new LinkedHashMap<>();
        brokers.stream().filter(BrokerPlacement::likelyMaster).forEach(b -> out.put(b.group(), b.replica()));
        return out;
    }

    /**
     * This plan, but a group whose members already run in the zones the plan gives it, only in
     * another order (e.g. replica 0 in az1 and replica 1 in az2 where the plan says the reverse),
     * is planned where it runs: each member's zone preference becomes its zone now, and the
     * planned master is the member in the group's master zone. Moving such a group would put two
     * of its members in one zone for a while (or need the group down), for no gain: the zones a
     * group spans and where its master is are what the placement is for, not which index is where.
     * Every task plans this way from the pods it reads, so they agree; a group not yet separated
     * keeps the first plan (its brokers move).
     *
     * @param zoneNow each broker StatefulSet's zone now (absent: not running or on no zone)
     * @param zoneKey the zone label key, for the rewritten preferences
     */
    public PlacementPlan keepingSeparatedGroups(Map<String, String> zoneNow, String zoneKey) {
        Map<Integer, List<BrokerPlacement>> byGroup = new LinkedHashMap<>();
        brokers.forEach(b -> byGroup.computeIfAbsent(b.group(), g -> new ArrayList<>()).add(b));
        List<BrokerPlacement> out = new ArrayList<>();
        for (List<BrokerPlacement> members : byGroup.values()) {
            Set<String> planned = new HashSet<>();
            Set<String> now = new HashSet<>();
            boolean permuted = false;
            for (BrokerPlacement b : members) {
                planned.add(b.plannedZone());
                String z = zoneNow.get(b.statefulSet());
                now.add(z);
                permuted |= z != null && !z.equals(b.plannedZone());
            }
            if (!permuted || now.contains(null) || now.size() != members.size() || !now.equals(planned)) {
                out.addAll(members);
                continue;
            }
            String masterZone = members.stream().filter(BrokerPlacement::likelyMaster).findFirst()
                    .map(BrokerPlacement::plannedZone).orElse(null);
            for (BrokerPlacement b : members) {
                String z = zoneNow.get(b.statefulSet());
                List<ZonePreference> prefs = PlacementPlanner.preferences(zones, zones.indexOf(z));
                Affinity affinity = new AffinityBuilder(b.affinity()).editNodeAffinity()
                        .withPreferredDuringSchedulingIgnoredDuringExecution(AffinityBuilders.zonePreferences(zoneKey, prefs))
                        .endNodeAffinity().build();
                out.add(new BrokerPlacement(b.statefulSet(), b.group(), b.replica(), prefs, affinity, b.podLabels(),
                        z.equals(masterZone)));
            }
        }
        return new PlacementPlan(zones, List.copyOf(out), brokerCommon, nameServer, controller, controllerZone,
                nameServerReplicas);
    }
}
