package io.crosszone.plan.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crosszone.plan.rollout.RolloutInput.Broker;
import io.crosszone.plan.rollout.RolloutInput.Node;
import io.crosszone.plan.rollout.RolloutStep.Handoff;
import io.crosszone.plan.rollout.RolloutStep.Role;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rollout planner on hand-made clusters: the runbook's, the issue's, a 3-zone cycle, and refusals. */
class RolloutPlannerTest {

    /** k8s-node-01..NN, {@code perZone} per zone in zone order. */
    private static List<Node> nodes(int perZone, String... zones) {
        List<Node> out = new ArrayList<>();
        int i = 1;
        for (String z : zones) {
            for (int k = 0; k < perZone; k++) {
                out.add(Node.schedulable(String.format("k8s-node-%02d", i++), z));
            }
        }
        return out;
    }

    private static Broker broker(int group, int replica, int node, String planned) {
        return Broker.of("broker-" + group + "-" + replica, "broker-" + group, replica, String.format("k8s-node-%02d", node), planned);
    }

    private static RolloutPlan planChecked(RolloutInput in) {
        RolloutPlan plan = RolloutPlanner.plan(in);
        assertThat(plan.refusals()).isEmpty();
        assertThat(new RolloutOracle(in).replay(plan)).isNull();
        return plan;
    }

    /**
     * The runbook: 6 brokers on k8s-node-01..06 (az1 = 01..03, az2 = 04..06), no spare node; the
     * operator's hostname spread put group 0 in az1 and group 1 in az2. The plan puts the masters
     * of groups 0 and 1 in az2, that of group 2 in az1. broker-0-0 and broker-1-1 must trade zones.
     */
    @Test
    void runbookCluster_sixBrokersOnSixNodes_swapsTheTwoThatTradeZones_andRestartsTheRestInPlace() {
        RolloutInput in = new RolloutInput(nodes(3, "az1", "az2"), List.of(
                broker(0, 0, 1, "az2").asMaster(), broker(0, 1, 2, "az1"), broker(2, 0, 3, "az1").asMaster(),
                broker(1, 0, 4, "az2").asMaster(), broker(1, 1, 5, "az1"), broker(2, 1, 6, "az2")));
        RolloutPlan plan = planChecked(in);

        assertThat(plan.steps()).hasSize(5);
        RolloutStep swap = plan.steps().stream().filter(RolloutStep::swap).findFirst().orElseThrow();
        assertThat(swap.brokers()).containsExactlyInAnyOrder("broker-0-0", "broker-1-1");
        assertThat(swap.reason()).contains("swap", "no free schedulable node", "broker-0-0 (az1 -> az2)", "broker-1-1 (az2 -> az1)");
        assertThat(plan.steps().stream().filter(s -> !s.swap())).allSatisfy(s -> assertThat(s.reason()).contains("in place"));
        // broker-0-0 is the master: it hands over to broker-0-1 first, which is not restarted before (it shares az1 with it)
        RolloutStep.Restart master = swap.restarts().stream().filter(r -> r.broker().equals("broker-0-0")).findFirst().orElseThrow();
        assertThat(master.role()).isEqualTo(Role.MASTER);
        assertThat(master.handoff().kind()).isEqualTo(Handoff.Kind.PLANNED_SWITCH);
        assertThat(master.handoff().elected()).isEqualTo("broker-0-1");
        assertThat(master.handoff().reason()).contains("planned switch", "in the SyncStateSet");
        // broker-0-1 waits in az1 until broker-0-0 has left it; the masters go last
        List<String> order = plan.steps().stream().flatMap(s -> s.brokers().stream()).toList();
        assertThat(order.indexOf("broker-0-1")).isGreaterThan(order.indexOf("broker-0-0"));
        assertThat(order.subList(order.size() - 2, order.size())).containsExactlyInAnyOrder("broker-2-0", "broker-1-0");
        // broker-0-1 was master when its own turn came: it hands back to broker-0-0, the planned master, already moved
        assertThat(plan.mastersAfter()).containsEntry("broker-0", "broker-0-0").containsEntry("broker-1", "broker-1-1")
                .containsEntry("broker-2", "broker-2-1");
    }

