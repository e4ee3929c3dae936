package io.crosszone.plan.rollout;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds an order for the brokers that change zone (the movers), depth first over the states
 * (the set of movers done), remembering states that lead nowhere. Brokers restarted in place are
 * left out: they never change a zone's free nodes nor stand in another broker's way, so they fit
 * in anywhere once the members of their group sharing their zone have left ({@link RolloutPlanner}).
 *
 * <p>From a state it tries only the minimal safe steps, which loses no order: a safe set with a
 * safe proper subset splits into that subset and the rest, each safe in turn. A minimal step is a
 * single mover whose planned zone has a free node, or, when every zone its members move into is
 * full, a simple cycle over zones (a to z2, b from z2 to z3, ..., back to z1) of brokers of
 * distinct groups. Singles go first, slaves before masters; a single into a zone with free nodes
 * for every mover still heading there is taken for good (it cannot hurt a later step).
 */
final class RolloutSearch {
    /** States expanded before giving up; the property test's clusters need a few thousand at most. */
    static final int DEFAULT_BUDGET = 200_000;

    private final RolloutModel m;
    private final int[] movers;
    private final boolean[] likelyMaster;
    private final int budget;
    private final Set<BitSet> dead = new HashSet<>();
    private final List<int[]> path = new ArrayList<>();
    private int expanded;
    BitSet deepest;
    boolean budgetExhausted;

    RolloutSearch(RolloutModel m, boolean[] likelyMaster, int budget) {
        this.m = m;
        this.likelyMaster = likelyMaster;
        this.budget = budget;
        List<Integer> list = new ArrayList<>();
        for (int b = 0; b < m.n; b++) {
            if (m.needs[b] && !m.inPlace(b)) {
                list.add(b);
            }
        }
        // slaves before masters, then as given
        list.sort(Comparator.comparing((Integer b) -> likelyMaster[b]).thenComparing(b -> b));
        movers = list.stream().mapToInt(Integer::intValue).toArray();
        deepest = new BitSet();
    }

    /** The movers' steps in order, or null when none exists (then {@link #deepest} is the furthest dead end). */
    List<int[]> run() {
        return dfs(new BitSet()) ? List.copyOf(path) : null;
    }

    private boolean dfs(BitSet done) {
        if (remaining(done) == 0) {
            return true;
        }
        if (dead.contains(done) || budgetExhausted) {
            return false;
        }
        if (++expanded > budget) {
            budgetExhausted = true;
            return false;
        }
        int[] free = m.free(done);
        List<int[]> singles = new ArrayList<>();
        for (int b : movers) {
            int[] step = {b};
            if (!done.get(b) && m.valid(step, done, free)) {
                if (free[m.planned[b]] >= demand(done, m.planned[b])) {
                    return take(done, step); // dominant: no backtracking needed
                }
                singles.add(step);
            }
        }
        List<int[]> candidates = new ArrayList<>(singles);
        candidates.addAll(cycles(done, free, true));
        for (int[] step : candidates) {
            if (take(done, step)) {
                return true;
            }
        }
        dead.add(done);
        if (done.cardinality() > deepest.cardinality() || deepest.isEmpty()) {
            deepest = done;
        }
        return false;
    }

    private boolean take(BitSet done, int[] step) {
        path.add(step);
        if (dfs(RolloutModel.after(done, step))) {
            return true;
        }
        path.remove(path.size() - 1);
        return false;
    }

    private int remaining(BitSet done) {
        int r = 0;
        for (int b : movers) {
            r += done.get(b) ? 0 : 1;
        }
        return r;
    }

    /** Movers not done yet that are planned into zone z. */
    private int demand(BitSet done, int z) {
        int d = 0;
        for (int b : movers) {
            d += !done.get(b) && m.planned[b] == z ? 1 : 0;
        }
        return d;
    }

    /**
     * Simple zone cycles of movers that may go now (running on a schedulable node, no member of
     * their group in their planned zone) into full zones; with {@code distinctGroups} only those
     * whose brokers are of distinct groups (the safe ones), shortest and with fewest masters first.
     */
    List<int[]> cycles(BitSet done, int[] free, boolean distinctGroups) {
        int z = m.zones.size();
        List<List<Integer>> arcs = new ArrayList<>(); // arcs.get(from * z + to): movers
        for (int i = 0; i < z * z; i++) {
            arcs.add(new ArrayList<>());
        }
        for (int b : movers) {
            if (!done.get(b) && m.curSched[b] && m.cur[b] != m.planned[b] && free[m.planned[b]] == 0
                    && m.blockers(b, done).isEmpty()) {
                arcs.get(m.cur[b] * z + m.planned[b]).add(b);
            }
        }
        List<int[]> out = new ArrayList<>();
        for (int start = 0; start < z; start++) {
            List<Integer> zonePath = new ArrayList<>(List.of(start));
            zoneCycles(start, zonePath, arcs, z, distinctGroups, out);
        }
        out.sort(Comparator.comparingInt((int[] c) -> c.length).thenComparingInt(this::masters));
        return out;
    }

    private void zoneCycles(int start, List<Integer> zonePath, List<List<Integer>> arcs, int z, boolean distinct,
                            List<int[]> out) {
        int last = zonePath.get(zonePath.size() - 1);
        if (zonePath.size() >= 2 && !arcs.get(last * z + start).isEmpty()) {
            List<Integer> closed = new ArrayList<>(zonePath);
            closed.add(start);
            pickBrokers(closed, 0, new ArrayList<>(), arcs, z, distinct, out);
        }
        for (int next = start + 1; next < z; next++) {
            if (!zonePath.contains(next) && !arcs.get(last * z + next).isEmpty()) {
                zonePath.add(next);
                zoneCycles(start, zonePath, arcs, z, distinct, out);
                zonePath.remove(zonePath.size() - 1);
            }
        }
    }

    private void pickBrokers(List<Integer> zonePath, int arc, List<Integer> chosen, List<List<Integer>> arcs, int z,
                             boolean distinct, List<int[]> out) {
        if (arc == zonePath.size() - 1) {
            out.add(chosen.stream().mapToInt(Integer::intValue).toArray());
            return;
        }
        for (int b : arcs.get(zonePath.get(arc) * z + zonePath.get(arc + 1))) {
            if (distinct && chosen.stream().anyMatch(c -> m.group[c] == m.group[b])) {
                continue;
            }
            chosen.add(b);
            pickBrokers(zonePath, arc + 1, chosen, arcs, z, distinct, out);
            chosen.remove(chosen.size() - 1);
        }
    }

    private int masters(int[] step) {
        int k = 0;
        for (int b : step) {
            k += likelyMaster[b] ? 1 : 0;
        }
        return k;
    }

    int expanded() {
        return expanded;
    }

    int[] movers() {
        return movers.clone();
    }
}
