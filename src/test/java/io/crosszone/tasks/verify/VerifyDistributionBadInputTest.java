package io.crosszone.tasks.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.lab.StaticDeploymentFixture;
import io.crosszone.support.ApiRequests;
import io.crosszone.support.Cli;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad input to verify-distribution: one clear line, exit 2, no API request at all (it is checked before anything is read). */
@EnableKubernetesMockClient(crud = true)
class VerifyDistributionBadInputTest {
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
    void aConvergeTimeoutThatIsNoDurationOrNegativeIsRejected() {
        assertBadInput("--converge-timeout 'soon' is not a duration", "verify-distribution", "--zones", "az1,az2",
                "--converge-timeout", "soon");
        assertBadInput("--converge-timeout must not be negative, got PT-5S", "verify-distribution", "--zones", "az1,az2",
                "--converge-timeout", "PT-5S");
    }
}
