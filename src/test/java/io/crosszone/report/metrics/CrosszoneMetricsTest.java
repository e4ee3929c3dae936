package io.crosszone.report.metrics;

import static io.crosszone.report.metrics.PromText.key;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrosszoneMetricsTest {
    static final Instant AT = Instant.parse("2026-12-04T10:00:00Z");

    static DrillSummary drill(String zone, String verdict) {
        Map<String, Long> rto = new LinkedHashMap<>();
        rto.put("broker-0", 3400L);
        rto.put("broker-1", 0L);
        rto.put("broker-2", null); // never recovered
        return new DrillSummary(AT, zone, "kill", verdict, rto, Map.of("broker-0", 30100L, "broker-1", 200L), "probe",
                2, 5, List.of("restarted the controller"), 95_000, "0.1.0");
    }

    @Test
    void aDrillIsEveryMetricOfTheIssueWithItsValues() {
        Map<String, Double> m = PromText.parse(CrosszoneMetrics.text(CrosszoneMetrics.drill(drill("az2", "failed"))));
        assertThat(m).containsEntry(key("crosszone_drill_rto_seconds", "zone", "az2", "group", "broker-0"), 3.4)
                .containsEntry(key("crosszone_drill_rto_seconds", "zone", "az2", "group", "broker-1"), 0.0)
                .doesNotContainKey(key("crosszone_drill_rto_seconds", "zone", "az2", "group", "broker-2"))
                .containsEntry(key("crosszone_drill_write_outage_seconds", "zone", "az2", "group", "broker-0", "client", "probe"), 30.1)
                .containsEntry(key("crosszone_drill_lost_messages", "zone", "az2"), 2.0)
                .containsEntry(key("crosszone_drill_duplicates", "zone", "az2"), 5.0)
                .containsEntry(key("crosszone_drill_success", "zone", "az2"), 0.0)
                .containsEntry(key("crosszone_drill_last_run_timestamp_seconds", "zone", "az2"), (double) AT.getEpochSecond())
                .containsEntry(key("crosszone_drill_duration_seconds", "zone", "az2"), 95.0)
                .containsEntry(key("crosszone_drill_repairs", "zone", "az2"), 1.0)
                .containsEntry(key("crosszone_drill_info", "zone", "az2", "mode", "kill", "verdict", "failed", "version", "0.1.0"), 1.0);
        Map<String, Double> ok = PromText.parse(CrosszoneMetrics.text(CrosszoneMetrics.drill(drill("az1", "passed"))));
        assertThat(ok).containsEntry(key("crosszone_drill_success", "zone", "az1"), 1.0);
    }

    @Test
    void verifyIsOneSamplePerCheckWithItsSeverity() {
        VerifySummary v = new VerifySummary(AT, "rocketmq", "broker", false, List.of(
                new VerifySummary.Check("groups-span-zones", true, true),
                new VerifySummary.Check("sync-state-full", false, true),
                new VerifySummary.Check("broker-name-server-env", false, false)));
        Map<String, Double> m = PromText.parse(CrosszoneMetrics.text(CrosszoneMetrics.verify(List.of(v))));
        assertThat(m).containsEntry(key("crosszone_verify_check_passed", "check", "groups-span-zones", "namespace", "rocketmq",
                        "broker_cr", "broker", "severity", "error"), 1.0)
                .containsEntry(key("crosszone_verify_check_passed", "check", "sync-state-full", "namespace", "rocketmq",
                        "broker_cr", "broker", "severity", "error"), 0.0)
                .containsEntry(key("crosszone_verify_check_passed", "check", "broker-name-server-env", "namespace", "rocketmq",
                        "broker_cr", "broker", "severity", "warning"), 0.0)
                .containsEntry(key("crosszone_verify_passed", "namespace", "rocketmq", "broker_cr", "broker"), 0.0);
    }

    @Test
    void labelValuesAreEscapedByTheLibrary() {
        DrillSummary d = new DrillSummary(AT, "zone \"a\"\\b", "kill", "passed", Map.of("g", 1L), Map.of(), "probe", 0, 0,
                List.of(), 1, "0.1.0");
        Map<String, Double> m = PromText.parse(CrosszoneMetrics.text(CrosszoneMetrics.drill(d)));
        assertThat(m).containsEntry(key("crosszone_drill_success", "zone", "zone \"a\"\\b"), 1.0);
    }

    @Test
    void theFileIsWrittenWholeAndNoTemporaryFileIsLeft(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("drill-az1.prom"), "old");
        List<String> warnings = new MetricsPublisher(dir, null, "c1").drill(drill("az1", "passed"));
        assertThat(warnings).isEmpty();
        assertThat(PromText.parse(Files.readString(dir.resolve("drill-az1.prom"))))
                .containsEntry(key("crosszone_drill_success", "zone", "az1"), 1.0);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("drill-az1.prom");
        }
    }

    @Test
    void aPushThatFailsIsAWarningNotAnError(@TempDir Path dir) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        List<String> warnings = new MetricsPublisher(dir, URI.create("http://127.0.0.1:" + port), "c1")
                .verify(List.of(new VerifySummary(AT, "rocketmq", "broker", true, List.of())));
        assertThat(warnings).singleElement().asString().contains("push to the Pushgateway").contains("failed");
        assertThat(dir.resolve("verify-distribution.prom")).exists();
    }

    @Test
    void theGroupUrlCarriesJobClusterAndZoneBase64Encoded() {
        Map<String, String> grouping = new LinkedHashMap<>();
        grouping.put("cluster", "prod/eu");
        grouping.put("zone", "");
        assertThat(new Pushgateway(URI.create("http://pg:9091/base/")).groupUri("crosszone-failover-drill", grouping))
                .hasToString("http://pg:9091/base/metrics/job@base64/Y3Jvc3N6b25lLWZhaWxvdmVyLWRyaWxs"
                        + "/cluster@base64/cHJvZC9ldQ==/zone@base64/=");
    }
}
