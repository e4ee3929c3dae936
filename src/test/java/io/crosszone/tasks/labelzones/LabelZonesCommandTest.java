package io.crosszone.tasks.labelzones;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosszone.core.Json;
import io.crosszone.lab.StaticDeploymentFixture;
import io.crosszone.support.ApiRequests;
import io.crosszone.support.Cli;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class LabelZonesCommandTest {
    KubernetesMockServer server;
    KubernetesClient client;

    private static final String[] RUNBOOK = {"label-zones", "--zones", "az1,az2",
            "--zone-nodes", "az1=k8s-node-01,k8s-node-02,k8s-node-03",
            "--zone-nodes", "az2=k8s-node-04,k8s-node-05,k8s-node-06"};

    private static String[] args(String[] base, String... more) {
        String[] out = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, out, base.length, more.length);
        return out;
    }

    private Map<String, String> zoneLabels() {
        return client.nodes().list().getItems().stream().filter(n -> n.getMetadata().getLabels().containsKey("az"))
                .collect(Collectors.toMap(n -> n.getMetadata().getName(), n -> n.getMetadata().getLabels().get("az")));
    }

    @Test
    void labelsTheRunbookNodes_thenASecondRunWritesNothing() throws Exception {
        StaticDeploymentFixture.runbook().apply(client);
        ApiRequests.drain(server);

        Cli.Result first = Cli.run(server, args(RUNBOOK, "-o", "json"));
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(ApiRequests.writes(server)).hasSize(6).allMatch(w -> w.startsWith("PATCH /api/v1/nodes/k8s-node-0"));
        assertThat(zoneLabels()).containsEntry("k8s-node-01", "az1").containsEntry("k8s-node-03", "az1")
                .containsEntry("k8s-node-04", "az2").containsEntry("k8s-node-06", "az2").hasSize(6);
        JsonNode doc = Json.MAPPER.readTree(first.out());
        assertThat(doc.get("verdict").asText()).isEqualTo("passed");
        assertThat(doc.get("changes")).hasSize(6);
        assertThat(doc.get("nodes").get(0).get("changed").asBoolean()).isTrue();
        assertThat(doc.get("neededPerZone").get("az1").asInt()).isEqualTo(3);
        // other labels were kept by the merge patch
        Node n1 = client.nodes().withName("k8s-node-01").get();
        assertThat(n1.getMetadata().getLabels()).containsEntry("kubernetes.io/hostname", "k8s-node-01");

        Cli.Result second = Cli.run(server, RUNBOOK);
        assertThat(second.exitCode()).isZero();
        assertThat(ApiRequests.writes(server)).isEmpty();
        assertThat(second.out()).contains("nothing to change");
    }

    @Test
    void dryRunListsTheChangesAndWritesNothing() throws Exception {
        StaticDeploymentFixture.runbook().apply(client);
        ApiRequests.drain(server);
        Cli.Result r = Cli.run(server, args(RUNBOOK, "--dry-run", "-o", "json"));
        assertThat(r.exitCode()).isZero();
        assertThat(ApiRequests.writes(server)).isEmpty();
        JsonNode doc = Json.MAPPER.readTree(r.out());
        assertThat(doc.get("dryRun").asBoolean()).isTrue();
        assertThat(doc.get("changes")).hasSize(6);
        assertThat(doc.get("changes").get(0).get("detail").asText()).isEqualTo("az=az1");
        assertThat(zoneLabels()).isEmpty();
    }

    @Test
    void zonesFromAnExistingTopologyLabel() {
        StaticDeploymentFixture.runbook().topologyZoneLabel("topology.kubernetes.io/zone").apply(client);
        Cli.Result r = Cli.run(server, "label-zones", "--zones", "az1,az2",
                "--zone-selector", "az1=topology.kubernetes.io/zone=az1",
                "--zone-selector", "az2=topology.kubernetes.io/zone=az2");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(zoneLabels()).containsEntry("k8s-node-02", "az1").containsEntry("k8s-node-05", "az2").hasSize(6);
    }

    @Test
    void anUnknownNodeIsBadInputAndNothingIsWritten() {
        StaticDeploymentFixture.runbook().apply(client);
        ApiRequests.drain(server);
        Cli.Result r = Cli.run(server, "label-zones", "--zones", "az1,az2",
                "--zone-nodes", "az1=k8s-node-01,k8s-node-02,k8s-node-03",
                "--zone-nodes", "az2=k8s-node-04,k8s-node-05,k8s-node-66");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("node 'k8s-node-66' of zone 'az2' does not exist in the cluster")
                .contains("nothing was changed");
        assertThat(r.err().lines().count()).isEqualTo(1);
        assertThat(ApiRequests.writes(server)).isEmpty();
    }

    @Test
    void aNodeInTwoZonesIsBadInputAndNothingIsWritten() {
        StaticDeploymentFixture.runbook().apply(client);
        ApiRequests.drain(server);
        Cli.Result r = Cli.run(server, "label-zones", "--zones", "az1,az2",
                "--zone-nodes", "az1=k8s-node-01,k8s-node-02,k8s-node-03",
                "--zone-nodes", "az2=k8s-node-03,k8s-node-04,k8s-node-05");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("node 'k8s-node-03' is in two zones, 'az1' and 'az2'");
        assertThat(ApiRequests.writes(server)).isEmpty();
    }

    @Test
    void tooFewNodesPerZoneIsBadInputAndNothingIsWritten() {
        // the Broker CR has 3 groups x 2 brokers: each zone needs 3 nodes under strict separation
        StaticDeploymentFixture.runbook().zones(List.of("az1", "az2"), 2).apply(client);
        ApiRequests.drain(server);
        Cli.Result r = Cli.run(server, "label-zones", "--zones", "az1,az2",
                "--zone-nodes", "az1=k8s-node-01,k8s-node-02", "--zone-nodes", "az2=k8s-node-03,k8s-node-04");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("zone 'az1' has 2 schedulable node(s) but 3 broker StatefulSets are planned into it")
                .contains("Broker CR rocketmq/broker");
        assertThat(ApiRequests.writes(server)).isEmpty();
    }

    @Test
    void aNodeOfAnotherZoneNeedsOverwrite() {
        StaticDeploymentFixture.runbook().apply(client);
        client.nodes().withName("k8s-node-04").edit(n -> {
            n.getMetadata().getLabels().put("az", "az1");
            return n;
        });
        ApiRequests.drain(server);
        Cli.Result refused = Cli.run(server, RUNBOOK);
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("'k8s-node-04' is already labelled az=az1, not az2: pass --overwrite");
        assertThat(ApiRequests.writes(server)).isEmpty();

        Cli.Result r = Cli.run(server, args(RUNBOOK, "--overwrite"));
        assertThat(r.exitCode()).isZero();
        assertThat(zoneLabels()).containsEntry("k8s-node-04", "az2");
        assertThat(r.out().lines().filter(l -> l.startsWith("k8s-node-04"))).singleElement()
                .asString().contains("az2").endsWith("labelled");
    }
}
