package io.crosszone.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.config.ZoneSeparation;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A group already spread over its zones, only the other way round, is planned where it runs. */
class KeepingMembersWhereTheyRunTest {
    private static final PlacementPlan RUNBOOK = PlacementPlanner.plan(PlacementPlannerTest.config(3, 2, 2, ZoneSeparation.REQUIRED));

    /** Every broker where the plan puts it: broker-0-0 az2, broker-0-1 az1, broker-1-0 az2, ... */
    private static Map<String, String> asPlanned(PlacementPlan plan) {
        Map<String, String> m = new HashMap<>();
        plan.brokers().forEach(b -> m.put(b.statefulSet(), b.plannedZone()));
        return m;
    }

    @Test
    void aGroupInTheReverseOfThePlan_isKeptWhereItRuns_itsMemberInTheMasterZoneIsThePlannedMaster() {
        Map<String, String> now = asPlanned(RUNBOOK);
        now.put("broker-1-0", "az1"); // planned az2, the master zone of group 1
        now.put("broker-1-1", "az2"); // planned az1
        PlacementPlan kept = RUNBOOK.keepingMembersWhereTheyRun(now, "az");

        assertThat(kept.broker("broker-1-0").orElseThrow().plannedZone()).isEqualTo("az1");
        assertThat(kept.broker("broker-1-1").orElseThrow().plannedZone()).isEqualTo("az2");
        assertThat(kept.broker("broker-1-1").orElseThrow().likelyMaster()).isTrue();
        assertThat(kept.broker("broker-1-0").orElseThrow().likelyMaster()).isFalse();
        assertThat(kept.plannedMasterReplicas()).containsEntry(0, 0).containsEntry(1, 1).containsEntry(2, 0);
        // the masters stay split as planned, and the written preference names the zone it runs in
        assertThat(kept.masterCountPerZone()).isEqualTo(RUNBOOK.masterCountPerZone());
        assertThat(kept.broker("broker-1-1").orElseThrow().affinity().getNodeAffinity()
                .getPreferredDuringSchedulingIgnoredDuringExecution().get(0).getPreference().getMatchExpressions().get(0)
                .getValues()).containsExactly("az2");
        // the required rules are those of the first plan
        assertThat(kept.broker("broker-1-1").orElseThrow().affinity().getPodAntiAffinity())
                .isEqualTo(RUNBOOK.broker("broker-1-1").orElseThrow().affinity().getPodAntiAffinity());
        // the other groups are untouched, and keeping again changes nothing
        assertThat(kept.broker("broker-0-0")).isEqualTo(RUNBOOK.broker("broker-0-0"));
        assertThat(kept.keepingMembersWhereTheyRun(now, "az")).isEqualTo(kept);
    }

    @Test
    void threeMembers_twoHoldingEachOthersZones_andOneToMove_onlyThatOneMoves() {
        PlacementPlan plan = PlacementPlanner.plan(PlacementPlannerTest.config(2, 3, 3, ZoneSeparation.REQUIRED));
        Map<String, String> now = asPlanned(plan);
        String z0 = plan.broker("broker-1-0").orElseThrow().plannedZone();
        String z1 = plan.broker("broker-1-1").orElseThrow().plannedZone();
        String z2 = plan.broker("broker-1-2").orElseThrow().plannedZone();
        now.put("broker-1-0", z2); // 1-0 and 1-2 hold each other's zones, 1-1 shares a zone with 1-0
        now.put("broker-1-2", z0);
        now.put("broker-1-1", z2);
        PlacementPlan kept = plan.keepingMembersWhereTheyRun(now, "az");
        assertThat(kept.broker("broker-1-0").orElseThrow().plannedZone()).isEqualTo(z2);
        assertThat(kept.broker("broker-1-2").orElseThrow().plannedZone()).isEqualTo(z0);
        assertThat(kept.broker("broker-1-1").orElseThrow().plannedZone()).isEqualTo(z1);
        assertThat(kept.plannedMasterReplicas()).containsEntry(1, 2); // replica 2 holds z0, the master zone
    }

    @Test
    void aGroupNotYetSpread_orOutsideItsZones_keepsTheFirstPlan_aMemberDownChangesNothing() {
        Map<String, String> now = asPlanned(RUNBOOK);
        now.put("broker-1-0", "az1"); // both members of group 1 in az1: broker-1-0 must move
        assertThat(RUNBOOK.keepingMembersWhereTheyRun(now, "az")).isEqualTo(RUNBOOK);

        // a member down does not change what the others hold: planning mid-outage agrees with planning before it
        now = asPlanned(RUNBOOK);
        now.put("broker-1-1", "az2");
        now.put("broker-1-0", "az1");
        PlacementPlan before = RUNBOOK.keepingMembersWhereTheyRun(now, "az");
        now.remove("broker-1-0"); // not running
        assertThat(RUNBOOK.keepingMembersWhereTheyRun(now, "az")).isEqualTo(before);
        now = asPlanned(RUNBOOK);
        now.remove("broker-0-1");
        assertThat(RUNBOOK.keepingMembersWhereTheyRun(now, "az")).isEqualTo(RUNBOOK);

        PlacementPlan threeZones = PlacementPlanner.plan(PlacementPlannerTest.config(2, 2, 3, ZoneSeparation.REQUIRED));
        now = asPlanned(threeZones);
        BrokerPlacement r0 = threeZones.broker("broker-0-0").orElseThrow();
        BrokerPlacement r1 = threeZones.broker("broker-0-1").orElseThrow();
        String third = threeZones.zones().stream().filter(z -> !z.equals(r0.plannedZone()) && !z.equals(r1.plannedZone()))
                .findFirst().orElseThrow();
        now.put("broker-0-1", third); // spread, but over a zone the plan does not give the group: it moves
        assertThat(threeZones.keepingMembersWhereTheyRun(now, "az")).isEqualTo(threeZones);
        now.put("broker-0-1", r0.plannedZone());
        now.put("broker-0-0", r1.plannedZone()); // its two planned zones, swapped: kept
        PlacementPlan kept = threeZones.keepingMembersWhereTheyRun(now, "az");
        assertThat(kept.broker("broker-0-0").orElseThrow().plannedZone()).isEqualTo(r1.plannedZone());
        assertThat(kept.plannedMasterReplicas()).containsEntry(0, 1);
    }
}
