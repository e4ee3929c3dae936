package io.crosszone.report.metrics;

import static io.crosszone.report.metrics.PushgatewayProcess.select;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics reach a real Pushgateway: its /metrics holds the drill's values, grouped by job, cluster and zone. */
@Tag("process") // a real Pushgateway process
class PushgatewayTest {
    @Test
    void aDrillAndAVerifyArePushedAndTheFileHoldsTheSameValues(@TempDir Path dir) throws Exception {
        try (PushgatewayProcess pg = PushgatewayProcess.start(Path.of("target/pushgateway"))) {
            MetricsPublisher publisher = new MetricsPublisher(dir, pg.url(), "lab-1");
            DrillSummary drill = CrosszoneMetricsTest.drill("az2", "passed");
            assertThat(publisher.drill(drill)).isEmpty();
            assertThat(publisher.verify(List.of(new VerifySummary(CrosszoneMetricsTest.AT, "rocketmq", "broker", true,
                    List.of(new VerifySummary.Check("groups-span-zones", true, true)))))).isEmpty();

            Map<String, Double> m = pg.metrics();
            String[] group = {"job", MetricsPublisher.DRILL_JOB, "cluster", "lab-1", "zone", "az2"};
            assertThat(select(m, "crosszone_drill_rto_seconds", concat(group, "group", "broker-0")).values()).containsExactly(3.4);
            assertThat(select(m, "crosszone_drill_write_outage_seconds", concat(group, "group", "broker-0", "client", "probe"))
                    .values()).containsExactly(30.1);
            assertThat(select(m, "crosszone_drill_success", group).values()).containsExactly(1.0);
            assertThat(select(m, "crosszone_drill_lost_messages", group).values()).containsExactly(2.0);
            assertThat(select(m, "crosszone_drill_duplicates", group).values()).containsExactly(5.0);
            assertThat(select(m, "crosszone_drill_last_run_timestamp_seconds", group).values())
                    .containsExactly((double) CrosszoneMetricsTest.AT.getEpochSecond());
            assertThat(select(m, "crosszone_verify_check_passed", "job", MetricsPublisher.VERIFY_JOB, "cluster", "lab-1",
                    "check", "groups-span-zones").values()).containsExactly(1.0);
            assertThat(select(m, "push_failure_time_seconds", group).values()).containsExactly(0.0);

            // the .prom file holds the same values as what was pushed
            Map<String, Double> file = PromText.parse(Files.readString(dir.resolve("drill-az2.prom")));
            assertThat(file).containsEntry(PromText.key("crosszone_drill_rto_seconds", "zone", "az2", "group", "broker-0"), 3.4)
                    .containsEntry(PromText.key("crosszone_drill_success", "zone", "az2"), 1.0);

            // a later drill of the zone replaces the group's metrics (PUT): no stale group is left
            assertThat(publisher.drill(CrosszoneMetricsTest.drill("az2", "failed"))).isEmpty();
            assertThat(select(pg.metrics(), "crosszone_drill_success", group).values()).containsExactly(0.0);
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
