package io.crosszone.tasks.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.tasks.drill.ZonePods.PodInfo;
import io.crosszone.tasks.drill.ZonePods.Role;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DrillPlanTest {
    private static PodInfo broker(int g, int i, String node, String ip) {
        return new PodInfo("broker-" + g + "-" + i + "-0", Role.BROKER, node, ip, true, g, i, Map.of());
    }

    private static final ZonePods PODS = new ZonePods(
            Map.of("n1", "az1", "n2", "az1", "n3", "az2", "n4", "az2"), Map.of(),
            List.of(broker(0, 0, "n3", "10.0.0.1"), broker(0, 1, "n1", "10.0.0.2"),
                    broker(1, 0, "n2", "10.0.0.3"), broker(1, 1, "n4", "10.0.0.4"),
                    new PodInfo("namesrv-0", Role.NAME_SERVER, "n1", "10.0.1.1", true, -1, -1, Map.of()),
                    new PodInfo("namesrv-1", Role.NAME_SERVER, "n3", "10.0.1.2", true, -1, -1, Map.of()),
                    new PodInfo("controller-0", Role.CONTROLLER, "n4", "10.0.2.1", true, -1, -1, Map.of())));
    private static final Map<Integer, String> MASTERS = Map.of(0, "10.0.0.1:10911", 1, "10.0.0.3:10911");

    @Test
    void killDeletesTheZonesBrokersAndCutsOffItsNameServerAndController() {
        DrillPlan p = DrillPlan.plan("rocketmq", "az", List.of("az1", "az2"), "az2", DrillMode.KILL, PODS, MASTERS,
                Duration.ofMinutes(15));
        assertThat(p.nodesToCordon()).containsExactly("n3", "n4");
        assertThat(p.brokerPodsToDelete()).containsExactlyInAnyOrder("broker-0-0-0", "broker-1-1-0");
        assertThat(p.podsToCut()).containsExactlyInAnyOrder("namesrv-1", "controller-0");
        assertThat(p.controllerPodsInZone()).containsExactly("controller-0");
        assertThat(p.groupsLosingMaster()).containsExactly(0);
        assertThat(p.groupsLosingMember()).containsExactly(0, 1);
        assertThat(p.networkPolicy().getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
        assertThat(p.networkPolicy().getSpec().getPodSelector().getMatchLabels()).containsEntry(DrillPlan.CUT_LABEL, "az2");
        assertThat(p.changes()).extracting(c -> c.action() + " " + c.name()).startsWith("cordon n3", "cordon n4")
                .contains("delete broker-0-0-0", "create crosszone-drill-az2", "delete controller-0");
    }

    @Test
    void partitionCutsEveryPodOfTheZoneAndDeletesNone() {
        DrillPlan p = DrillPlan.plan("rocketmq", "az", List.of("az1", "az2"), "az1", DrillMode.PARTITION, PODS, MASTERS,
                Duration.ofMinutes(15));
        assertThat(p.brokerPodsToDelete()).isEmpty();
        assertThat(p.podsToCut()).containsExactlyInAnyOrder("broker-0-1-0", "broker-1-0-0", "namesrv-0");
        assertThat(p.controllerPodsInZone()).isEmpty();
        assertThat(p.groupsLosingMaster()).containsExactly(1);
        assertThat(p.chaosObjects()).isEmpty();
    }
}
