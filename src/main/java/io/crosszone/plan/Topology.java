package io.crosszone.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where the members of a deployment are (or are planned to be), by zone: the input of the
 * zone-loss analysis. A zone of {@code null} means "not scheduled / unknown".
 *
 * @param controllerVolumeZonal true when the controller's volume is zonal ReadWriteOnce, so a
 *                              controller pod cannot be moved to another zone with its data
 */
public record Topology(List<String> zones, List<Member> brokers, List<String> nameServerZones,
                       List<String> controllerZones, boolean consoleConfigured, boolean controllerVolumeZonal) {

    /** One broker: its group, its replica index, its zone, and whether it is the master now. */
    public record Member(int group, int replica, String zone, boolean master) {
    }

    /** The topology the plan intends: index 0 masters, one name server per zone, controllers in their zone. */
    public static Topology planned(PlacementPlan plan, int controllerSize, boolean consoleConfigured,
                                   boolean controllerVolumeZonal) {
        List<Member> members = new ArrayList<>();
        for (BrokerPlacement b : plan.brokers()) {
            members.add(new Member(b.group(), b.replica(), b.plannedZone(), b.likelyMaster()));
        }
        List<String> nameServers = new ArrayList<>(plan.zones());
        // The controller has only a zone preference, so all its replicas are planned into that zone.
        List<String> controllers = new ArrayList<>(Collections.nCopies(controllerSize, plan.controllerZone()));
        return new Topology(plan.zones(), members, nameServers, controllers, consoleConfigured, controllerVolumeZonal);
    }

    public List<Integer> groups() {
        return brokers.stream().map(Member::group).distinct().sorted().toList();
    }
}