    /** The runbook's cluster as the operator might leave it: groups 0 and 1 each the reverse of the plan. */
    @Test
    void groupWhoseTwoMembersHoldEachOthersPlannedZone_inTwoZones_isRefusedNamingTheGroup() {
        RolloutInput in = new RolloutInput(nodes(3, "az1", "az2"), List.of(
                broker(0, 0, 1, "az2").asMaster(), broker(1, 0, 2, "az2").asMaster(), broker(2, 0, 3, "az1").asMaster(),
                broker(0, 1, 4, "az1"), broker(1, 1, 5, "az1"), broker(2, 1, 6, "az2")));
        RolloutPlan plan = RolloutPlanner.plan(in);
        assertThat(plan.safe()).isFalse();
        assertThat(plan.steps()).isEmpty();
        assertThat(plan.refusals()).hasSize(2);
        assertThat(plan.refusals().get(0)).startsWith("group broker-0: broker-0-0 (in az1, planned az2), broker-0-1 (in az2,"
                + " planned az1) hold each other's planned zones").contains("maintenance window");
        assertThat(new RolloutOracle(in).orderExists()).isFalse();
    }

    /** The lab: --groups 2 --replicas-per-group 3 --zones az1,az2,az3 --nodes-per-zone 2, brokers in index order. */
    @Test
    void twoGroupsOfThree_overThreeZonesOfTwoNodes_isPlannedWithoutASpare() {
        // PlacementPlanner: group 0's master in az3 (replicas az3, az1, az2), group 1's in az2 (az2, az3, az1);
        // the hostname spread left broker-0-0 beside broker-0-1 in az1 and broker-1-2 beside broker-1-1 in az3
        RolloutInput in = new RolloutInput(nodes(2, "az1", "az2", "az3"), List.of(
                broker(0, 0, 1, "az3").asMaster(), broker(0, 1, 2, "az1"), broker(0, 2, 3, "az2"),
                broker(1, 0, 4, "az2").asMaster(), broker(1, 1, 5, "az3"), broker(1, 2, 6, "az1")));
        RolloutPlan plan = planChecked(in);
        assertThat(plan.steps().stream().flatMap(s -> s.brokers().stream())).hasSize(6).doesNotHaveDuplicates();
        RolloutStep swap = plan.steps().stream().filter(RolloutStep::swap).findFirst().orElseThrow();
        assertThat(swap.brokers()).containsExactlyInAnyOrder("broker-0-0", "broker-1-2");
        assertThat(plan.steps()).filteredOn(RolloutStep::swap).hasSize(1);
    }

    /** The same shape with the operator's round-robin: each group's three members are a rotation of the plan. */
    @Test
    void threeReplicasInThreeZones_rotatedAgainstThePlan_isRefused_spareNodesOrNot() {
        for (int perZone : new int[] {2, 4}) {
            RolloutInput in = new RolloutInput(nodes(perZone, "az1", "az2", "az3"), List.of(
                    broker(0, 0, 1, "az3").asMaster(), broker(0, 1, perZone + 1, "az1"), broker(0, 2, 2 * perZone + 1, "az2"),
                    broker(1, 0, 2, "az2").asMaster(), broker(1, 1, perZone + 2, "az3"), broker(1, 2, 2 * perZone + 2, "az1")));
            RolloutPlan plan = RolloutPlanner.plan(in);
            assertThat(plan.refusals()).hasSize(2).allSatisfy(r -> assertThat(r).contains("hold each other's planned zones"));
            assertThat(new RolloutOracle(in).orderExists()).isFalse();
        }
    }

