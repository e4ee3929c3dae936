package io.crosszone.tasks.drill;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosszone.core.Checkpoint;
import io.crosszone.core.Json;
import io.crosszone.core.Progress;
import io.crosszone.k8s.K8sStatus;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.lab.rocketmq.RocketMqProcess;
import io.crosszone.report.TaskReport;
import io.crosszone.rocketmq.AdminRocketMqGateway;
import io.crosszone.rocketmq.RocketMqAccess;
import io.crosszone.rocketmq.SyncStateSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Drills against a real controller-mode cluster run by the lab (mock API, operator, scheduler and
 * kubelet doubles, real RocketMQ processes), shared by every test: each drill restores it, and
 * every test checks that it did.
 */
@Tag("process") // starts processes (RocketMQ JVMs, a lab, podman): not in the fast run (README)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverDrillLabTest {
    private static final Path REPORTS = Path.of("target/drill-reports");
    private DrillLab lab;
    private final Map<String, Object> bench = new LinkedHashMap<>();

    @BeforeAll
    void rollOut() throws Exception {
        long t = System.nanoTime();
        lab = DrillLab.rolledOut(REPORTS);
        bench.put("labRolledOutMs", (System.nanoTime() - t) / 1_000_000);
    }

    @AfterAll
    void stop() throws Exception {
        if (lab != null) {
            lab.close();
        }
        Files.createDirectories(Path.of("target/bench-results"));
        Files.writeString(Path.of("target/bench-results/drill-lab.json"), Json.write(bench));
        System.out.println("[bench drill-lab] " + Json.write(bench));
    }

    @Test
    @Order(1)
    void killEachZone() throws Exception {
        for (String zone : List.of("az1", "az2")) {
            drill(zone, "kill");
        }
    }

    @Test
    @Order(2)
    void partitionEachZone() throws Exception {
        for (String zone : List.of("az1", "az2")) {
            drill(zone, "partition");
        }
    }

    @Test
    @Order(3)
    void aStuckPromotionIsRepairedByRestartingTheController() throws Exception {
        String controllerZone = lab.controllerZone();
        String zone = controllerZone.equals("az1") ? "az2" : "az1";
        Path dir = REPORTS.resolve("stuck-" + zone);
        // the controller answers nothing from just before the injection: no election happens
        Checkpoint freeze = step -> {
            if (step.equals("before-inject")) {
                lab.lab.rocketmq().controller(0).freeze();
            }
        };
        DrillOptions o = DrillOptions.defaults(zone, DrillMode.KILL).withMaxDuration(Duration.ofMinutes(3))
                .withStuckThreshold(Duration.ofSeconds(4), 2).withProbe(Duration.ofMillis(100), Duration.ofSeconds(5))
                .withFailBack(true).withReportDir(dir);
        TaskReport report;
        try (var client = lab.lab.newClient()) {
            report = new FailoverDrillTask(new KubernetesGateway(client), RocketMqAccess.ADMIN_API, Progress.stderr("drill"),
                    DrillPreflight.NONE, freeze).run(lab.config(), o);
        } finally {
            if (lab.lab.rocketmq().controller(0).isFrozen()) {
                lab.lab.rocketmq().controller(0).thaw();
            }
        }
        JsonNode drill = Json.MAPPER.readTree(Files.readString(dir.resolve("drill-" + zone + ".json")));
        assertThat(drill.get("actions").toString()).as(report.text()).contains("restarted the controller");
        assertThat(drill.get("verdict").asText()).as(report.text() + report.warnings()).isEqualTo("passed");
        assertThat(report.exitCode()).isZero();
        assertRestored();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rtoMillis", drill.get("rtoMillis"));
        m.put("writeOutageMillis", drill.get("writeOutageMillis"));
        m.put("actions", drill.get("actions"));
        m.put("lost", drill.get("lost"));
        bench.put("stuck-promotion-" + zone, m);
        Files.writeString(Path.of("target/bench-results/drill-stuck-promotion.json"), Json.write(m));
    }

    @Test
    @Order(4)
    void refusedWhenAReplicaIsOutOfSync() throws Exception {
        RocketMqProcess slave;
        try (AdminRocketMqGateway g = lab.lab.rocketmq().gateway(Duration.ofSeconds(3))) {
            String addr = g.clusterView(false).group("broker-0").orElseThrow().slaves().get(0).address();
            slave = lab.lab.rocketmq().memberAt(addr.substring(0, addr.indexOf(':'))).orElseThrow();
            slave.freeze();
            try {
                lab.await("the SyncStateSet shrinks", Duration.ofSeconds(60),
                        () -> g.syncStateSet("broker-0").map(s -> s.aliveInSync() < 2).orElse(false));
                Snapshot before = Snapshot.take(lab);
                DrillLab.Run run = lab.cli("failover-drill", "--zones", "az1,az2", "--zone", "az1");
                run.expectExit(1);
                assertThat(run.out()).contains("preflight: broker-0 SyncStateSet has 1 of 2 replicas in sync", "nothing was touched");
                assertThat(Snapshot.take(lab)).isEqualTo(before);
            } finally {
                slave.thaw();
            }
        }
        lab.lab.rocketmq().awaitHealthy(Duration.ofSeconds(90));
    }

    @Test
    @Order(5)
    void refusedWhileAnotherDrillHoldsTheLock() throws Exception {
        DrillLock lock = new DrillLock(lab.lab.client(), DrillLab.NS, Duration.ofSeconds(15));
        lock.acquire(new DrillRecord("another-drill", "az2", "kill", java.time.Instant.now().toString()));
        try {
            Snapshot before = Snapshot.take(lab);
            DrillLab.Run run = lab.cli("failover-drill", "--zones", "az1,az2", "--zone", "az1");
            run.expectExit(1);
            assertThat(run.out()).contains("another drill holds the lock", "another-drill", "nothing was touched");
            assertThat(Snapshot.take(lab)).isEqualTo(before);
        } finally {
            lock.release("another-drill");
        }
    }

    @Test
    @Order(6)
    void sigtermMidDrillRestoresEverything() throws Exception {
        Path dir = REPORTS.resolve("sigterm");
        ChildDrill child = ChildDrill.start(lab, dir, "--zone", "az1", "--mode", "partition");
        try {
            child.awaitPhase("injected");
            assertThat(lab.lab.client().nodes().list().getItems()).anyMatch(K8sStatus::nodeCordoned);
            child.process().destroy(); // SIGTERM, as a Tekton timeout sends
            assertThat(child.process().waitFor(4, java.util.concurrent.TimeUnit.MINUTES)).as(child.output()).isTrue();
        } finally {
            child.kill();
        }
        assertRestored();
        JsonNode drill = Json.MAPPER.readTree(Files.readString(dir.resolve("drill-az1.json")));
        assertThat(drill.get("verdict").asText()).as(child.output()).isEqualTo("aborted");
        assertThat(drill.get("problems").toString()).contains("SIGTERM");
        assertThat(drill.get("timeline").toString()).contains("RESTORED");
    }

    @Test
    @Order(7)
    void aDrillKilledMidwayIsUndoneByRecover() throws Exception {
        Path dir = REPORTS.resolve("killed");
        ChildDrill child = ChildDrill.start(lab, dir, "--zone", "az2", "--mode", "kill");
        try {
            child.awaitPhase("injected");
            child.process().destroyForcibly(); // SIGKILL: no hook runs, nothing is restored
            child.process().waitFor();
        } finally {
            child.kill();
        }
        assertThat(lab.lab.client().nodes().list().getItems()).anyMatch(K8sStatus::nodeCordoned);
        assertThat(new DrillLock(lab.lab.client(), DrillLab.NS, Duration.ofSeconds(15)).read()).isPresent();

        DrillLab.Run refused = lab.cli("failover-drill", "--zones", "az1,az2", "--zone", "az1");
        refused.expectExit(1);
        assertThat(refused.out()).contains("another drill holds the lock");

        DrillLab.Run recover = lab.cli("failover-drill", "--zones", "az1,az2", "--recover", "--fail-back");
        recover.expectExit(0);
        assertThat(recover.out()).contains("Recovering the drill of zone az2", "uncordoned node", "the lock is released");
        assertRestored();
    }

    /** What a refused drill must not change: cordons, pods, NetworkPolicies, the lock. */
    record Snapshot(List<String> cordoned, List<String> podUids, List<String> policies, boolean locked) {
        static Snapshot take(DrillLab lab) {
            var c = lab.lab.client();
            return new Snapshot(
                    c.nodes().list().getItems().stream().filter(K8sStatus::nodeCordoned).map(n -> n.getMetadata().getName()).toList(),
                    c.pods().inNamespace(DrillLab.NS).list().getItems().stream()
                            .map(p -> p.getMetadata().getName() + "/" + p.getMetadata().getUid() + "/" + p.getMetadata().getLabels())
                            .sorted().toList(),
                    c.network().v1().networkPolicies().inNamespace(DrillLab.NS).list().getItems().stream()
                            .map(n -> n.getMetadata().getName()).toList(),
                    c.resources(Lease.class).inNamespace(DrillLab.NS).withName(DrillLock.NAME).get() != null);
        }
    }

    private JsonNode drill(String zone, String mode) throws Exception {
        String controllerZone = lab.controllerZone();
        Path dir = REPORTS.resolve(mode + "-" + zone);
        long t = System.nanoTime();
        DrillLab.Run run = lab.cli("failover-drill", "--zones", "az1,az2", "--zone", zone, "--mode", mode,
                "--max-duration", "3m", "--report-dir", dir.toString(), "-o", "json", // fails back by default
                "--replace-controller-volume"); // zonal volumes: the controller's cannot leave its zone
        long took = (System.nanoTime() - t) / 1_000_000;
        run.expectExit(0);
        JsonNode report = Json.MAPPER.readTree(Files.readString(dir.resolve("drill-" + zone + ".json")));
        assertThat(report.get("verdict").asText()).isEqualTo("passed");
        assertThat(report.get("lost").asLong()).isZero();
        for (JsonNode g : report.get("groups")) {
            if (g.get("lostMaster").asBoolean()) {
                assertThat(g.get("newMaster").asText()).isNotBlank();
                assertThat(g.get("rtoMillis").isNumber()).isTrue();
            }
        }
        assertThat(report.get("timeline").toString()).contains("INJECTED", "RESTORE_STARTED", "RESTORED");
        // the cut was in effect (the zone's members silent) before t=0, and the report says how it was made
        JsonNode cut = report.get("cut");
        assertThat(cut.get("inEffectMillis").isNumber()).as(cut.toString()).isTrue();
        assertThat(cut.get("silent").size()).as(cut.toString()).isPositive();
        assertThat(cut.get("networkModel").asText()).as(cut.toString()).isIn("packet-drop", "freeze");
        // t=0 is the cut itself (as an instant, to set the timeline beside the servers' logs), not its
        // confirmation: an election during the confirmation is then dated, not reported at the first poll after it
        assertThat(cut.get("t0At").asText()).as(cut.toString()).isEqualTo(cut.get("madeAt").asText());
        long confirmed = cut.get("inEffectMillis").asLong();
        assertThat(report.get("timeline").toString()).as("the confirmation is an event of the timeline, at its time")
                .contains("\"atMillis\":" + confirmed + ",\"kind\":\"CUT_IN_EFFECT\"");
        assertThat(report.get("restore").get("failBack").asBoolean()).isTrue();
        assertThat(report.get("restore").get("whole").asBoolean()).isTrue();
        if (zone.equals(controllerZone)) {
            // the lab's volumes are zonal: the controller's cannot leave the zone, so it is replaced and re-seeded
            assertThat(report.get("actions").toString()).contains("replaced the claim", "re-seeded the empty controller",
                    "rejoined: ");
            // a silent zone leaves each re-seeded master waiting for its cut-off replica: restarted once
            assertThat(report.get("actions").toString().contains("restarted the master")).isEqualTo(!mode.equals("kill"));
            assertThat(dir.resolve("controller-metadata-before-cut-" + zone + ".json")).as("the backup of what it lost").exists();
        }
        assertThat(Files.readString(dir.resolve("drill-" + zone + ".html"))).contains("<svg");
        // the report says which client the probe was (an ordinary one) and where it looked routes up
        assertThat(report.get("probeClient").asText()).contains("pollNameServerInterval=30000ms",
                "mqClientApiTimeout=3000ms", "route lookups on name server ");
        assertThat(report.get("clientWarnings").isArray()).isTrue();
        // two producers: the ordinary one and the one with README's settings, each counted on its own
        JsonNode probes = report.get("probes");
        assertThat(probes).hasSize(2);
        assertThat(probes.get(0).get("client").asText()).isEqualTo("ordinary");
        assertThat(probes.get(1).get("client").asText()).isEqualTo("tuned");
        assertThat(probes.get(1).get("settings").asText()).contains("pollNameServerInterval=2000ms");
        for (JsonNode p : probes) {
            assertThat(p.get("acknowledged").asLong()).as(p.toString()).isPositive();
            assertThat(p.get("lost").asLong()).as(p.toString()).isZero();
            assertThat(p.get("longestWriteOutageMillis").isNumber()).as(p.toString()).isTrue();
        }
        assertThat(report.get("acked").asLong())
                .isEqualTo(probes.get(0).get("acknowledged").asLong() + probes.get(1).get("acknowledged").asLong());
        assertRestored();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rtoMillis", report.get("rtoMillis"));
        m.put("writeOutageMillis", report.get("writeOutageMillis"));
        m.put("acked", report.get("acked"));
        m.put("failedSends", report.get("failedSends"));
        m.put("lost", report.get("lost"));
        m.put("duplicates", report.get("duplicates"));
        m.put("controllerInZone", zone.equals(controllerZone));
        m.put("actions", report.get("actions"));
        m.put("groups", report.get("groups"));
        m.put("probeClient", report.get("probeClient"));
        m.put("clientWarnings", report.get("clientWarnings"));
        m.put("probes", probes);
        m.put("cutInEffectMillis", cut.get("inEffectMillis"));
        m.put("networkModel", cut.get("networkModel"));
        m.put("drillMs", took);
        bench.put(mode + "-" + zone, m);
        Files.createDirectories(Path.of("target/bench-results"));
        Files.writeString(Path.of("target/bench-results/drill-" + mode + "-" + zone + ".json"), Json.write(m));
        System.out.println("[bench drill " + mode + " " + zone + "] " + Json.write(m).replaceAll("\\s+", " "));
        return report;
    }

    /** Nothing the drill changed is left, and the cluster is whole. */
    private void assertRestored() {
        var client = lab.lab.client();
        assertThat(client.nodes().list().getItems()).noneMatch(K8sStatus::nodeCordoned);
        assertThat(client.network().v1().networkPolicies().inNamespace(DrillLab.NS).list().getItems()).isEmpty();
        assertThat(client.resources(Lease.class).inNamespace(DrillLab.NS).withName(DrillLock.NAME).get()).isNull();
        assertThat(client.pods().inNamespace(DrillLab.NS).withLabel(DrillPlan.CUT_LABEL).list().getItems()).isEmpty();
        assertThat(lab.readyPods("broker_cr")).hasSize(4);
        try (AdminRocketMqGateway g = lab.lab.rocketmq().gateway(Duration.ofSeconds(3))) {
            Map<String, SyncStateSet> sets = g.syncStateSets(List.of("broker-0", "broker-1"));
            assertThat(sets.values()).allMatch(s -> s.hasMaster() && s.aliveInSync() == 2);
            assertThat(g.clusterView(false).masters()).containsOnlyKeys("broker-0", "broker-1");
        }
    }
}
