package io.crosszone.tasks.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.lab.StaticDeploymentFixture;
import io.crosszone.support.ApiRequests;
import io.crosszone.support.Cli;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The drill's command line against the mock API alone: bad input, Chaos Mesh absent, dry runs. */
@EnableKubernetesMockClient(crud = true)
class FailoverDrillCommandTest {
    KubernetesMockServer server;
    KubernetesClient client;

    @BeforeEach
    void deployment() {
        StaticDeploymentFixture.runbook().topologyZoneLabel("az").apply(client);
        ApiRequests.drain(server);
    }

    @Test
    void chaosMeshWithoutChaosMeshIsBadInputAndTouchesNothing() {
        Cli.Result r = Cli.run(server, "failover-drill", "--zones", "az1,az2", "--zone", "az1", "--mode", "chaos-mesh");
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains("Chaos Mesh is not installed", "--mode partition");
        assertThat(ApiRequests.writes(server)).isEmpty();
    }

    @Test
    void chaosMeshDryRunShowsTheNetworkChaosItWouldCreate() {
        Cli.Result r = Cli.run(server, "failover-drill", "--zones", "az1,az2", "--zone", "az1", "--mode", "chaos-mesh",
                "--dry-run", "--max-duration", "10m");
        assertThat(r.out()).contains("NetworkChaos crosszone-drill-az1-az2", "\"action\" : \"partition\"",
                "\"nodeSelectors\" : { \"az\" : \"az1\" }", "\"nodeSelectors\" : { \"az\" : \"az2\" }", "\"duration\" : \"660s\"",
                "cordon Node k8s-node-01", "Chaos Mesh is not installed: a real run stops with exit 2");
        assertThat(ApiRequests.writes(server)).isEmpty();
    }

    @Test
    void killDryRunListsWhatItWouldChangeAndWritesNothing() {
        Cli.Result r = Cli.run(server, "failover-drill", "--zones", "az1,az2", "--zone", "az2", "--dry-run");
        assertThat(r.out()).contains("cordon Node k8s-node-04", "cordon Node k8s-node-05", "cordon Node k8s-node-06",
                "Drill of zone az2 (kill)");
        // the STATIC fixture has no CONTROLLER-mode brokers: the preflight says the drill would be refused
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("The drill would be refused", "broker pod broker-0-0-0 does not exist");
        assertThat(ApiRequests.writes(server)).isEmpty();
    }

    @Test
    void aDryRunSaysWhatBecomesOfAControllerWhoseVolumeCannotLeaveTheZone() {
        // the controller in az2 on a claim bound to a volume only az2's nodes can attach (a zonal disk)
        client.persistentVolumes().resource(new io.fabric8.kubernetes.api.model.PersistentVolumeBuilder().withNewMetadata()
                .withName("pvc-controller").endMetadata().withNewSpec().withNewNodeAffinity().withNewRequired()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("az").withOperator("In").withValues("az2")
                .endMatchExpression().endNodeSelectorTerm().endRequired().endNodeAffinity().endSpec().build()).create();
        client.persistentVolumeClaims().inNamespace("rocketmq").resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("controller-storage-controller-0").endMetadata().withNewSpec()
                .withAccessModes("ReadWriteOnce").withVolumeName("pvc-controller").endSpec().build()).create();
        client.pods().inNamespace("rocketmq").resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName("controller-0").withLabels(io.crosszone.plan.OperatorNames.controllerLabels("controller")).endMetadata()
                .withNewSpec().withNodeName("k8s-node-05").addNewVolume().withName("controller-storage")
                .withNewPersistentVolumeClaim().withClaimName("controller-storage-controller-0").endPersistentVolumeClaim()
                .endVolume().endSpec().build()).create();
        ApiRequests.drain(server);

        Cli.Result without = Cli.run(server, "failover-drill", "--zones", "az1,az2", "--zone", "az2", "--dry-run");
        assertThat(without.out()).as(without.err()).contains("the controller runs in the zone",
                "its claim [controller-storage-controller-0] cannot leave az2: the moved controller stays Pending");
        Cli.Result with = Cli.run(server, "failover-drill", "--zones", "az1,az2", "--zone", "az2", "--dry-run",
                "--replace-controller-volume");
        assertThat(with.out()).contains("it is replaced (--replace-controller-volume)", "controller-metadata-before-cut-az2.json");
        // a drill of the other zone leaves the controller alone
        assertThat(Cli.run(server, "failover-drill", "--zones", "az1,az2", "--zone", "az1", "--dry-run").out())
                .doesNotContain("controller-storage-controller-0");
        assertThat(ApiRequests.writes(server)).isEmpty();
    }

    @Test
    void badFlagsAreExitTwoWithOneLine() {
        assertThat(Cli.run(server, "failover-drill", "--zones", "az1,az2").err()).contains("--zone is required");
        assertThat(Cli.run(server, "failover-drill", "--zones", "az1,az2", "--zone", "az3").err())
                .contains("--zone 'az3' is not one of the configured zones [az1, az2]");
        assertThat(Cli.run(server, "failover-drill", "--zones", "az1,az2", "--zone", "az1", "--mode", "flood").exitCode())
                .isEqualTo(2);
        Cli.Result slow = Cli.run(server, "failover-drill", "--zones", "az1,az2", "--zone", "az1", "--poll-interval", "1s");
        assertThat(slow.exitCode()).isEqualTo(2);
        assertThat(slow.err()).contains("must be between 1ms and 250ms");
        Cli.Result both = Cli.run(server, "failover-drill", "--zones", "az1,az2", "--zone", "az1", "--fail-back", "--no-fail-back");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("--fail-back and --no-fail-back contradict each other");
        assertThat(Cli.run(server, "failover-drill", "--zones", "az1,az2", "--zone", "az1", "--fail-back=maybe").exitCode())
                .isEqualTo(2);
        assertThat(ApiRequests.writes(server)).isEmpty();
    }

    @Test
    void failBackIsTheDefaultAndEveryFormOfTurningItOffIsAccepted() {
        // the dry run gets as far as the preflight (refused on the STATIC fixture: exit 1, not 2)
        for (List<String> flags : List.of(List.<String>of(), List.of("--fail-back"), List.of("--no-fail-back"),
                List.of("--fail-back=false"), List.of("--fail-back=false", "--no-fail-back"))) {
            List<String> args = new java.util.ArrayList<>(List.of("failover-drill", "--zones", "az1,az2", "--zone", "az2", "--dry-run"));
            args.addAll(flags);
            Cli.Result r = Cli.run(server, args.toArray(String[]::new));
            assertThat(r.exitCode()).as(flags + ": " + r.err()).isEqualTo(1);
        }
        assertThat(Cli.run(server, "failover-drill", "--help").out()).contains("--no-fail-back", "(default: true)");
        assertThat(ApiRequests.writes(server)).isEmpty();
    }

    @Test
    void recoverWithNothingToRecoverSaysSo() {
        Cli.Result r = Cli.run(server, "failover-drill", "--zones", "az1,az2", "--recover", "--dry-run");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("No drill's lock in rocketmq");
        assertThat(ApiRequests.writes(server)).isEmpty();
    }
}