    /** a: az1 -> az2, b: az2 -> az3, c: az3 -> az1, every zone full, no two of them can trade: all three go together. */
    @Test
    void threeZoneCycle_isOneSwapSetOfThree() {
        RolloutInput in = new RolloutInput(nodes(2, "az1", "az2", "az3"), List.of(
                broker(0, 0, 1, "az2").asMaster(), broker(0, 1, 5, "az3"),
                broker(1, 0, 3, "az3").asMaster(), broker(1, 1, 2, "az1"),
                broker(2, 0, 6, "az1").asMaster(), broker(2, 1, 4, "az2")));
        RolloutPlan plan = planChecked(in);
        RolloutStep swap = plan.steps().stream().filter(RolloutStep::swap).findFirst().orElseThrow();
        assertThat(swap.brokers()).containsExactlyInAnyOrder("broker-0-0", "broker-1-0", "broker-2-0");
        assertThat(swap.reason()).contains("az1", "az2", "az3", "3 different groups");
        assertThat(swap.restarts()).allSatisfy(r -> {
            assertThat(r.handoff().kind()).isEqualTo(Handoff.Kind.PLANNED_SWITCH);
            assertThat(r.handoff().reason()).contains("already restarted", "planned switch");
        });
    }

    /** The same cycle with a and c of one group: no safe order, and the refusal says why. */
    @Test
    void threeZoneCycleThroughOneGroupTwice_isRefused_namingTheGroup() {
        RolloutInput in = new RolloutInput(nodes(2, "az1", "az2", "az3"), List.of(
                Broker.of("a", "g", 0, "k8s-node-01", "az2").asMaster(), Broker.of("c", "g", 1, "k8s-node-05", "az1"),
                Broker.of("b", "h", 0, "k8s-node-03", "az3").asMaster(), Broker.of("h1", "h", 1, "k8s-node-02", "az1"),
                Broker.of("x", "k", 0, "k8s-node-04", "az2").withCurrentTemplate(),
                Broker.of("y", "k", 1, "k8s-node-06", "az3").withCurrentTemplate()));
        RolloutPlan plan = RolloutPlanner.plan(in);
        assertThat(plan.refusals()).singleElement().asString()
                .startsWith("no safe order exists")
                .contains("c (az3 -> az1: waits for a of its group to leave az1)",
                        "a (az1 -> az2: az2 has no free schedulable node)", "[az1 0 free, az2 0 free, az3 0 free]");
        assertThat(new RolloutOracle(in).orderExists()).isFalse();
    }

    /** A 4-zone cycle a, b, c, d with a and c of group g: the only set that frees nodes would take g down twice. */
    @Test
    void fourZoneCycleThroughOneGroupTwice_isRefused_namingTheCycleAndTheGroup() {
        RolloutInput in = new RolloutInput(nodes(2, "z1", "z2", "z3", "z4"), List.of(
                Broker.of("a", "g", 0, "k8s-node-01", "z2").asMaster(), Broker.of("c", "g", 1, "k8s-node-05", "z4"),
                Broker.of("b", "h", 0, "k8s-node-03", "z3").asMaster(), Broker.of("h1", "h", 1, "k8s-node-02", "z1"),
                Broker.of("d", "k", 0, "k8s-node-07", "z1").asMaster(), Broker.of("k1", "k", 1, "k8s-node-04", "z2"),
                Broker.of("m0", "m", 0, "k8s-node-06", "z3").withCurrentTemplate(),
                Broker.of("m1", "m", 1, "k8s-node-08", "z4").withCurrentTemplate()));
        RolloutPlan plan = RolloutPlanner.plan(in);
        assertThat(plan.refusals()).singleElement().asString().startsWith("no safe order exists")
                .contains("a, b, c, d (two of group g)");
        assertThat(new RolloutOracle(in).orderExists()).isFalse();
    }

