package io.crosszone.cli;

import io.crosszone.core.ExitCodes;
import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.k8s.KubernetesClients;
import io.crosszone.lab.StaticDeploymentFixture;
import io.crosszone.support.ApiRequests;
import io.crosszone.support.Cli;
import io.crosszone.support.Kubeconfigs;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kubernetes API faults, injected as mock-server expectations (served before its CRUD store): a
 * 409 on a write is made again, a 429 or 5xx is retried with bounded backoff, an API server that
 * keeps failing or cannot be reached ends the task with exit 3 naming it. The task is label-zones,
 * through the real client a kubeconfig gives (the retry lives in the client and the gateway).
 */
@EnableKubernetesMockClient(crud = true)
class ApiFaultsTest {
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

    private Cli.Result labelZones(String context) {
        return Cli.run(KubernetesClients.DEFAULT, "label-zones", "--kubeconfig", kubeconfig.toString(), "--context", context,
                "--zones", "az1,az2", "--zone-nodes", "az1=k8s-node-01,k8s-node-02,k8s-node-03",
                "--zone-nodes", "az2=k8s-node-04,k8s-node-05,k8s-node-06");
    }

    private static Status status(int code, String reason) {
        return new StatusBuilder().withApiVersion("v1").withKind("Status").withStatus("Failure").withCode(code)
                .withReason(reason).withMessage("injected " + code).build();
    }

    private String zoneOf(String node) {
        return client.nodes().withName(node).get().getMetadata().getLabels().get("az");
    }

    private List<String> requests(String method, String path) {
        List<String> out = new ArrayList<>();
        for (RecordedRequest r : ApiRequests.drain(server)) {
            if (r.getMethod().equals(method) && r.getPath().startsWith(path)) {
                out.add(r.getMethod() + " " + r.getPath());
            }
        }
        return out;
    }

    @Test
    void aConflictOnAWriteIsWrittenAgain() {
        server.expect().patch().withPath("/api/v1/nodes/k8s-node-02").andReturn(409, status(409, "Conflict")).times(2);
        Cli.Result r = labelZones("lab");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(zoneOf("k8s-node-02")).isEqualTo("az1");
        assertThat(requests("PATCH", "/api/v1/nodes/k8s-node-02")).hasSize(3);
    }

    @Test
    void tooManyRequestsAndServerErrorsAreRetried() {
        server.expect().get().withPath("/api/v1/nodes").andReturn(429, status(429, "TooManyRequests")).once();
        server.expect().get().withPath("/api/v1/nodes").andReturn(503, status(503, "ServiceUnavailable")).once();
        server.expect().patch().withPath("/api/v1/nodes/k8s-node-05").andReturn(500, status(500, "InternalError")).times(2);
        Cli.Result r = labelZones("lab");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(zoneOf("k8s-node-05")).isEqualTo("az2");
        assertThat(requests("PATCH", "/api/v1/nodes/k8s-node-05")).hasSize(3);
    }

    @Test
    void anApiServerThatKeepsFailingEndsTheTaskWithExit3NamingIt() {
        server.expect().get().withPath("/api/v1/nodes").andReturn(503, status(503, "ServiceUnavailable")).always();
        Cli.Result r = labelZones("lab");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.RUNTIME_FAILURE);
        assertThat(r.err().lines().filter(l -> l.contains("error:")).toList()).singleElement()
                .asString().contains(Kubeconfigs.labUrl(server));
        long tries = ApiRequests.drain(server).stream().filter(q -> q.getPath().equals("/api/v1/nodes")).count();
        assertThat(tries).as("the first try and the bounded retries").isEqualTo(1 + KubernetesClients.RETRIES);
        assertThat(ApiRequests.writes(server)).isEmpty();
    }

    @Test
    void anApiServerThatCannotBeReachedEndsTheTaskWithExit3NamingIt() {
        Cli.Result r = labelZones("prod"); // https://127.0.0.1:1: nothing listens
        assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.RUNTIME_FAILURE);
        assertThat(r.err()).contains("https://127.0.0.1:1").doesNotContain("\tat ");
        assertThat(r.err().lines().count()).isEqualTo(1);
    }
}
