package io.crosszone.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crosszone.support.Cli;
import io.crosszone.rbac.ApiRequest;
import io.crosszone.rbac.ApiRequests;
import io.crosszone.rbac.RbacManifestsTest;
import io.crosszone.rbac.RbacPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import io.crosszone.report.metrics.MetricsPublisher;
import io.crosszone.report.metrics.PromText;
import io.crosszone.report.metrics.PushgatewayProcess;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, end to end: `crosszone lab` with the default (runbook) shape rolls
 * out, verifies, drills each zone and verifies again, against real RocketMQ processes.
 */
@Tag("process") // starts processes (RocketMQ JVMs, a lab, podman): not in the fast run (README)
class LabCommandTest {

    @Test
    void theDefaultLabRollsOutAndSurvivesTheLossOfEitherZone(@TempDir Path reports) throws Exception {
        try (PushgatewayProcess pg = PushgatewayProcess.startIfInstalled(Path.of("target/pushgateway"))) {
            List<String> args = new ArrayList<>(List.of("lab", "-o", "json", "--report-dir", reports.toString(),
                    "--work-dir", "target/lab-e2e"));
            if (pg != null) {
                args.addAll(List.of("--pushgateway", pg.url().toString()));
            }
            Cli.Result run = Cli.run(args.toArray(String[]::new));
            checkLab(reports, run);
            checkMetrics(reports, run, pg);
        }
    }

    /** The .prom files in the report dir (and the Pushgateway, when given) hold each drill's values; the history lists both. */
    private static void checkMetrics(Path reports, Cli.Result run, PushgatewayProcess pg) throws Exception {
        JsonNode doc = new ObjectMapper().readTree(run.out());
        for (JsonNode d : doc.get("drills")) {
            String zone = d.get("zone").asText();
            Map<String, Double> file = PromText.parse(Files.readString(reports.resolve("drill-" + zone + ".prom")));
            assertThat(file).containsEntry(PromText.key("crosszone_drill_success", "zone", zone), 1.0)
                    .containsEntry(PromText.key("crosszone_drill_lost_messages", "zone", zone), 0.0);
            double worstRto = file.entrySet().stream().filter(e -> e.getKey().startsWith("crosszone_drill_rto_seconds{"))
                    .mapToDouble(Map.Entry::getValue).max().orElseThrow();
            assertThat(worstRto).isEqualTo(d.get("rtoMillis").asLong() / 1000.0);
            assertThat(file.keySet()).anyMatch(k -> k.startsWith("crosszone_drill_write_outage_seconds{"))
                    .anyMatch(k -> k.startsWith("crosszone_drill_last_run_timestamp_seconds{"))
                    .anyMatch(k -> k.startsWith("crosszone_drill_duplicates{"));
            if (pg != null) {
                assertThat(PushgatewayProcess.select(pg.metrics(), "crosszone_drill_success", "job",
                        MetricsPublisher.DRILL_JOB, "cluster", "lab", "zone", zone).values()).containsExactly(1.0);
            }
        }
        Map<String, Double> verify = PromText.parse(Files.readString(reports.resolve("verify-distribution.prom")));
        assertThat(verify.keySet()).anyMatch(k -> k.startsWith("crosszone_verify_check_passed{")
                && k.contains("check=\"groups-span-zones\""));
        if (pg != null) {
            assertThat(PushgatewayProcess.select(pg.metrics(), "crosszone_verify_passed", "job", MetricsPublisher.VERIFY_JOB,
                    "cluster", "lab").values()).containsExactly(1.0);
        }
        // the second drill's history page lists both drills
        String history = Files.readString(reports.resolve("drill-history.html"));
        assertThat(history).contains("2 drills recorded").contains("<svg id=\"rto\"");
    }

    private static void checkLab(Path reports, Cli.Result run) throws Exception {
        JsonNode doc = new ObjectMapper().readTree(run.out());
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(doc.get("verdict").asText()).isEqualTo("passed");
        assertThat(doc.get("steps")).extracting(s -> s.get("name").asText()).containsExactly("label-zones",
                "switch-to-controller-mode", "apply-affinity", "verify-distribution", "failover-drill", "failover-drill",
                "verify-distribution");

        // the placement: every group spans both zones, masters split 1:2 as the runbook plans
        JsonNode brokers = doc.get("distribution").get("brokers");
        assertThat(brokers).hasSize(6);
        Map<Integer, String> zoneOfReplica0 = new HashMap<>();
        Map<Integer, String> zoneOfReplica1 = new HashMap<>();
        for (JsonNode b : brokers) {
            (b.get("replica").asInt() == 0 ? zoneOfReplica0 : zoneOfReplica1).put(b.get("group").asInt(), b.get("zone").asText());
        }
        for (int g = 0; g < 3; g++) {
            assertThat(zoneOfReplica0.get(g)).isNotEqualTo(zoneOfReplica1.get(g));
        }
        assertThat(zoneOfReplica0).containsEntry(0, "az2").containsEntry(1, "az2").containsEntry(2, "az1");

        // a drill of each zone: RTO measured, nothing acknowledged was lost
        assertThat(doc.get("drills")).hasSize(2);
        for (JsonNode d : doc.get("drills")) {
            assertThat(d.get("verdict").asText()).as(d.toString()).isEqualTo("passed");
            assertThat(d.get("rtoMillis").isNumber()).as(d.toString()).isTrue();
            assertThat(d.get("lost").asLong()).as(d.toString()).isZero();
        }
        assertThat(doc.get("drills")).extracting(d -> d.get("zone").asText()).containsExactly("az1", "az2");
        // the runbook's manual repair, done by the drill: the console (a Deployment the operator
        // double made from the Console CR) restarted once per drill
        for (JsonNode d : doc.get("drills")) {
            assertThat(d.get("repairs")).as(d.toString()).extracting(JsonNode::asText)
                    .filteredOn(a -> a.startsWith("restarted the console Deployment console")).hasSize(1);
        }

        // the reports of every step are where the README says
        assertThat(reports.resolve("lab/kubeconfig")).exists();
        assertThat(reports.resolve("lab/crosszone.yaml")).exists();
        assertThat(reports.resolve("04-verify-distribution/verify-distribution.xml")).exists();
        try (var files = Files.walk(reports)) {
            assertThat(files.map(Path::toString)).anyMatch(p -> p.endsWith(".html"));
        }
        // every API request the tasks made is allowed by the RBAC manifests in tekton/rbac
        List<ApiRequest> requests = new ArrayList<>();
        for (String line : Files.readAllLines(reports.resolve("api-requests.txt"))) {
            if (!line.isBlank()) {
                String[] mp = line.split(" ", 2);
                ApiRequests.fromHttp(mp[0], mp[1]).ifPresent(requests::add);
            }
        }
        assertThat(requests).hasSizeGreaterThan(50);
        // ... and the manifests grant nothing that this run did not use (the optional chaos-mesh and
        // fleet-reader files are checked against their declared needs in RbacManifestsTest)
        RbacPolicy policy = RbacManifestsTest.tasksPolicy();
        assertThat(policy.denied(requests)).as("requests the manifests do not allow").isEmpty();
        assertThat(policy.unusedRules(requests)).as("granted but not used by any task in the lab run").isEmpty();
        System.out.println("[lab rbac] " + requests.size() + " task requests, all allowed; every grant used");

        // nothing left running
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("lab-e2e"))).isEmpty();
    }
}
