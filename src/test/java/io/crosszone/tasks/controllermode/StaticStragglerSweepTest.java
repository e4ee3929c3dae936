package io.crosszone.tasks.controllermode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.core.Checkpoint;
import io.crosszone.core.FakeTime;
import io.crosszone.core.Progress;
import io.crosszone.k8s.BrokerCr;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.lab.StaticDeploymentFixture;
import io.crosszone.report.TaskReport;
import io.crosszone.report.Verdict;
import io.crosszone.support.ApiRequests;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The straggler sweep's safety rules and the read-only verification, against the mock API with
 * no double running: the STATIC StatefulSets are deleted, their pods and claims are left as if
 * the StatefulSet controller had made them again. Every request is counted.
 */
@EnableKubernetesMockClient(crud = true)
class StaticStragglerSweepTest {
    private static final String NS = "rocketmq";

    KubernetesMockServer server;
    KubernetesClient client;
    @TempDir
    Path reportDir;

    private KubernetesGateway k8s;
    private BrokerCr broker;
    private final FakeTime time = new FakeTime(1_000);

    @BeforeEach
    void staticStatefulSetsDeletedTheirPodsAndClaimsBack() {
        StaticDeploymentFixture.runbook().apply(client);
        k8s = new KubernetesGateway(client);
        broker = k8s.brokerCr(NS, "broker").orElseThrow();
        StaticStragglerSweep.leftovers(k8s, broker).statefulSets()
                .forEach(s -> k8s.deleteStatefulSet(NS, s.getMetadata().getName()));
        assertThat(leftovers().pods()).hasSize(6);
        assertThat(leftovers().pvcs()).hasSize(6);
        ApiRequests.drain(server);
    }

    private StaticLeftovers leftovers() {
        return StaticStragglerSweep.leftovers(k8s, broker);
    }

    private SwitchToControllerModeTask.Options options(boolean dryRun, boolean delete) {
        return new SwitchToControllerModeTask.Options(dryRun, delete, false, Duration.ofMinutes(1), Duration.ofMillis(50),
                reportDir);
    }

    private StaticStragglerSweep sweep() {
        return new StaticStragglerSweep(k8s, time, Duration.ofMillis(50));
    }

    private void backupConfigMap() {
        StaticBackup.write(k8s, NS, "broker", reportDir, Map.of("Broker.broker.json", "{}"));
        ApiRequests.drain(server);
    }

    @Test
    void withoutDeleteStaticDataItRefusesAndSendsNoRequest() {
        TaskReport report = TaskReport.mutating("switch-to-controller-mode", false);
        assertThatThrownBy(() -> sweep().sweep(broker, options(false, false), report))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("--delete-static-data");
        assertThat(ApiRequests.drain(server)).isEmpty();
        assertThat(report.changes()).isEmpty();
    }

    @Test
    void inADryRunItRefusesAndSendsNoRequest() {
        TaskReport report = TaskReport.mutating("switch-to-controller-mode", true);
        assertThatThrownBy(() -> sweep().sweep(broker, options(true, true), report))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("dry run");
        assertThat(ApiRequests.drain(server)).isEmpty();
    }

    @Test
    void withoutTheBackupConfigMapItDeletesNothingAndSaysWhy() throws Exception {
        TaskReport report = TaskReport.mutating("switch-to-controller-mode", false);
        sweep().sweep(broker, options(false, true), report);
        assertThat(ApiRequests.writes(server)).isEmpty();
        assertThat(leftovers().pods()).hasSize(6);
        assertThat(report.changes()).isEmpty();
        assertThat(report.warnings()).anyMatch(w -> w.contains("crosszone-static-backup-broker is missing"));
    }

    @Test
    void withTheBackupItDeletesTheStragglersUntilQuietOnTheInjectedClock() throws Exception {
        backupConfigMap();
        TaskReport report = TaskReport.mutating("switch-to-controller-mode", false);
        sweep().sweep(broker, options(false, true), report);

        assertThat(leftovers().isEmpty()).isTrue();
        assertThat(ApiRequests.writes(server)).hasSize(12).allMatch(w -> w.startsWith("DELETE "))
                .contains("DELETE /api/v1/namespaces/rocketmq/pods/broker-0-master-0",
                        "DELETE /api/v1/namespaces/rocketmq/persistentvolumeclaims/broker-storage-broker-2-replica-1-0");
        assertThat(report.changes()).hasSize(12).allMatch(c -> c.detail().startsWith("recreated"));
        // one look that deletes, then QUIET_CHECKS quiet looks, paced at 100 ms (50 ms is raised) in no real time
        assertThat(time.sleeps()).isEqualTo(StaticStragglerSweep.QUIET_CHECKS);
        assertThat(time.currentMillis() - 1_000).isEqualTo(StaticStragglerSweep.QUIET_CHECKS * 100L);
    }

    @Test
    void verifyReportsStragglersWithoutASingleWrite() {
        backupConfigMap();
        CrosszoneConfig config = new CrosszoneConfig();
        SwitchPlan plan = SwitchPlan.plan(config, broker, Optional.empty(), null, false, leftovers());
        ApiRequests.drain(server);
        TaskReport report = TaskReport.mutating("switch-to-controller-mode", false);

        new SwitchToControllerModeTask(k8s, Progress.silent(), Optional.empty(), Checkpoint.NONE, time)
                .verify(broker, plan, options(false, true), report);

        assertThat(ApiRequests.drain(server)).isNotEmpty().allMatch(r -> r.getMethod().equals("GET"));
        assertThat(report.verdict()).isEqualTo(Verdict.FAILED);
        assertThat(report.warnings()).anyMatch(w -> w.startsWith("verify: STATIC objects are still there"));
        assertThat(leftovers().pods()).hasSize(6);
        assertThat(leftovers().pvcs()).hasSize(6);
        assertThat(time.sleeps()).isZero();
    }
}
