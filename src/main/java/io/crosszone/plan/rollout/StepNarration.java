package io.crosszone.plan.rollout;

import io.crosszone.plan.rollout.RolloutStep.Handoff;
import io.crosszone.plan.rollout.RolloutStep.Restart;
import io.crosszone.plan.rollout.RolloutStep.Role;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns the ordered broker sets into steps an SRE can read: for each broker where it goes and
 * why, and what happens to its group's master role. Follows the masters through the plan: a
 * master going down hands over to an in-sync slave first (a planned switch), preferably one
 * that will not be restarted again (so the group switches once), then its planned master.
 */
final class StepNarration {
    private StepNarration() {
    }

    static RolloutPlan narrate(RolloutModel m, List<int[]> order) {
        int[] master = new int[m.groups.size()];
        Arrays.fill(master, -1);
        for (int b = 0; b < m.n; b++) {
            if (m.broker(b).master() && master[m.group[b]] < 0) {
                master[m.group[b]] = b;
            }
        }
        BitSet done = new BitSet();
        List<RolloutStep> steps = new ArrayList<>();
        for (int[] set : order) {
            int[] free = m.free(done);
            List<Restart> restarts = new ArrayList<>();
            for (int b : set) {
                int g = m.group[b];
                Role role = master[g] < 0 ? Role.UNKNOWN : master[g] == b ? Role.MASTER : Role.SLAVE;
                Handoff handoff = switch (role) {
                    case SLAVE -> new Handoff(Handoff.Kind.NONE, null, "a slave of " + m.groups.get(g) + " (master "
                            + m.name(master[g]) + "): its group keeps its master while it restarts");
                    case UNKNOWN -> new Handoff(Handoff.Kind.UNPLANNED_FAILOVER, null, "the master of " + m.groups.get(g)
                            + " is not known: ask RocketMQ again before this step and, if it is " + m.name(b)
                            + ", elect an in-sync slave first; otherwise the controller fails over when it goes down");
                    case MASTER -> switchTo(m, b, done, set);
                };
                if (handoff.kind() == Handoff.Kind.PLANNED_SWITCH) {
                    master[g] = index(m, handoff.elected());
                }
                restarts.add(new Restart(m.name(b), m.broker(b).group(), m.zone(m.cur[b]), m.broker(b).node(),
                        m.zone(m.planned[b]), role, handoff));
            }
            steps.add(new RolloutStep(steps.size() + 1, restarts, reason(m, set, free)));
            done = RolloutModel.after(done, set);
        }
        Map<String, String> after = new LinkedHashMap<>();
        for (int g = 0; g < master.length; g++) {
            if (master[g] >= 0) {
                after.put(m.groups.get(g), m.name(master[g]));
            }
        }
        return new RolloutPlan(steps, List.of(), after);
    }

    /** The slave a master hands over to before it goes down (its group is fully in sync at the step's start). */
    private static Handoff switchTo(RolloutModel m, int b, BitSet done, int[] set) {
        int g = m.group[b];
        Comparator<Integer> best = Comparator.comparing((Integer o) -> restartsLater(m, o, done, set))
                .thenComparing(o -> !inSyncNow(m, o, done))
                .thenComparing(o -> !m.broker(o).plannedMaster())
                .thenComparingInt(o -> m.broker(o).replica());
        int to = Arrays.stream(m.members[g]).boxed().filter(o -> o != b).min(best).orElse(-1);
        if (to < 0) {
            return new Handoff(Handoff.Kind.UNPLANNED_FAILOVER, null, m.name(b) + " is the only member of "
                    + m.groups.get(g) + ": the group has no master until it is back");
        }
        List<String> why = new ArrayList<>();
        why.add(inSyncNow(m, to, done) ? "in the SyncStateSet" : "not in the SyncStateSet now: the step waits until it is");
        why.add(restartsLater(m, to, done, set) ? "restarted later, when the group switches again"
                : done.get(to) ? "already restarted, so the group switches only this once" : "needs no restart");
        if (m.broker(to).plannedMaster()) {
            why.add("its planned master, so no fail-back is needed afterwards");
        }
        return new Handoff(Handoff.Kind.PLANNED_SWITCH, m.name(to), "master of " + m.groups.get(g) + ": elect "
                + m.name(to) + " first (" + String.join(", ", why) + "), a planned switch instead of a failover when "
                + m.name(b) + " goes down: clients are routed to the new master at once and nothing acknowledged is lost");
    }

    private static boolean restartsLater(RolloutModel m, int o, BitSet done, int[] set) {
        return m.needs[o] && !done.get(o) && Arrays.stream(set).noneMatch(x -> x == o);
    }

    private static boolean inSyncNow(RolloutModel m, int o, BitSet done) {
        return m.broker(o).inSync() || done.get(o);
    }

    private static int index(RolloutModel m, String name) {
        for (int b = 0; b < m.n; b++) {
            if (m.name(b).equals(name)) {
                return b;
            }
        }
        throw new IllegalArgumentException(name);
    }

    private static String reason(RolloutModel m, int[] set, int[] free) {
        if (set.length == 1) {
            int b = set[0];
            if (m.inPlace(b)) {
                return m.name(b) + " is in its planned zone " + m.zone(m.planned[b])
                        + " already: restarted in place to take the new template";
            }
            int z = m.planned[b];
            return m.name(b) + " moves " + Refusals.from(m, b) + " -> " + m.zone(z) + ": " + m.zone(z) + " has " + free[z]
                    + " free schedulable node" + (free[z] == 1 ? "" : "s") + " and no other member of "
                    + m.broker(b).group() + " runs there";
        }
        String zones = Arrays.stream(set).mapToObj(b -> m.zone(m.planned[b])).distinct().collect(Collectors.joining(", "));
        String moves = Arrays.stream(set).mapToObj(b -> m.name(b) + " (" + m.zone(m.cur[b]) + " -> " + m.zone(m.planned[b]) + ")")
                .collect(Collectors.joining(", "));
        return "swap: " + zones + " ha" + (zones.contains(",") ? "ve" : "s") + " no free schedulable node, so " + moves
                + " are deleted together and each takes a node another leaves; they are of " + set.length
                + " different groups, so no group has more than one broker down";
    }
}
