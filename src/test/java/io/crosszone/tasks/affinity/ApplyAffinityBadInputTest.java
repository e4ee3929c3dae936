package io.crosszone.tasks.affinity;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.lab.StaticDeploymentFixture;
import io.crosszone.support.ApiRequests;
import io.crosszone.support.Cli;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad input: one clear line, exit 2, and not a single write to the API. */
@EnableKubernetesMockClient(crud = true)
class ApplyAffinityBadInputTest {
    KubernetesMockServer server;
    KubernetesClient client;

    @BeforeEach
    void staticDeployment() {
        StaticDeploymentFixture.runbook().topologyZoneLabel("az").apply(client);
        ApiRequests.drain(server);
    }

    private void assertBadInput(String message, String... args) {
        Cli.Result r = Cli.run(server, args);
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains(message);
        assertThat(r.err().lines().filter(l -> l.contains("error:")).count()).isEqualTo(1);
        assertThat(ApiRequests.writes(server)).isEmpty();
    }

    @Test
    void aStaticDeploymentIsSentToSwitchToControllerModeFirst() {
        assertBadInput("is in STATIC mode", "apply-affinity", "--zones", "az1,az2");
        assertBadInput("run switch-to-controller-mode first", "apply-affinity", "--zones", "az1,az2", "--dry-run");
    }

    @Test
    void wrongNamesFlagsAndZonesAreRejectedBeforeAnyWrite() {
        assertBadInput("namespace 'nowhere' does not exist", "apply-affinity", "--zones", "az1,az2", "-n", "nowhere");
        assertBadInput("Broker CR 'brokers' not found in namespace 'rocketmq'", "apply-affinity", "--zones", "az1,az2",
                "--broker-cr", "brokers");
        assertBadInput("--settle 'soon' is not a duration", "apply-affinity", "--zones", "az1,az2", "--settle", "soon");
        assertBadInput("--poll-interval 'x' is not a duration", "apply-affinity", "--zones", "az1,az2", "--poll-interval", "x");
        assertBadInput("needs at least two zones", "apply-affinity", "--zones", "az1");
    }
}
