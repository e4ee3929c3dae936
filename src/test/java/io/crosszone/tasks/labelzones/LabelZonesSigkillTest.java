package io.crosszone.tasks.labelzones;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.lab.StaticDeploymentFixture;
import io.crosszone.support.Cli;
import io.crosszone.support.SigkillAt;
import io.crosszone.support.CrosszoneWithoutRocketMq;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * label-zones SIGKILLed for real: the CLI in its own JVM against the mock API over HTTP (a
 * kubeconfig), killed once the API server has seen its N-th node patch (where it then stands is up
 * to the race, as with a real kill). A plain re-run must end with the nodes exactly as an
 * uninterrupted run on a second, untouched copy of the cluster leaves them.
 */
@Tag("process") // starts processes (RocketMQ JVMs, a lab, podman): not in the fast run (README)
@EnableKubernetesMockClient(crud = true, https = false)
class LabelZonesSigkillTest {
    private static final String[] RUNBOOK = {"label-zones", "--zones", "az1,az2",
            "--zone-nodes", "az1=k8s-node-01,k8s-node-02,k8s-node-03",
            "--zone-nodes", "az2=k8s-node-04,k8s-node-05,k8s-node-06"};

    KubernetesMockServer server;
    KubernetesClient client;
    @TempDir
    Path dir;

    private Process child;

    @AfterEach
    void stop() throws Exception {
        if (child != null && child.isAlive()) {
            child.destroyForcibly().waitFor();
        }
    }

    @ParameterizedTest(name = "killed at node patch #{0}")
    @ValueSource(ints = {1, 3, 5})
    void aReRunAfterASigkillEndsAsAnUninterruptedRun(int nth) throws Exception {
        StaticDeploymentFixture.runbook().apply(client);
        while (server.takeRequest(1, TimeUnit.MILLISECONDS) != null) {
            // the fixture's own requests
        }

        child = startChild();
        SigkillAt.nthRequest(server, child, nth, "PATCH", "/api/v1/nodes/", this::log);
        // 137 when the kill landed mid-run; 0 only if the child had already finished the last patches
        assertThat(child.exitValue()).as(log()).isIn(137, 0);
        System.out.printf("[sigkill] label-zones at node patch #%d: exit %d, %d of 6 nodes labelled%n",
                nth, child.exitValue(), zoneLabels(client).size());

        Cli.Result again = Cli.run(server, RUNBOOK);
        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();

        assertThat(nodes(client)).isEqualTo(uninterruptedRun());
    }

    /** The nodes after label-zones ran once, uninterrupted, on a fresh copy of the same cluster. */
    private Map<String, Map<String, String>> uninterruptedRun() throws Exception {
        KubernetesMockServer reference = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        reference.init(InetAddress.getByName("127.0.0.1"), 0);
        try (KubernetesClient c = reference.createClient()) {
            StaticDeploymentFixture.runbook().apply(c);
            Cli.Result r = Cli.run(reference, RUNBOOK);
            assertThat(r.exitCode()).as(r.err()).isZero();
            return nodes(c);
        } finally {
            reference.destroy();
        }
    }

    /** Each node's labels, annotations, taints and unschedulable flag: what label-zones could touch. */
    private static Map<String, Map<String, String>> nodes(KubernetesClient c) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        for (Node n : c.nodes().list().getItems()) {
            Map<String, String> seen = new TreeMap<>();
            if (n.getMetadata().getLabels() != null) {
                n.getMetadata().getLabels().forEach((k, v) -> seen.put("label " + k, v));
            }
            if (n.getMetadata().getAnnotations() != null) {
                n.getMetadata().getAnnotations().forEach((k, v) -> seen.put("annotation " + k, v));
            }
            seen.put("spec", String.valueOf(n.getSpec()));
            out.put(n.getMetadata().getName(), seen);
        }
        return out;
    }

    private static Map<String, String> zoneLabels(KubernetesClient c) {
        Map<String, String> out = new TreeMap<>();
        c.nodes().list().getItems().stream().filter(n -> n.getMetadata().getLabels().containsKey("az"))
                .forEach(n -> out.put(n.getMetadata().getName(), n.getMetadata().getLabels().get("az")));
        return out;
    }

    private Process startChild() throws Exception {
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, String.join("\n", "apiVersion: v1", "kind: Config",
                "clusters:", "- name: mock", "  cluster:", "    server: " + client.getMasterUrl(),
                "contexts:", "- name: mock", "  context:", "    cluster: mock", "    user: mock",
                "current-context: mock", "users:", "- name: mock", "  user: {}", ""));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                CrosszoneWithoutRocketMq.class.getName()));
        cmd.addAll(List.of(RUNBOOK));
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
