package io.crosszone.cli;

import io.crosszone.core.ExitCodes;
import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.k8s.KubernetesClients;
import io.crosszone.k8s.RocketMqKind;
import io.crosszone.lab.StaticDeploymentFixture;
import io.crosszone.support.ApiRequests;
import io.crosszone.support.Cli;
import io.crosszone.support.Kubeconfigs;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalogue of bad input: flags, configuration files and cluster state a user can get wrong.
 * Each gives exit 2 (or 1 where the cluster fails a check), at most three lines on stderr with no
 * stack trace, and not one write request on the API server. The cluster is the mock API server
 * (CRUD) holding the runbook's STATIC deployment, reached through a kubeconfig file (context lab).
 */
@EnableKubernetesMockClient(crud = true)
class BadInputCatalogueTest {
    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path dir;

    private static final String NODES_AZ1 = "az1=k8s-node-01,k8s-node-02,k8s-node-03";
    private static final String NODES_AZ2 = "az2=k8s-node-04,k8s-node-05,k8s-node-06";
    private static final String GOOD_YAML = """
            namespace: rocketmq
            zones:
              - name: az1
                nodes: [k8s-node-01, k8s-node-02, k8s-node-03]
              - name: az2
                nodes: [k8s-node-04, k8s-node-05, k8s-node-06]
            """;

    /** One bad input: what is run, the file given as --config (null: none), what the cluster looks like. */
    record Case(String name, List<String> args, String configYaml, Consumer<KubernetesClient> cluster, int exit) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case flags(String name, String... args) {
        return new Case(name, List.of(args), null, c -> { }, ExitCodes.BAD_INPUT);
    }

    private static Case file(String name, String task, String yaml) {
        return new Case(name, List.of(task), yaml, c -> { }, ExitCodes.BAD_INPUT);
    }

    private static Case state(String name, Consumer<KubernetesClient> cluster, int exit, String... args) {
        return new Case(name, List.of(args), null, cluster, exit);
    }

