package io.crosszone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosszone.k8s.KubernetesClients;
import io.crosszone.lab.StaticDeploymentFixture;
import io.crosszone.core.ExitCodes;
import io.crosszone.core.Json;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A named context, namespace, CR, zone or node that is not there stops the task before it reads
 * or writes anything else (exit 2, one line naming it); the kubeconfig is real (a file with a
 * second, unreachable "prod" context as the current one) and so is the HTTP to the mock API.
 */
@EnableKubernetesMockClient(crud = true)
class WrongClusterTest {
    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path dir;
    Path kubeconfig;

    @BeforeEach
    void cluster() throws Exception {
        StaticDeploymentFixture.runbook().apply(client);
        kubeconfig = Kubeconfigs.write(dir, server);
        ApiRequests.drain(server);
    }

    private Cli.Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--zone-nodes", "az1=k8s-node-01,k8s-node-02,k8s-node-03"));
        if (!String.join(" ", args).contains("az2=")) {
            all.addAll(List.of("--zone-nodes", "az2=k8s-node-04,k8s-node-05,k8s-node-06"));
        }
        if (!all.contains("--kubeconfig")) {
            all.addAll(List.of("--kubeconfig", kubeconfig.toString()));
        }
        return Cli.run(KubernetesClients.DEFAULT, all.toArray(String[]::new));
    }

    private static void badInputNaming(Cli.Result r, String name) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
        List<String> errors = r.err().lines().filter(l -> l.contains("error:")).toList();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0)).contains(name);
        assertThat(r.err()).doesNotContain("\tat ");
    }

    @Test
    void anUnknownContextStopsEveryTaskBeforeAnyRequest() {
        for (String task : List.of("label-zones", "switch-to-controller-mode", "apply-affinity", "verify-distribution")) {
            Cli.Result r = run(task, "--zones", "az1,az2", "--context", "nope");
            badInputNaming(r, "context 'nope'");
            assertThat(r.err()).contains("lab, prod");
        }
        Cli.Result drill = run("failover-drill", "--zones", "az1,az2", "--zone", "az1", "--context", "nope");
        badInputNaming(drill, "context 'nope'");
        assertThat(ApiRequests.drain(server)).isEmpty();
    }

    @Test
    void theNamedContextIsTheOneUsed_andTheRunSaysWhichClusterItActedOn() throws Exception {
        Cli.Result r = run("verify-distribution", "--zones", "az1,az2", "--context", "lab", "--converge-timeout", "0s",
                "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isIn(0, 1);
        Cli.Result text = run("verify-distribution", "--zones", "az1,az2", "--context", "lab", "--converge-timeout", "0s");
        assertThat(text.out()).contains("cluster: " + Kubeconfigs.labUrl(server) + " (context lab, cluster lab-cluster,"
                + " namespace rocketmq)");
        JsonNode cluster = Json.MAPPER.readTree(r.out()).get("cluster");
        assertThat(cluster.get("server").asText()).isEqualTo(Kubeconfigs.labUrl(server));
        assertThat(cluster.get("context").asText()).isEqualTo("lab");
        assertThat(cluster.get("namespace").asText()).isEqualTo("rocketmq");
    }

    @Test
    void aMissingOrUnreadableKubeconfigIsBadInput() throws Exception {
        badInputNaming(run("verify-distribution", "--zones", "az1,az2", "--kubeconfig", dir.resolve("absent").toString()),
                "absent");
        Path notYaml = Files.writeString(dir.resolve("garbage"), "clusters: [ {{{ not yaml");
        badInputNaming(run("label-zones", "--zones", "az1,az2", "--kubeconfig", notYaml.toString(), "--context", "lab"),
                "garbage");
        badInputNaming(run("label-zones", "--zones", "az1,az2", "--kubeconfig", dir.toString()), dir.toString());
        assertThat(ApiRequests.drain(server)).isEmpty();
    }

    @Test
    void aNamespaceCrZoneOrNodeThatIsNotThereStopsTheTaskWithoutWriting() {
        badInputNaming(run("apply-affinity", "--zones", "az1,az2", "--context", "lab", "-n", "rocketmq-typo"),
                "namespace 'rocketmq-typo'");
        badInputNaming(run("switch-to-controller-mode", "--zones", "az1,az2", "--context", "lab", "--broker-cr", "brokr"),
                "Broker CR 'brokr'");
        badInputNaming(run("label-zones", "--zones", "az1,az2", "--context", "lab",
                "--zone-nodes", "az2=k8s-node-04,k8s-node-99"), "k8s-node-99");
        badInputNaming(run("apply-affinity", "--zones", "az1,az2", "--context", "lab",
                "--zone-selector", "az2=topology.kubernetes.io/zone=nowhere"), "nowhere");
        badInputNaming(run("failover-drill", "--zones", "az1,az2", "--context", "lab", "--zone", "az3"), "--zone 'az3'");
        badInputNaming(run("apply-affinity", "--zones", "az1,az2", "--context", "lab", "--controller-zone", "az3"), "az3");
        assertThat(ApiRequests.writes(server)).isEmpty();
    }

    /**
     * In a pod there is no context and every API server is kubernetes.default.svc: the kube-system
     * namespace's UID is what tells one cluster from another. The right UID runs the task and is
     * recorded; another stops a mutating task before it writes; with no kube-system to read, the
     * task refuses rather than guesses.
     */
    @Test
    void theKubeSystemUidPinsTheCluster_whereContextAndUrlSayNothing() throws Exception {
        String uid = client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata().withName("kube-system").withUid("5f1c2d3e-0000-4000-8000-00000000cafe").endMetadata().build())
                .create().getMetadata().getUid();
        assertThat(uid).isNotBlank();
        ApiRequests.drain(server);

        Cli.Result other = run("apply-affinity", "--zones", "az1,az2", "--context", "lab", "--expect-cluster",
                "uid:00000000-0000-4000-8000-000000000000");
        badInputNaming(other, "--expect-cluster uid:00000000-0000-4000-8000-000000000000");
        assertThat(other.err()).contains("kube-system uid " + uid);
        assertThat(ApiRequests.writes(server)).isEmpty();

        Cli.Result right = run("verify-distribution", "--zones", "az1,az2", "--context", "lab", "--converge-timeout", "0s",
                "--expect-cluster", "uid:" + uid.toUpperCase(java.util.Locale.ROOT), "-o", "json");
        assertThat(right.exitCode()).as(right.err()).isIn(0, 1);
        assertThat(Json.MAPPER.readTree(right.out()).get("cluster").get("uid").asText()).isEqualTo(uid);

        client.namespaces().withName("kube-system").delete();
        ApiRequests.drain(server);
        Cli.Result unreadable = run("label-zones", "--zones", "az1,az2", "--context", "lab", "--expect-cluster", "uid:" + uid);
        badInputNaming(unreadable, "kube-system namespace");
        assertThat(ApiRequests.writes(server)).isEmpty();
    }
}
