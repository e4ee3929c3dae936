package io.crosszone.tasks.controllermode;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.lab.StaticDeploymentFixture;
import io.crosszone.lab.operator.OperatorDouble;
import io.crosszone.plan.OperatorNames;
import io.crosszone.support.Cli;
import io.crosszone.support.CrosszoneWithoutRocketMq;
import io.crosszone.support.KubeletStandIn;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * switch-to-controller-mode SIGKILLed for real: the CLI runs in its own JVM against the mock API
 * over HTTP (a kubeconfig) and is killed with SIGKILL once the API server has seen the N-th
 * request of a kind (where it then stands is up to the race, as with a real kill). Whatever it
 * had deleted by then must be in the backup, and a plain re-run must finish the job.
 * (SwitchToControllerModeTest stops the task at exact steps in process; this is the real thing.)
 */
@Tag("process") // starts processes (RocketMQ JVMs, a lab, podman): not in the fast run (README)
@EnableKubernetesMockClient(crud = true, https = false)
class SwitchToControllerModeSigkillTest {
    private static final String NS = "rocketmq";
    private static final List<String> STATIC = List.of("broker-0-master", "broker-0-replica-1", "broker-1-master",
            "broker-1-replica-1", "broker-2-master", "broker-2-replica-1");

    KubernetesMockServer server;
    KubernetesClient client;
    @TempDir
    Path reportDir;

    private final List<AutoCloseable> running = new ArrayList<>();
    private Process child;

    @AfterEach
    void stop() throws Exception {
        if (child != null && child.isAlive()) {
            child.destroyForcibly().waitFor();
        }
        for (AutoCloseable c : running) {
            c.close();
        }
    }

    @ParameterizedTest(name = "killed at the {1}th {0}")
    @CsvSource({
            "POST /api/v1/namespaces/rocketmq/configmaps, 1",
            "DELETE /apis/apps/v1/namespaces/rocketmq/statefulsets/, 1",
            "DELETE /apis/apps/v1/namespaces/rocketmq/statefulsets/, 4",
            "DELETE /api/v1/namespaces/rocketmq/persistentvolumeclaims/, 3"})
    void whateverASigkillLeavesTheBackupCoversAndAReRunFinishes(String request, int nth) throws Exception {
        StaticDeploymentFixture.runbook().apply(client);
        KubernetesGateway k8s = new KubernetesGateway(client);
        running.add(OperatorDouble.builder(client, NS).resync(Duration.ofMillis(200)).start());
        running.add(KubeletStandIn.start(client, NS));
        drain();

        child = startChild(reportDir.resolve("first"));
        int seen = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (seen < nth) {
            assertThat(System.nanoTime()).as("the child reaches " + request + " #" + nth + ":\n" + log()).isLessThan(deadline);
            assertThat(child.isAlive()).as("the child is still running before the kill:\n" + log()).isTrue();
            RecordedRequest r = server.takeRequest(100, TimeUnit.MILLISECONDS);
            if (r != null && (r.getMethod() + " " + r.getPath()).startsWith(request)) {
                seen++;
            }
        }
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isEqualTo(137);

        // what the kill left: every STATIC object already gone is in the backup ConfigMap
        List<String> goneStatefulSets = STATIC.stream().filter(s -> k8s.statefulSet(NS, s).isEmpty()).toList();
        List<String> gonePvcs = STATIC.stream().map(s -> "broker-storage-" + s + "-0").filter(c -> k8s.pvc(NS, c).isEmpty()).toList();
        Map<String, String> backup = k8s.configMap(NS, "crosszone-static-backup-broker").map(c -> c.getData()).orElse(Map.of());
        goneStatefulSets.forEach(s -> assertThat(backup).containsKey("StatefulSet." + s + ".json"));
        gonePvcs.forEach(c -> assertThat(backup).containsKey("PersistentVolumeClaim." + c + ".json"));
        System.out.printf("[sigkill] at %s #%d: %d STATIC StatefulSets and %d PVCs were gone, all backed up%n",
                request, nth, goneStatefulSets.size(), gonePvcs.size());

        // a plain re-run (the same command) finishes: STATIC gone, CONTROLLER mode running, backup whole
        Cli.Result again = Cli.run(server, "switch-to-controller-mode", "--zones", "az1,az2", "--delete-static-data",
                "--poll-interval", "50ms", "--timeout", "60s", "--report-dir", reportDir.resolve("again").toString());
        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(k8s.brokerCr(NS, "broker").orElseThrow().clusterMode()).isEqualTo("CONTROLLER");
        assertThat(k8s.statefulSetsSelecting(NS, OperatorNames.brokerLabels("broker"))).extracting(s -> s.getMetadata().getName())
                .containsExactlyInAnyOrder("broker-0-0", "broker-0-1", "broker-1-0", "broker-1-1", "broker-2-0", "broker-2-1");
        for (String s : STATIC) {
            assertThat(k8s.pvc(NS, "broker-storage-" + s + "-0")).isEmpty();
        }
        assertThat(k8s.configMap(NS, "crosszone-static-backup-broker").orElseThrow().getData())
                .hasSize(1 + 6 + 6 + 6).containsKeys("StatefulSet.broker-0-master.json",
                        "PersistentVolumeClaim.broker-storage-broker-2-replica-1-0.json");
    }

    private Process startChild(Path dir) throws Exception {
        Files.createDirectories(dir);
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, String.join("\n", "apiVersion: v1", "kind: Config",
                "clusters:", "- name: mock", "  cluster:", "    server: " + client.getMasterUrl(),
                "contexts:", "- name: mock", "  context:", "    cluster: mock", "    namespace: " + NS, "    user: mock",
                "current-context: mock", "users:", "- name: mock", "  user: {}", ""));
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                CrosszoneWithoutRocketMq.class.getName(), "switch-to-controller-mode", "--kubeconfig", kubeconfig.toString(),
                "--zones", "az1,az2", "--delete-static-data", "--poll-interval", "50ms", "--timeout", "60s",
                "--report-dir", dir.toString());
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    }

    private String log() {
        try {
            return Files.readString(reportDir.resolve("first/child.log"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private void drain() throws InterruptedException {
        while (server.takeRequest(1, TimeUnit.MILLISECONDS) != null) {
            // the fixture's own requests
        }
    }
}
