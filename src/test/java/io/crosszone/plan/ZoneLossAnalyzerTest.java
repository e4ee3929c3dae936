package io.crosszone.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.config.ZoneSeparation;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZoneLossAnalyzerTest {

    private static List<ZoneLoss> runbook(boolean console) {
        PlacementPlan plan = PlacementPlanner.plan(PlacementPlannerTest.config(3, 2, 2, ZoneSeparation.REQUIRED));
        return ZoneLossAnalyzer.analyze(Topology.planned(plan, 1, console, false));
    }

    @Test
    void zoneALostRecoversByItself() {
        ZoneLoss az1 = runbook(false).get(0);
        assertThat(az1.zone()).isEqualTo("az1");
        assertThat(az1.groupsLosingMaster()).containsExactly(2);
        assertThat(az1.groupsWithoutReplica()).isEmpty();
        assertThat(az1.nameServerSurvives()).isTrue();
        assertThat(az1.controllerSurvives()).isTrue();
        assertThat(az1.automaticRecovery()).isTrue();
        assertThat(az1.actions()).isEmpty();
    }

    @Test
    void zoneBLostNeedsTheControllerMoved() {
        ZoneLoss az2 = runbook(false).get(1);
        assertThat(az2.groupsLosingMaster()).containsExactly(0, 1);
        assertThat(az2.controllerSurvives()).isFalse();
        assertThat(az2.automaticRecovery()).isFalse();
        assertThat(az2.actions()).singleElement().asString()
                .contains("move the controller").contains("force-delete").contains("[0, 1]");
    }

    @Test
    void aConsoleIsRestartedAfterEitherLoss() {
        assertThat(runbook(true)).allSatisfy(z -> assertThat(z.actions()).anyMatch(a -> a.contains("restart the console")));
    }

    @Test
    void bothMembersInOneZoneLeaveTheGroupWithoutReplica() {
        Topology t = new Topology(List.of("az1", "az2"),
                List.of(new Topology.Member(0, 0, "az1", true), new Topology.Member(0, 1, "az1", false),
                        new Topology.Member(1, 0, "az2", true), new Topology.Member(1, 1, "az1", false)),
                List.of("az1", "az1"), List.of("az2"), false, false);
        ZoneLoss az1 = ZoneLossAnalyzer.analyze(t, "az1");
        assertThat(az1.groupsLosingMaster()).containsExactly(0);
        assertThat(az1.groupsWithoutReplica()).containsExactly(0);
        assertThat(az1.nameServerSurvives()).isFalse();
        assertThat(az1.automaticRecovery()).isFalse();
        assertThat(az1.actions()).anyMatch(a -> a.contains("no name server survives"))
                .anyMatch(a -> a.contains("groups [0] have no replica"));
    }

    @Test
    void threeControllersSurviveTheLossOfTheMinorityZoneOnly() {
        Topology t = new Topology(List.of("az1", "az2"),
                List.of(new Topology.Member(0, 0, "az1", true), new Topology.Member(0, 1, "az2", false)),
                List.of("az1", "az2"), List.of("az1", "az1", "az2"), false, false);
        assertThat(ZoneLossAnalyzer.analyze(t, "az2").controllerSurvives()).isTrue();
        ZoneLoss az1 = ZoneLossAnalyzer.analyze(t, "az1");
        assertThat(az1.controllerSurvives()).isFalse();
        assertThat(az1.automaticRecovery()).isFalse();
    }
}
