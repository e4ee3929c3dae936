package io.crosszone.plan.rollout;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Plans a broker rollout that needs no spare node: the order in which to restart the brokers of
 * one Broker CR so that each comes back in its planned zone, or exactly why no such order exists.
 * Pure: no I/O, same input, same answer.
 *
 * <p>What every step of a plan it returns keeps, given that each step starts only when every
 * touched group is fully in sync (the executor waits for that) and that no pod of a step is bound
 * before all of the step's old pods are gone:
 * <ul>
 * <li>one broker of a group down at most (a step holds brokers of distinct groups), so no group
 *     loses its master and its only in-sync slave together;</li>
 * <li>a restarted broker comes up only in its planned zone, and only where no other member of its
 *     group runs: the required zone separation holds throughout, never relaxed;</li>
 * <li>one broker per node: every broker of a step finds a free schedulable node in its planned zone
 *     once the step's pods are gone (a matching; the brokers share their tolerations, so it is a
 *     count per zone);</li>
 * <li>a master is never simply killed: its in-sync slave is elected first (a planned switch), which
 *     the step names and says why; slaves go before masters where the order allows.</li>
 * </ul>
 * Brokers restarted in place (to take a new template) are single steps. A zone with no free node
 * is entered by a swap set: brokers whose moves form a cycle over zones, deleted together, each
 * taking a node another leaves. The search ({@link RolloutSearch}) tries every minimal step, so a
 * refusal means no order of such steps exists in this model (each broker restarted once, straight
 * into its planned zone); the property test checks that against an exhaustive search.
 */
public final class RolloutPlanner {
    private RolloutPlanner() {
    }

    public static RolloutPlan plan(RolloutInput input) {
        return plan(input, RolloutSearch.DEFAULT_BUDGET);
    }

    static RolloutPlan plan(RolloutInput input, int budget) {
        RolloutModel m = new RolloutModel(input);
        List<String> refusals = Refusals.preconditions(m);
        if (!refusals.isEmpty()) {
            return RolloutPlan.refused(refusals);
        }
        boolean[] likelyMaster = likelyMasters(m);
        RolloutSearch search = new RolloutSearch(m, likelyMaster, budget);
        List<int[]> moves = search.run();
        if (moves == null) {
            return RolloutPlan.refused(List.of(search.budgetExhausted ? Refusals.budget(m, budget)
                    : Refusals.deadlock(m, search, search.deepest)));
        }
        return StepNarration.narrate(m, withInPlace(m, moves, likelyMaster));
    }

    /** The master by RocketMQ; in a group whose master is not known, the planned master. */
    static boolean[] likelyMasters(RolloutModel m) {
        boolean[] out = new boolean[m.n];
        for (int[] members : m.members) {
            boolean known = false;
            for (int b : members) {
                known |= m.broker(b).master();
            }
            for (int b : members) {
                out[b] = known ? m.broker(b).master() : m.broker(b).plannedMaster();
            }
        }
        return out;
    }

    /**
     * The movers' steps with the in-place restarts fitted in: each slave as early as the members
     * of its group sharing its zone have left, the masters at the end, after their slaves.
     */
    private static List<int[]> withInPlace(RolloutModel m, List<int[]> moves, boolean[] likelyMaster) {
        List<Integer> slaves = new ArrayList<>();
        List<Integer> masters = new ArrayList<>();
        for (int b = 0; b < m.n; b++) {
            if (m.inPlace(b)) {
                (likelyMaster[b] ? masters : slaves).add(b);
            }
        }
        List<int[]> out = new ArrayList<>();
        BitSet done = new BitSet();
        for (int[] step : moves) {
            fit(m, slaves, done, out);
            out.add(step);
            done = RolloutModel.after(done, step);
        }
        fit(m, slaves, done, out);
        fit(m, masters, done, out);
        if (!slaves.isEmpty() || !masters.isEmpty()) {
            throw new IllegalStateException("in-place restarts left over: " + slaves + " " + masters);
        }
        return out;
    }

    private static void fit(RolloutModel m, List<Integer> pending, BitSet done, List<int[]> out) {
        for (var it = pending.iterator(); it.hasNext(); ) {
            int b = it.next();
            if (m.blockers(b, done).isEmpty()) {
                out.add(new int[] {b});
                done.set(b);
                it.remove();
            }
        }
    }
}
