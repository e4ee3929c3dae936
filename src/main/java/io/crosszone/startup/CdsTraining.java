package io.crosszone.startup;

import io.crosszone.cli.Crosszone;
import io.crosszone.k8s.KubernetesClients;
import io.crosszone.lab.StaticDeploymentFixture;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;

/**
 * The training run of the class-data-sharing archive (image/make-cds.sh, at package time): runs the
 * tasks a pipeline step runs, in one JVM, so that the classes they load are listed
 * (-XX:DumpLoadedClassList) and archived. The cluster tasks run through the CLI against the mock
 * Kubernetes API holding the runbook's STATIC deployment, with the pods' IPs on a loopback address
 * where no RocketMQ listens: the admin client is built and connects, and fails fast.
 * Not a test and not a task: it asserts nothing, only exercises the same code paths.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("crosszone-cds");
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        try (KubernetesClient client = server.createClient()) {
            StaticDeploymentFixture.runbook().podIps(i -> "127.0.0.1").apply(client);
            Path kubeconfig = dir.resolve("kubeconfig");
            Files.writeString(kubeconfig, kubeconfig(client.getMasterUrl().toString()));
            Path config = dir.resolve("crosszone.yaml");
            Files.writeString(config, CONFIG);
            String[] cluster = {"--config", config.toString(), "--kubeconfig", kubeconfig.toString()};
            run("--help");
            run("verify-distribution", "--help");
            run("plan", "--broker-cr", "broker", "--groups", "3", "--replicas-per-group", "2", "--zones", "az1,az2");
            run("plan", "--config", config.toString(), "-o", "json");
            run(concat(new String[] {"label-zones", "--dry-run"}, cluster));
            run(concat(new String[] {"label-zones", "--dry-run", "-o", "json"}, cluster));
            run(concat(new String[] {"verify-distribution", "--converge-timeout", "0s"}, cluster));
            run(concat(new String[] {"verify-distribution", "--converge-timeout", "0s", "-o", "json"}, cluster));
        } finally {
            server.destroy();
        }
        System.exit(0);
    }

    private static void run(String... args) {
        StringWriter sink = new StringWriter();
        var cl = Crosszone.commandLine(KubernetesClients.DEFAULT);
        cl.setOut(new PrintWriter(sink));
        cl.setErr(new PrintWriter(sink));
        int code = cl.execute(args);
        System.err.println("cds training: crosszone " + String.join(" ", args) + " -> exit " + code);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The fixture's deployment (runbook(): 3 nodes per zone, 3 groups). */
    private static final String CONFIG = String.join("\n", "namespace: rocketmq", "zoneLabelKey: az", "zones:",
            "  - name: az1", "    nodes: [k8s-node-01, k8s-node-02, k8s-node-03]",
            "  - name: az2", "    nodes: [k8s-node-04, k8s-node-05, k8s-node-06]",
            "brokers:", "  groups: 3", "  replicasPerGroup: 2", "controller:", "  zone: az2", "");

    private static String kubeconfig(String url) {
        return String.join("\n", "apiVersion: v1", "kind: Config", "clusters:", "- name: training",
                "  cluster: {server: \"" + url + "\"}", "contexts:", "- name: training",
                "  context: {cluster: training, user: training, namespace: rocketmq}", "current-context: training",
                "users:", "- name: training", "  user: {token: training}", "");
    }
}
