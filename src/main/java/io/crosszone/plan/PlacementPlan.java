package io.crosszone.plan;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import java.util.ArrayList;
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
     * This plan with each group's planned zones dealt out to its members so that as few as possible
     * move: a member already in its planned zone keeps it; a member running in another of the
     * group's planned zones that no member has claimed takes that one (e.g. replica 0 in az1 and
     * replica 1 in az2 where the plan says the reverse: neither moves); the rest get the zones left,
     * their own first. The zones a group spans and where its master is are what the placement is
     * for, not which index is where, and moving members that hold each other's zones would put two
     * of them in one zone for a while (or need the group down). The planned master is the member
     * dealt the group's master zone. Every task plans this way from the pods it reads, so they agree;
     * once the members run where this puts them, planning again gives the same.
     *
     * @param zoneNow each broker StatefulSet's zone now (absent: not running or on no zone)
     * @param zoneKey the zone label key, for the rewritten preferences
     */
    public PlacementPlan keepingMembersWhereTheyRun(Map<String, String> zoneNow, String zoneKey) {
        Map<Integer, List<BrokerPlacement>> byGroup = new LinkedHashMap<>();
        brokers.forEach(b -> byGroup.computeIfAbsent(b.group(), g -> new ArrayList<>()).add(b));
        List<BrokerPlacement> out = new ArrayList<>();
        for (List<BrokerPlacement> members : byGroup.values()) {
            Map<String, String> dealt = deal(members, zoneNow);
            String masterZone = members.stream().filter(BrokerPlacement::likelyMaster).findFirst()
                    .map(BrokerPlacement::plannedZone).orElse(null);
            for (BrokerPlacement b : members) {
                String z = dealt.get(b.statefulSet());
                if (z.equals(b.plannedZone())) {
                    out.add(b);
                    continue;
                }
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

    /** One group's planned zones, one per member, keeping as many members where they run as possible. */
    private static Map<String, String> deal(List<BrokerPlacement> members, Map<String, String> zoneNow) {
        Set<String> free = new java.util.LinkedHashSet<>();
        members.forEach(b -> free.add(b.plannedZone()));
        Map<String, String> dealt = new LinkedHashMap<>();
        for (BrokerPlacement b : members) { // already where planned
            if (b.plannedZone().equals(zoneNow.get(b.statefulSet()))) {
                dealt.put(b.statefulSet(), b.plannedZone());
                free.remove(b.plannedZone());
            }
        }
        for (BrokerPlacement b : members) { // in another of the group's zones, not yet taken
            String z = zoneNow.get(b.statefulSet());
            if (!dealt.containsKey(b.statefulSet()) && z != null && free.contains(z)) {
                dealt.put(b.statefulSet(), z);
                free.remove(z);
            }
        }
        for (BrokerPlacement b : members) { // the rest: their own planned zone if left, else the first left
            if (!dealt.containsKey(b.statefulSet())) {
                String z = free.contains(b.plannedZone()) ? b.plannedZone() : free.iterator().next();
                dealt.put(b.statefulSet(), z);
                free.remove(z);
            }
        }
        return dealt;
    }
}
