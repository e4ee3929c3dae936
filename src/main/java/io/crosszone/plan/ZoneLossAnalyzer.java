package io.crosszone.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * For each zone, what losing it does: pure reasoning over a {@link Topology}, the same for the
 * plan (plan) and for the placement found in a cluster (verify-distribution).
 */
public final class ZoneLossAnalyzer {
    private ZoneLossAnalyzer() {
    }

    public static List<ZoneLoss> analyze(Topology topology) {
        return topology.zones().stream().map(z -> analyze(topology, z)).toList();
    }

    public static ZoneLoss analyze(Topology t, String zone) {
        List<Integer> losingMaster = new ArrayList<>();
        List<Integer> withoutReplica = new ArrayList<>();
        for (int g : t.groups()) {
            List<Topology.Member> members = t.brokers().stream().filter(m -> m.group() == g).toList();
            boolean masterLost = members.stream().anyMatch(m -> m.master() && zone.equals(m.zone()));
            boolean anySurvivor = members.stream().anyMatch(m -> m.zone() != null && !zone.equals(m.zone()));
            if (masterLost) {
                losingMaster.add(g);
            }
            if (!anySurvivor) {
                withoutReplica.add(g);
            }
        }
        boolean nameServerSurvives = t.nameServerZones().stream().anyMatch(z -> z != null && !zone.equals(z));
        long controllersLeft = t.controllerZones().stream().filter(z -> z != null && !zone.equals(z)).count();
        boolean controllerSurvives = controllersLeft * 2 > t.controllerZones().size();

        List<String> actions = new ArrayList<>();
        List<Integer> needElection = losingMaster.stream().filter(g -> !withoutReplica.contains(g)).toList();
        if (!controllerSurvives) {
            String move = "move the controller: force-delete its pod(s) in " + zone
                    + " so they are rescheduled into a surviving zone";
            if (t.controllerVolumeZonal()) {
                move += " (its zonal ReadWriteOnce volume cannot follow: it starts with empty data)";
            }
            actions.add(needElection.isEmpty() ? move + "; until then no master can be elected"
                    : move + "; until then groups " + needElection + " have no master");
        }
        if (!nameServerSurvives) {
            actions.add("no name server survives: producers, consumers and brokers lose routing until one is back in another zone");
        }
        if (!withoutReplica.isEmpty()) {
            actions.add("groups " + withoutReplica + " have no replica outside " + zone
                    + ": they stay unavailable until the zone is back");
        }
        if (t.consoleConfigured()) {
            actions.add("restart the console so that it reconnects to a surviving name server");
        }
        boolean automatic = withoutReplica.isEmpty() && nameServerSurvives
                && (needElection.isEmpty() || controllerSurvives);
        return new ZoneLoss(zone, List.copyOf(losingMaster), List.copyOf(withoutReplica), nameServerSurvives,
                controllerSurvives, automatic, List.copyOf(actions));
    }
}
