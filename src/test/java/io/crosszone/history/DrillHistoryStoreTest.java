package io.crosszone.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.report.metrics.DrillSummary;
import io.crosszone.support.Cli;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@EnableKubernetesMockClient(crud = true)
class DrillHistoryStoreTest {
    static final String NS = "rocketmq";
    static final Instant T0 = Instant.parse("2026-11-01T03:00:00Z");
    KubernetesMockServer server;
    KubernetesClient client;

    static DrillSummary drill(int day, String zone, String verdict, Long rto) {
        Map<String, Long> r = new LinkedHashMap<>();
        r.put("broker-0", rto);
        r.put("broker-1", 0L);
        return new DrillSummary(T0.plus(Duration.ofDays(day)), zone, "kill", verdict, r, Map.of("broker-0", 30_100L + day),
                "probe", 0, 0, List.of("restarted the controller"), 90_000, "0.1.0");
    }

    @Test
    void theFirstDrillCreatesTheConfigMapAndTheOldestAreDropped() {
        DrillHistoryStore store = new DrillHistoryStore(client, NS);
        assertThat(store.read()).isEmpty();
        for (int day = 0; day < 5; day++) {
            store.append(drill(day, day % 2 == 0 ? "az1" : "az2", "passed", 3000L + day), 3);
        }
        List<DrillSummary> kept = store.read();
        assertThat(kept).extracting(DrillSummary::finishedAt)
                .containsExactly(T0.plus(Duration.ofDays(2)), T0.plus(Duration.ofDays(3)), T0.plus(Duration.ofDays(4)));
        assertThat(kept.get(2).rtoMillis()).containsEntry("broker-0", 3004L);
        ConfigMap cm = client.configMaps().inNamespace(NS).withName(DrillHistory.CONFIG_MAP).get();
        assertThat(cm.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "crosszone");
    }

    @Test
    void aGroupThatNeverRecoveredStaysNullThroughTheConfigMap() {
        DrillHistoryStore store = new DrillHistoryStore(client, NS);
        store.append(drill(0, "az2", "failed", null), 50);
        DrillSummary back = store.read().get(0);
        assertThat(back.rtoMillis()).containsKey("broker-0");
        assertThat(back.rtoMillis().get("broker-0")).isNull();
        assertThat(back.passed()).isFalse();
    }

    @Test
    void aWriteThatLosesTheRaceIsRetriedFromAFreshRead() throws Exception {
        DrillHistoryStore store = new DrillHistoryStore(client, NS);
        store.append(drill(0, "az1", "passed", 3000L), 50);
        // another drill writes between our read and our update: the API server answers 409 once
        server.expect().put().withPath("/api/v1/namespaces/" + NS + "/configmaps/" + DrillHistory.CONFIG_MAP)
                .andReturn(409, new StatusBuilder().withCode(409).withReason("Conflict")
                        .withMessage("the object has been modified; please apply your changes to the latest version").build())
                .once();
        store.append(drill(1, "az2", "passed", 5000L), 50);
        assertThat(store.read()).extracting(DrillSummary::zone).containsExactly("az1", "az2");
        int puts = 0;
        int gets = 0;
        for (int i = server.getRequestCount(); i > 0; i--) {
            RecordedRequest r = server.takeRequest();
            if (r.getPath().endsWith("/configmaps/" + DrillHistory.CONFIG_MAP)) {
                puts += r.getMethod().equals("PUT") ? 1 : 0;
                gets += r.getMethod().equals("GET") ? 1 : 0;
            }
        }
        assertThat(puts).as("the refused PUT and the retried one").isEqualTo(2);
        assertThat(gets).as("a read before each of the three attempts, and the final read").isEqualTo(4);
    }

    @Test
    void aStaleResourceVersionIsRefusedByTheApiServerAndTheAppendStillLands() {
        DrillHistoryStore store = new DrillHistoryStore(client, NS);
        store.append(drill(0, "az1", "passed", 3000L), 50);
        ConfigMap stale = client.configMaps().inNamespace(NS).withName(DrillHistory.CONFIG_MAP).get();
        store.append(drill(1, "az2", "passed", 5000L), 50);
        stale.getData().put(DrillHistory.KEY, "[]");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.configMaps().inNamespace(NS).resource(stale).update())
                .hasMessageContaining("409");
        assertThat(store.read()).hasSize(2);
    }

    @Test
    void drillHistoryPrintsTheTableWritesTheTrendAndFailsOnAFailedLastDrill(@TempDir Path dir) throws Exception {
        namespaceExists();
        DrillHistoryStore store = new DrillHistoryStore(client, NS);
        Instant now = Instant.now();
        store.append(new DrillSummary(now.minus(Duration.ofDays(2)), "az1", "kill", "passed", Map.of("broker-0", 3400L),
                Map.of("broker-0", 30_100L), "probe", 0, 0, List.of(), 1, "0.1.0"), 50);
        store.append(new DrillSummary(now.minus(Duration.ofDays(1)), "az2", "kill", "failed", Map.of("broker-0", 95_000L),
                Map.of("broker-0", 99_000L), "probe", 3, 0, List.of("restarted the controller"), 1, "0.1.0"), 50);

        Cli.Result r = Cli.run(server, "drill-history", "--namespace", NS, "--report-dir", dir.toString());
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).contains("az1").contains("az2").contains("broker-0 3.4").contains("broker-0 95")
                .contains("the last drill of zone az2").contains("failed");
        String html = Files.readString(dir.resolve("drill-history.html"));
        assertThat(html).contains("<svg id=\"rto\"").contains("<svg id=\"outage\"").contains("class=\"failed\"")
                .doesNotContain("<script").doesNotContain("src=").doesNotContain("href=");

        Cli.Result az1 = Cli.run(server, "drill-history", "--namespace", NS, "--zone", "az1", "-o", "json");
        assertThat(az1.exitCode()).as(az1.out() + az1.err()).isZero();
        assertThat(az1.out()).contains("\"verdict\" : \"passed\"");
        Cli.Result stale = Cli.run(server, "drill-history", "--namespace", NS, "--zone", "az1", "--max-age", "36h");
        assertThat(stale.exitCode()).isEqualTo(1);
        assertThat(stale.out()).contains("older than 36h");
        assertThat(Cli.run(server, "drill-history", "--namespace", NS, "--max-age", "soon").exitCode()).isEqualTo(2);
    }

    @Test
    void noHistoryIsAFailure() {
        namespaceExists();
        Cli.Result r = Cli.run(server, "drill-history", "--namespace", NS);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("no drill is recorded");
    }

    /** drill-history checks that its namespace exists before it reads anything (ClusterPreflight). */
    private void namespaceExists() {
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata().withName(NS).endMetadata().build()).create();
    }
}
