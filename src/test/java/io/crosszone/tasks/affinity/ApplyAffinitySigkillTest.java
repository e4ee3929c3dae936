package io.crosszone.tasks.affinity;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.core.Json;
import io.crosszone.lab.StaticDeploymentFixture;
import io.crosszone.lab.operator.OperatorDouble;
import io.crosszone.lab.scheduler.SchedulerDouble;
import io.crosszone.support.Cli;
import io.crosszone.support.SigkillAt;
import io.crosszone.support.CrosszoneWithoutRocketMq;
import io.crosszone.support.KubeletStandIn;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * apply-affinity --no-restart (the part that runs without RocketMQ) as a black box in its own JVM
 * against the mock API with the operator, scheduler and kubelet doubles, SIGKILLed once the API
 * server has seen the N-th StatefulSet patch; a plain re-run must leave the StatefulSets and the
 * Broker CR exactly as an uninterrupted run on a second copy of the same deployment does.
 */
@Tag("process") // starts processes (RocketMQ JVMs, a lab, podman): not in the fast run (README)
@EnableKubernetesMockClient(crud = true, https = false)
class ApplyAffinitySigkillTest {
    private static final String NS = "rocketmq";
    private static final List<String> ARGS = List.of("apply-affinity", "--zones", "az1,az2", "--no-restart",
            "--poll-interval", "50ms", "--settle", "1s", "--timeout", "30s");

    KubernetesMockServer server;
    KubernetesClient client;
    @TempDir
    Path dir;

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

    @ParameterizedTest(name = "killed at StatefulSet patch #{0}")
    @ValueSource(ints = {1, 4})
    void aReRunAfterASigkillEndsAsAnUninterruptedRun(int nth) throws Exception {
        controllerMode(server, client, dir.resolve("setup"));
        while (server.takeRequest(1, TimeUnit.MILLISECONDS) != null) {
            // the set-up's own requests
        }

        Map<String, String> before = state(client);
        child = startChild();
        SigkillAt.nthRequest(server, child, nth, "PATCH", "/apis/apps/v1/namespaces/rocketmq/statefulsets/", this::log);
        assertThat(child.exitValue()).as(log()).isIn(137, 0);
        System.out.printf("[sigkill] apply-affinity --no-restart at StatefulSet patch #%d: exit %d%n", nth, child.exitValue());

        Cli.Result again = Cli.run(server, ARGS.toArray(String[]::new));
        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();

        Map<String, String> after = state(client);
        assertThat(after).as("apply-affinity changed something").isNotEqualTo(before);
        assertThat(after).isEqualTo(uninterruptedRun());
    }

    private Map<String, String> uninterruptedRun() throws Exception {
        KubernetesMockServer reference = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        reference.init(InetAddress.getByName("127.0.0.1"), 0);
        try (KubernetesClient c = reference.createClient()) {
            controllerMode(reference, c, dir.resolve("reference"));
            Cli.Result r = Cli.run(reference, ARGS.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.err()).isZero();
            return state(c);
        } finally {
            reference.destroy();
        }
    }

    /** The runbook's deployment switched to CONTROLLER mode, the doubles running (as ApplyAffinityTest sets it up). */
    private void controllerMode(KubernetesMockServer s, KubernetesClient c, Path reports) {
        StaticDeploymentFixture.runbook().zones(List.of("az1", "az2"), 4).topologyZoneLabel("az").apply(c);
        running.add(OperatorDouble.builder(c, NS).resync(Duration.ofMillis(200)).start());
        running.add(new SchedulerDouble(c, NS, 50, line -> { }));
        running.add(KubeletStandIn.startForScheduledPods(c, NS));
        Cli.Result r = Cli.run(s, "switch-to-controller-mode", "--zones", "az1,az2", "--poll-interval", "50ms",
                "--timeout", "180s", "--delete-static-data", "--report-dir", reports.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
    }

    /** What apply-affinity may write: each StatefulSet's annotations and pod template, and the CRs' specs. */
    private static Map<String, String> state(KubernetesClient c) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (StatefulSet s : c.apps().statefulSets().inNamespace(NS).list().getItems()) {
            out.put("StatefulSet " + s.getMetadata().getName() + " annotations",
                    Json.MAPPER.writeValueAsString(new TreeMap<>(s.getMetadata().getAnnotations() == null ? Map.of()
                            : s.getMetadata().getAnnotations())));
            out.put("StatefulSet " + s.getMetadata().getName() + " template",
                    Json.MAPPER.writeValueAsString(s.getSpec().getTemplate().getSpec()));
        }
        for (GenericKubernetesResource cr : c.genericKubernetesResources("rocketmq.apache.org/v1alpha1", "Broker")
                .inNamespace(NS).list().getItems()) {
            out.put("Broker " + cr.getMetadata().getName(), Json.MAPPER.writeValueAsString(cr.getAdditionalProperties().get("spec")));
        }
        return out;
    }

    private Process startChild() throws Exception {
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, String.join("\n", "apiVersion: v1", "kind: Config",
                "clusters:", "- name: mock", "  cluster:", "    server: " + client.getMasterUrl(),
                "contexts:", "- name: mock", "  context:", "    cluster: mock", "    namespace: " + NS, "    user: mock",
                "current-context: mock", "users:", "- name: mock", "  user: {}", ""));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                CrosszoneWithoutRocketMq.class.getName()));
        cmd.addAll(ARGS);
        cmd.addAll(List.of("--kubeconfig", kubeconfig.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("child.log"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
