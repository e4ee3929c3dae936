package io.crosszone.plan.rollout;

import io.crosszone.plan.rollout.RolloutInput.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Why no safe order exists, in words an SRE can act on. {@link #preconditions} finds the causes
 * that can be read off the input (a broker down, a zone with fewer schedulable nodes than brokers
 * planned there, a group whose members hold each other's planned zones); {@link #deadlock}
 * describes where the search got stuck when the cause is the interplay of several.
 */
final class Refusals {
    private Refusals() {
    }

    static List<String> preconditions(RolloutModel m) {
        List<String> out = new ArrayList<>();
        for (int b = 0; b < m.n; b++) {
            if (!m.running[b]) {
                out.add(m.name(b) + " (group " + m.broker(b).group() + ") is not running (its pod is bound to no node): its"
                        + " group already has a broker down, so no other member may be restarted, and a pending pod would take"
                        + " whatever node a step frees. Bring it back (or find why it is Pending) and re-run.");
            }
        }
        for (int z = 0; z < m.zones.size(); z++) {
            int mustFit = 0;
            int plannedThere = 0;
            for (int b = 0; b < m.n; b++) {
                if (m.planned[b] == z) {
                    plannedThere++;
                    // a broker that stays put on an unschedulable node keeps it; every other one needs a schedulable node
                    mustFit += m.needs[b] || m.curSched[b] ? 1 : 0;
                }
            }
            if (m.capacity[z] < mustFit) {
                out.add(shortage(m, z, mustFit, plannedThere));
            }
        }
        out.addAll(heldZones(m));
        return out;
    }

    private static String shortage(RolloutModel m, int z, int mustFit, int plannedThere) {
        String zone = m.zone(z);
        List<String> unusable = m.input.nodes().stream().filter(n -> zone.equals(n.zone()) && !n.schedulable())
                .map(n -> n.name() + ": " + (n.unschedulableReason() == null ? "unschedulable" : n.unschedulableReason()))
                .toList();
        return zone + " has " + m.capacity[z] + " schedulable node" + (m.capacity[z] == 1 ? "" : "s") + " for " + mustFit
                + " broker" + (mustFit == 1 ? "" : "s") + " planned there"
                + (mustFit < plannedThere ? " (besides " + (plannedThere - mustFit) + " staying on an unschedulable node)" : "")
                + (unusable.isEmpty() ? "" : "; not usable: " + String.join(", ", unusable))
                + ". One broker per node: give " + zone + " " + (mustFit - m.capacity[z]) + " more schedulable node"
                + (mustFit - m.capacity[z] == 1 ? "" : "s") + " (add, uncordon or make Ready one) and re-run.";
    }

    /**
     * Groups whose members wait for each other in a ring: b may come up in its planned zone only
     * after the member now there has left for its own, which waits for the next one, ... back to
     * b. Each broker is restarted once, straight into its planned zone, and a group has one member
     * down at most, so no order breaks the ring. Found by peeling off the members that wait for no
     * one left; what remains waits in a ring (or for one in a ring).
     */
    private static List<String> heldZones(RolloutModel m) {
        List<String> out = new ArrayList<>();
        for (int[] members : m.members) {
            Set<Integer> left = new LinkedHashSet<>();
            for (int b : members) {
                if (m.needs[b] && m.running[b]) {
                    left.add(b);
                }
            }
            boolean peeled = true;
            while (peeled) {
                peeled = left.removeIf(b -> left.stream().noneMatch(o -> o != b && m.cur[o] == m.planned[b]));
            }
            if (!left.isEmpty()) {
                int any = left.iterator().next();
                String group = m.groups.get(m.group[any]);
                String who = left.stream().map(b -> m.name(b) + " (in " + m.zone(m.cur[b]) + ", planned "
                        + m.zone(m.planned[b]) + ")").collect(Collectors.joining(", "));
                out.add("group " + group + ": " + who + " hold each other's planned zones. Under the required zone"
                        + " separation none may come up in its planned zone while another member of its group runs there,"
                        + " and a group may have only one broker down, so no order moves them: they can trade zones only"
                        + " with the group down (a maintenance window for " + group + ").");
            }
        }
        return out;
    }

    /** The search found no order: what is left at its furthest dead end, and why none of it may go. */
    static String deadlock(RolloutModel m, RolloutSearch search, BitSet done) {
        int[] free = m.free(done);
        List<String> stuck = new ArrayList<>();
        for (int b : search.movers()) {
            if (done.get(b)) {
                continue;
            }
            List<Integer> blockers = m.blockers(b, done);
            String why = !blockers.isEmpty()
                    ? "waits for " + blockers.stream().map(m::name).collect(Collectors.joining(", ")) + " of its group to leave "
                    + m.zone(m.planned[b])
                    : m.zone(m.planned[b]) + " has no free schedulable node";
            stuck.add(m.name(b) + " (" + from(m, b) + " -> " + m.zone(m.planned[b]) + ": " + why + ")");
        }
        List<String> sameGroup = new ArrayList<>();
        for (int[] cycle : search.cycles(done, free, false)) {
            if (sameGroup.size() == 3) {
                break;
            }
            Set<Integer> groups = new LinkedHashSet<>();
            String repeated = null;
            for (int b : cycle) {
                if (!groups.add(m.group[b]) && repeated == null) {
                    repeated = m.groups.get(m.group[b]);
                }
            }
            String names = Arrays.stream(cycle).mapToObj(m::name).collect(Collectors.joining(", "));
            sameGroup.add(names + " (two of group " + repeated + ")");
        }
        String freeNow = IntStream.range(0, m.zones.size())
                .mapToObj(z -> m.zone(z) + " " + free[z] + " free").collect(Collectors.joining(", "));
        return "no safe order exists: after " + done.cardinality() + " of the moves every order tried ends with "
                + String.join("; ", stuck) + " [" + freeNow + "]. "
                + (sameGroup.isEmpty() ? "No set of them frees nodes for each other."
                : "The sets that would free nodes for each other would take two brokers of one group down at once: "
                + String.join("; ", sameGroup) + ".")
                + " A free schedulable node in a zone they move into lets them go one at a time.";
    }

    static String budget(RolloutModel m, int budget) {
        return "no safe order was found within " + budget + " states searched for " + m.n + " brokers: refused rather than"
                + " guessed. A free schedulable node in each zone brokers move into lets them go one at a time.";
    }

    static String from(RolloutModel m, int b) {
        Node node = m.input.nodes().stream().filter(n -> n.name().equals(m.broker(b).node())).findFirst().orElse(null);
        if (node == null) {
            return "not running";
        }
        if (node.zone() == null) {
            return node.name() + " (no zone label)";
        }
        return node.schedulable() ? node.zone() : node.zone() + " (" + node.name() + ": "
                + (node.unschedulableReason() == null ? "unschedulable" : node.unschedulableReason()) + ")";
    }
}