    @Test
    void zoneWithTooFewSchedulableNodes_isRefused_namingTheZoneAndWhatItLacks() {
        List<Node> nodes = new ArrayList<>(nodes(3, "az1", "az2"));
        nodes.set(2, Node.unschedulable("k8s-node-03", "az1", "cordoned"));
        RolloutInput in = new RolloutInput(nodes, List.of(
                broker(0, 0, 4, "az2").asMaster(), broker(0, 1, 1, "az1"), broker(1, 0, 5, "az2").asMaster(),
                broker(1, 1, 2, "az1"), broker(2, 0, 3, "az1").asMaster(), broker(2, 1, 6, "az2")));
        RolloutPlan plan = RolloutPlanner.plan(in);
        assertThat(plan.refusals()).singleElement().asString()
                .startsWith("az1 has 2 schedulable nodes for 3 brokers planned there")
                .contains("k8s-node-03: cordoned", "give az1 1 more schedulable node");
    }

    @Test
    void spareNodeInEachZone_movesOneAtATime_slavesBeforeMasters() {
        RolloutInput in = new RolloutInput(nodes(4, "az1", "az2"), List.of(
                broker(0, 0, 1, "az2").asMaster(), broker(0, 1, 2, "az1"),
                broker(1, 0, 5, "az2").asMaster(), broker(1, 1, 6, "az1"),
                broker(2, 0, 3, "az1").asMaster(), broker(2, 1, 7, "az2")));
        RolloutPlan plan = planChecked(in);
        assertThat(plan.steps()).hasSize(6).noneMatch(RolloutStep::swap);
        List<String> order = plan.steps().stream().map(s -> s.brokers().get(0)).toList();
        assertThat(order.indexOf("broker-1-1")).isLessThan(order.indexOf("broker-0-0")); // the slave moves first
        assertThat(plan.steps().get(order.indexOf("broker-1-1")).reason())
                .isEqualTo("broker-1-1 moves az2 -> az1: az1 has 1 free schedulable node and no other member of broker-1 runs there");
        assertThat(order.subList(4, 6)).containsExactlyInAnyOrder("broker-1-0", "broker-2-0"); // masters in place last
    }

    @Test
    void brokerInPlaceWithTheTemplate_isLeftAlone_andAnUpToDateClusterNeedsNoStep() {
        RolloutInput in = new RolloutInput(nodes(1, "az1", "az2"), List.of(
                broker(0, 0, 2, "az2").asMaster().withCurrentTemplate(), broker(0, 1, 1, "az1").withCurrentTemplate()));
        RolloutPlan plan = RolloutPlanner.plan(in);
        assertThat(plan.safe()).isTrue();
        assertThat(plan.steps()).isEmpty();
    }

    @Test
    void brokerNotRunning_isRefused_namingIt() {
        RolloutInput in = new RolloutInput(nodes(2, "az1", "az2"), List.of(
                broker(0, 0, 3, "az2").asMaster(),
                new Broker("broker-0-1", "broker-0", 1, null, "az1", false, false, false, false)));
        assertThat(RolloutPlanner.plan(in).refusals()).singleElement().asString()
                .startsWith("broker-0-1 (group broker-0) is not running");
    }

    @Test
    void masterNotKnown_saysTheFailoverIsUnplanned() {
        RolloutInput in = new RolloutInput(nodes(2, "az1", "az2"), List.of(
                broker(0, 0, 3, "az2"), broker(0, 1, 1, "az1")));
        RolloutPlan plan = planChecked(in);
        assertThat(plan.steps()).allSatisfy(s -> {
            assertThat(s.restarts().get(0).role()).isEqualTo(Role.UNKNOWN);
            assertThat(s.restarts().get(0).handoff().kind()).isEqualTo(Handoff.Kind.UNPLANNED_FAILOVER);
        });
        // the planned master (replica 0) is taken to be the master: it goes last
        assertThat(plan.steps().get(1).brokers()).containsExactly("broker-0-0");
    }

    @Test
    void impossibleInput_isRejected() {
        assertThatThrownBy(() -> new RolloutInput(nodes(2, "az1", "az2"), List.of(
                broker(0, 0, 1, "az1"), broker(0, 1, 2, "az1"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both planned into az1");
        assertThatThrownBy(() -> new RolloutInput(nodes(2, "az1", "az2"), List.of(
                broker(0, 0, 1, "az1"), broker(1, 1, 1, "az2"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both run on k8s-node-01");
    }
}
