package io.crosszone.tasks.drill;

import io.crosszone.tasks.drill.DrillEvent.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Derives the RTO of each group and of the drill from its timeline. Pure. */
public final class DrillMeasurements {
    private DrillMeasurements() {
    }

    /**
     * @param groupsLosingMaster groups whose master was in the lost zone
     * @param newMasters         group -> its master's address after the failover (when known)
     * @param writeOutages       group -> the probe's longest gap between acknowledged writes
     */
    public static List<GroupOutcome> groups(List<DrillEvent> timeline, String brokerCr, int groups,
                                            List<Integer> groupsLosingMaster, Map<Integer, String> newMasters,
                                            Map<Integer, Long> writeOutages) {
        List<GroupOutcome> out = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            boolean lost = groupsLosingMaster.contains(g);
            Long rto = lost ? recoveredAt(timeline, g).orElse(null) : Long.valueOf(0);
            out.add(new GroupOutcome(g, brokerCr + "-" + g, lost, rto, newMasters.get(g), writeOutages.get(g)));
        }
        return out;
    }

    /** When both views show the new master: the later of the controller's election and the name server's BID 0. */
    static Optional<Long> recoveredAt(List<DrillEvent> timeline, int group) {
        Optional<Long> elected = first(timeline, group, Kind.MASTER_ELECTED);
        Optional<Long> listed = first(timeline, group, Kind.NAMESRV_MASTER);
        if (elected.isEmpty() || listed.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Math.max(elected.get(), listed.get()));
    }

    static Optional<Long> first(List<DrillEvent> timeline, int group, Kind kind) {
        return timeline.stream().filter(e -> e.kind() == kind && e.group() != null && e.group() == group && e.atMillis() >= 0)
                .map(DrillEvent::atMillis).min(Long::compare);
    }

    /** The drill's RTO: the slowest group's; null when any group that lost its master never recovered. */
    public static Long overallRto(List<GroupOutcome> groups) {
        long max = 0;
        for (GroupOutcome g : groups) {
            if (g.rtoMillis() == null) {
                return null;
            }
            max = Math.max(max, g.rtoMillis());
        }
        return max;
    }
}
