package io.crosszone.plan.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.plan.rollout.RolloutInput.Broker;
import io.crosszone.plan.rollout.RolloutInput.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The planner over generated clusters (groups 1..8, replicas 2..3, zones 2..4, 0..2 spare nodes
 * per zone, now and then a cordoned node, current placement at random or the plan shuffled a
 * little), seeded so a failure names a case that can be replayed: every plan it returns keeps the
 * rules at every step and ends at the plan ({@link RolloutOracle#replay}); on the small cases an
 * exhaustive search agrees with it on whether a safe order exists at all.
 */
class RolloutPlannerPropertyTest {
    private static final long SEED = 20261204L;
    private static final int CASES = 1500;
    /** Cases with at most this many brokers to restart are also searched exhaustively. */
    private static final int EXHAUSTIVE_UP_TO = 9;

    @Test
    void everyPlanKeepsTheRules_andRefusesOnlyWhenNoSafeOrderExists() {
        int safe = 0;
        int withSwaps = 0;
        int refused = 0;
        int checkedExhaustively = 0;
        int refusedAfterSearch = 0;
        for (int i = 0; i < CASES; i++) {
            long seed = SEED + i;
            RolloutInput in = generate(new Random(seed));
            RolloutPlan plan = RolloutPlanner.plan(in);
            RolloutOracle oracle = new RolloutOracle(in);
            Supplier<String> label = () -> "case seed " + seed + ": " + in;
            if (plan.safe()) {
                safe++;
                withSwaps += plan.steps().stream().anyMatch(RolloutStep::swap) ? 1 : 0;
                assertThat(oracle.replay(plan)).as(label).isNull();
                assertThat(plan.steps()).as(label).allSatisfy(s -> assertThat(s.reason()).isNotBlank());
            } else {
                refused++;
                assertThat(plan.steps()).as(label).isEmpty();
                assertThat(plan.refusals()).as(label).allSatisfy(r -> assertThat(r).doesNotContain("states searched"));
                refusedAfterSearch += plan.refusals().get(0).startsWith("no safe order exists") ? 1 : 0;
            }
            if (oracle.toRestart.size() <= EXHAUSTIVE_UP_TO) {
                checkedExhaustively++;
                assertThat(plan.safe()).as(() -> label.get() + "\nrefusals: " + plan.refusals()).isEqualTo(oracle.orderExists());
            }
        }
        System.out.printf("rollout planner property: %d cases, %d safe (%d with swap sets), %d refused (%d after the"
                + " search), %d checked exhaustively%n", CASES, safe, withSwaps, refused, refusedAfterSearch, checkedExhaustively);
        // not vacuous: each kind of outcome occurs often enough to mean something
        assertThat(safe).isGreaterThan(CASES / 5);
        assertThat(withSwaps).isGreaterThan(CASES / 40);
        assertThat(refused).isGreaterThan(CASES / 10);
        assertThat(refusedAfterSearch).isGreaterThan(4);
        assertThat(checkedExhaustively).isGreaterThan(CASES / 3);
    }

    static RolloutInput generate(Random r) {
        int zones = 2 + r.nextInt(3);
        int replicas = 2 + r.nextInt(Math.min(3, zones) - 1);
        int groups = 1 + r.nextInt(8);
        List<String> zoneNames = new ArrayList<>();
        for (int z = 1; z <= zones; z++) {
            zoneNames.add("az" + z);
        }
        String[][] planned = new String[groups][replicas];
        int[] plannedPerZone = new int[zones];
        for (int g = 0; g < groups; g++) {
            List<Integer> order = new ArrayList<>();
            for (int z = 0; z < zones; z++) {
                order.add(z);
            }
            Collections.shuffle(order, r);
            for (int i = 0; i < replicas; i++) {
                planned[g][i] = zoneNames.get(order.get(i));
                plannedPerZone[order.get(i)]++;
            }
        }
        List<Node> nodes = new ArrayList<>();
        List<List<String>> nodesOfZone = new ArrayList<>();
        for (int z = 0; z < zones; z++) {
            nodesOfZone.add(new ArrayList<>());
            int count = plannedPerZone[z] + (r.nextBoolean() ? 0 : 1 + r.nextInt(2)); // no spare half the time
            for (int k = 0; k < count; k++) {
                String name = "n" + (nodes.size() + 1);
                boolean cordoned = r.nextInt(40) == 0;
                nodes.add(cordoned ? Node.unschedulable(name, zoneNames.get(z), "cordoned") : Node.schedulable(name, zoneNames.get(z)));
                nodesOfZone.get(z).add(name);
            }
        }
        int brokers = groups * replicas;
        String[] nodeOf = new String[brokers];
        if (r.nextBoolean()) {
            // anywhere, as a hostname spread alone leaves them
            List<String> all = new ArrayList<>(nodes.stream().map(Node::name).toList());
            Collections.shuffle(all, r);
            for (int b = 0; b < brokers; b++) {
                nodeOf[b] = all.get(b);
            }
        } else {
            // the plan, then a few brokers exchanged or moved to a free node
            int[] used = new int[zones];
            for (int b = 0; b < brokers; b++) {
                int z = zoneNames.indexOf(planned[b / replicas][b % replicas]);
                nodeOf[b] = nodesOfZone.get(z).get(used[z]++);
            }
            List<String> all = nodes.stream().map(Node::name).toList();
            for (int k = 1 + r.nextInt(3); k > 0; k--) {
                int b = r.nextInt(brokers);
                String target = all.get(r.nextInt(all.size()));
                for (int o = 0; o < brokers; o++) {
                    if (target.equals(nodeOf[o])) {
                        nodeOf[o] = nodeOf[b];
                    }
                }
                nodeOf[b] = target;
            }
        }
        List<Broker> out = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            int master = r.nextInt(10) < 8 ? r.nextInt(replicas) : -1;
            for (int i = 0; i < replicas; i++) {
                int b = g * replicas + i;
                out.add(new Broker("b" + g + "-" + i, "g" + g, i, nodeOf[b], planned[g][i], i == master,
                        r.nextInt(10) > 0, i == 0, r.nextInt(5) == 0));
            }
        }
        return new RolloutInput(nodes, out);
    }
}