    static Stream<Case> catalogue() {
        return Stream.of(
                // flags
                flags("groups zero", "plan", "--groups", "0", "--replicas-per-group", "2"),
                flags("groups negative", "plan", "--groups", "-1", "--replicas-per-group", "2"),
                flags("replicas zero", "plan", "--groups", "3", "--replicas-per-group", "0"),
                flags("groups not a number", "plan", "--groups", "three"),
                flags("one zone only", "plan", "--groups", "3", "--replicas-per-group", "2", "--zones", "az1"),
                flags("duplicate zone", "label-zones", "--zones", "az1,az1"),
                flags("node in two zones", "label-zones", "--zone-nodes", "az2=k8s-node-01,k8s-node-05"),
                flags("node twice in a zone", "label-zones", "--zone-nodes", "az2=k8s-node-05,k8s-node-05"),
                flags("controller zone not a zone", "apply-affinity", "--controller-zone", "az3"),
                flags("timeout does not parse", "apply-affinity", "--timeout", "10 parsecs"),
                flags("settle does not parse", "apply-affinity", "--settle", "soon"),
                flags("poll interval does not parse", "switch-to-controller-mode", "--poll-interval", "abc"),
                flags("drill without --zone", "failover-drill"),
                flags("drill zone not a zone", "failover-drill", "--zone", "az3"),
                flags("drill mode unknown", "failover-drill", "--zone", "az1", "--mode", "flood"),
                flags("reseed without a known state", "reseed-controller"),
                flags("reseed known state missing", "reseed-controller", "--known-state", "/nonexistent/controller-metadata.json"),
                flags("reseed lost zone not a zone", "reseed-controller", "--known-state", "x.json", "--lost-zone", "az9"),
                flags("reseed realign and unclean", "reseed-controller", "--known-state", "x.json", "--realign", "--allow-unclean"),
                flags("reseed timeout not a duration", "reseed-controller", "--known-state", "x.json", "--timeout", "soon"),
                flags("drill poll too slow", "failover-drill", "--zone", "az1", "--poll-interval", "5s"),
                flags("drill rpo negative", "failover-drill", "--zone", "az1", "--rpo-objective", "-1"),
                flags("drill max duration does not parse", "failover-drill", "--zone", "az1", "--max-duration", "forever"),
                flags("converge timeout negative", "verify-distribution", "--converge-timeout", "-1s"),
                flags("zone separation unknown", "apply-affinity", "--zone-separation", "sometimes"),
                flags("namespace with odd characters", "verify-distribution", "-n", "Rocket_MQ"),
                flags("broker CR with odd characters", "switch-to-controller-mode", "--broker-cr", "broker/../x"),
                flags("zone label key with a space", "label-zones", "--zone-label-key", "bad key"),
                flags("controller size even", "switch-to-controller-mode", "--controller-size", "2"),
                flags("controller storage mode unknown", "switch-to-controller-mode", "--controller-storage-mode", "Cloud"),
                flags("unknown flag", "apply-affinity", "--frobnicate"),
                flags("zone selector without a value", "label-zones", "--zone-selector", "az1=novalue"),
                flags("output format unknown", "verify-distribution", "--output", "yaml"),
                flags("broker property not a number", "switch-to-controller-mode", "--broker-property", "inSyncReplicas=two"),
                flags("unknown context", "verify-distribution", "--context", "nope"),
                flags("kubeconfig missing", "apply-affinity", "--kubeconfig", "/nonexistent/kubeconfig"),
                flags("namespace not there", "switch-to-controller-mode", "-n", "rocketmq-typo"),
                flags("broker CR not there", "apply-affinity", "--broker-cr", "brokr"),
                flags("node not there", "label-zones", "--zone-nodes", "az2=k8s-node-04,k8s-node-99"),
                flags("zone selector selects no node", "apply-affinity", "--zone-selector", "az2=topology.kubernetes.io/zone=nowhere"),
                flags("expect-cluster is another cluster", "label-zones", "--expect-cluster", "prod"),
                flags("expect-cluster is another API server", "failover-drill", "--zone", "az1", "--expect-cluster",
                        "https://prod.example.com:6443"),
                flags("expect-cluster is another cluster (verify)", "verify-distribution", "--fix-topics", "--expect-cluster", "prod"),
                flags("api-timeout not a duration", "verify-distribution", "--api-timeout", "soon"),
                // configuration files
                file("malformed YAML", "verify-distribution", "zones: [ {name: az1\n"),
                file("namespace is a list", "verify-distribution", GOOD_YAML.replace("namespace: rocketmq", "namespace: [a, b]")),
                file("unknown key", "apply-affinity", GOOD_YAML + "zoneLabel: az\n"),
                file("empty file", "apply-affinity", ""),
                file("comments only", "label-zones", "# nothing here\n"),
                file("a list at the top", "label-zones", "- az1\n- az2\n"),
                file("groups a word", "plan", GOOD_YAML + "brokers:\n  groups: three\n  replicasPerGroup: 2\n"),
                file("zones not a list", "label-zones", "zones: az1\n"),
                file("groups zero in the file", "plan", GOOD_YAML + "brokers:\n  groups: 0\n  replicasPerGroup: 2\n"),
                file("controller zone in the file not a zone", "apply-affinity", GOOD_YAML + "controller: {zone: az3}\n"),
                file("nodes a mapping", "label-zones", "zones:\n  - name: az1\n    nodes: {a: b}\n"),
                new Case("config file missing", List.of("apply-affinity", "--config", "/nonexistent/crosszone.yaml"), null,
                        c -> { }, ExitCodes.BAD_INPUT),
                // cluster state
                state("Broker CR deleted", c -> c.genericKubernetesResources(RocketMqKind.BROKER.context())
                        .inNamespace("rocketmq").withName("broker").delete(), ExitCodes.BAD_INPUT, "switch-to-controller-mode"),
                state("namespace deleted", c -> c.namespaces().withName("rocketmq").delete(), ExitCodes.BAD_INPUT,
                        "verify-distribution"),
                state("a STATIC deployment fails verification", c -> { }, ExitCodes.CHECK_FAILED,
                        "verify-distribution", "--converge-timeout", "0s"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void badInputIsOneShortErrorAndNothingIsWritten(Case c) throws Exception {
        StaticDeploymentFixture.runbook().apply(client);
        c.cluster().accept(client);
        Path kubeconfig = Kubeconfigs.write(dir, server);
        List<String> args = new ArrayList<>(c.args());
        if (c.configYaml() != null) {
            args.addAll(List.of("--config", Files.writeString(dir.resolve("crosszone.yaml"), c.configYaml()).toString()));
        } else if (!args.contains("--zones")) {
            args.addAll(List.of("--zones", "az1,az2"));
        }
        if (c.configYaml() == null && !args.contains("--config") && !args.get(0).equals("plan")) {
            addZoneNodes(args);
        }
        if (!args.get(0).equals("plan")) {
            if (!args.contains("--kubeconfig")) {
                args.addAll(List.of("--kubeconfig", kubeconfig.toString()));
            }
            if (!args.contains("--context")) {
                args.addAll(List.of("--context", "lab"));
            }
        }
        ApiRequests.drain(server);

        Cli.Result r = Cli.run(KubernetesClients.DEFAULT, args.toArray(String[]::new));

        assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(c.exit());
        assertThat(r.err().lines().count()).as(r.err()).isBetween(c.exit() == ExitCodes.BAD_INPUT ? 1L : 0L, 3L);
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("java.lang");
        assertThat(ApiRequests.writes(server)).as("writes").isEmpty();
    }

    private static void addZoneNodes(List<String> args) {
        String joined = String.join(" ", args);
        Map<String, String> defaults = Map.of("az1=", NODES_AZ1, "az2=", NODES_AZ2);
        for (Map.Entry<String, String> d : defaults.entrySet()) {
            if (!joined.contains("--zone-nodes " + d.getKey()) && !joined.contains("--zone-selector " + d.getKey())) {
                args.addAll(List.of("--zone-nodes", d.getValue()));
            }
        }
    }
}
