package io.crosszone.plan.rollout;

import io.crosszone.plan.rollout.RolloutInput.Broker;
import io.crosszone.plan.rollout.RolloutInput.Node;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The input indexed for the search, and the one rule every step must keep ({@link #valid}).
 * Brokers, groups and zones are numbers here; a state is the set of brokers already restarted
 * ({@code done}): a restarted broker runs on a schedulable node of its planned zone, the others
 * where they run now, so the free nodes of each zone follow from {@code done} alone.
 */
final class RolloutModel {
    final RolloutInput input;
    final int n;
    final List<String> zones = new ArrayList<>();
    final List<String> groups = new ArrayList<>();
    final int[] group;
    /** Each group's brokers. */
    final int[][] members;
    /** Zone now (-1: not running, or on a node with no zone label). */
    final int[] cur;
    /** Runs on a schedulable node with a zone: restarting it frees a node a broker can take. */
    final boolean[] curSched;
    final boolean[] running;
    final int[] planned;
    /** Must be restarted: its template changes, or it is not in its planned zone. */
    final boolean[] needs;
    /** Schedulable nodes per zone. */
    final int[] capacity;

    RolloutModel(RolloutInput input) {
        this.input = input;
        this.n = input.brokers().size();
        Map<String, Integer> zoneIndex = new LinkedHashMap<>();
        Map<String, Node> nodes = new HashMap<>();
        for (Node node : input.nodes()) {
            nodes.put(node.name(), node);
            if (node.zone() != null) {
                zoneIndex.computeIfAbsent(node.zone(), z -> zoneIndex.size());
            }
        }
        input.brokers().forEach(b -> zoneIndex.computeIfAbsent(b.plannedZone(), z -> zoneIndex.size()));
        zones.addAll(zoneIndex.keySet());
        capacity = new int[zones.size()];
        for (Node node : input.nodes()) {
            if (node.zone() != null && node.schedulable()) {
                capacity[zoneIndex.get(node.zone())]++;
            }
        }
        Map<String, Integer> groupIndex = new LinkedHashMap<>();
        group = new int[n];
        cur = new int[n];
        curSched = new boolean[n];
        running = new boolean[n];
        planned = new int[n];
        needs = new boolean[n];
        for (int b = 0; b < n; b++) {
            Broker br = input.brokers().get(b);
            group[b] = groupIndex.computeIfAbsent(br.group(), g -> groupIndex.size());
            Node node = br.node() == null ? null : nodes.get(br.node());
            running[b] = node != null;
            cur[b] = node == null || node.zone() == null ? -1 : zoneIndex.get(node.zone());
            curSched[b] = cur[b] >= 0 && node.schedulable();
            planned[b] = zoneIndex.get(br.plannedZone());
            needs[b] = !br.templateCurrent() || cur[b] != planned[b];
        }
        groups.addAll(groupIndex.keySet());
        List<List<Integer>> byGroup = new ArrayList<>();
        groups.forEach(g -> byGroup.add(new ArrayList<>()));
        for (int b = 0; b < n; b++) {
            byGroup.get(group[b]).add(b);
        }
        members = byGroup.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    }

    Broker broker(int b) {
        return input.brokers().get(b);
    }

    String name(int b) {
        return broker(b).name();
    }

    String zone(int z) {
        return z < 0 ? null : zones.get(z);
    }

    /** Restarted in place: it frees and takes a node of the same zone, so it never changes a zone's free nodes. */
    boolean inPlace(int b) {
        return needs[b] && curSched[b] && cur[b] == planned[b];
    }

    /** Its zone in state {@code done}. */
    int zoneNow(int b, BitSet done) {
        return needs[b] && !done.get(b) ? cur[b] : planned[b];
    }

    private boolean holdsSchedulableNode(int b, BitSet done) {
        return needs[b] && done.get(b) || curSched[b];
    }

    /** Free schedulable nodes per zone in state {@code done}. */
    int[] free(BitSet done) {
        int[] free = capacity.clone();
        for (int b = 0; b < n; b++) {
            if (running[b] && holdsSchedulableNode(b, done) && zoneNow(b, done) >= 0) {
                free[zoneNow(b, done)]--;
            }
        }
        return free;
    }

    /** The other running members of b's group in b's planned zone in state {@code done}: b must wait for them to leave. */
    List<Integer> blockers(int b, BitSet done) {
        List<Integer> out = new ArrayList<>();
        for (int m : members[group[b]]) {
            if (m != b && running[m] && zoneNow(m, done) == planned[b]) {
                out.add(m);
            }
        }
        return out;
    }

    /**
     * Whether deleting {@code step} together in state {@code done} (free nodes {@code free}) is
     * safe: each broker still to restart and running, at most one per group (so no group has two
     * down, nor loses its master and its only in-sync slave together), none coming up in a zone
     * where another member of its group runs, and in every zone at least as many free nodes once
     * the step's pods are gone as brokers of the step planned there. The last is the scheduler's
     * matching: every broker of the CR can use every schedulable node, so a zone's nodes are
     * interchangeable and counting is Hall's condition.
     */
    boolean valid(int[] step, BitSet done, int[] free) {
        if (step.length == 0) {
            return false;
        }
        BitSet groupsSeen = new BitSet();
        int[] room = free.clone();
        for (int b : step) {
            if (!needs[b] || done.get(b) || !running[b] || groupsSeen.get(group[b]) || !blockers(b, done).isEmpty()) {
                return false;
            }
            groupsSeen.set(group[b]);
            if (curSched[b]) {
                room[cur[b]]++;
            }
        }
        for (int b : step) {
            if (--room[planned[b]] < 0) {
                return false;
            }
        }
        return true;
    }

    /** {@code done} with the step's brokers added. */
    static BitSet after(BitSet done, int[] step) {
        BitSet next = (BitSet) done.clone();
        for (int b : step) {
            next.set(b);
        }
        return next;
    }
}
