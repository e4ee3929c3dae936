package io.crosszone.tasks.controllermode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.core.Checkpoint;
import io.crosszone.core.Json;
import io.crosszone.core.Progress;
import io.crosszone.k8s.BrokerCr;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.k8s.RocketMqKind;
import io.crosszone.lab.StaticDeploymentFixture;
import io.crosszone.lab.operator.OperatorDouble;
import io.crosszone.plan.OperatorNames;
import io.crosszone.report.TaskReport;
import io.crosszone.support.ApiRequests;
import io.crosszone.support.Cli;
import io.crosszone.support.Eventually;
import io.crosszone.support.KubeletStandIn;
import io.crosszone.support.TickingTime;
import io.crosszone.cli.SwitchToControllerModeCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * switch-to-controller-mode against the mock API server, with the operator double (upstream)
 * creating StatefulSets and pods and a kubelet stand-in making pods Ready.
 */
@EnableKubernetesMockClient(crud = true)
class SwitchToControllerModeTest {
    private static final String NS = "rocketmq";
    private static final List<String> STATIC = List.of("broker-0-master", "broker-0-replica-1", "broker-1-master",
            "broker-1-replica-1", "broker-2-master", "broker-2-replica-1");
    private static final List<String> CONTROLLER = List.of("broker-0-0", "broker-0-1", "broker-1-0", "broker-1-1",
            "broker-2-0", "broker-2-1");

    KubernetesMockServer server;
    KubernetesClient client;
    @TempDir
    Path reportDir;

    private final List<AutoCloseable> running = new ArrayList<>();
    private KubernetesGateway k8s;
    /** Every wait of the task runs on it: quiet checks and timeouts pass at a 10 ms real tick per poll. */
    private final TickingTime time = new TickingTime(Duration.ofMillis(10));

    /** Thrown from a checkpoint: nothing in the task catches an Error, as nothing runs after a kill. */
    static final class SimulatedKill extends Error {
        SimulatedKill(String step) {
            super("killed at " + step);
        }
    }

    private void freshStaticDeployment() {
        StaticDeploymentFixture.runbook().apply(client);
        k8s = new KubernetesGateway(client);
    }

    private void startDoubles() {
        running.add(OperatorDouble.builder(client, NS).resync(Duration.ofMillis(200)).start());
        running.add(KubeletStandIn.start(client, NS));
    }

    @AfterEach
    void stopDoubles() throws Exception {
        for (AutoCloseable c : running) {
            c.close();
        }
    }

    /** The real command line against the mock API, its waits on {@link #time}. */
    private Cli.Result run(String... args) {
        return Cli.run(server, command -> {
            if (command instanceof SwitchToControllerModeCommand c) {
                c.time(time);
            }
        }, args);
    }

    private String[] args(String... more) {
        List<String> a = new ArrayList<>(List.of("switch-to-controller-mode", "--zones", "az1,az2",
                "--poll-interval", "50ms", "--timeout", "10m", "--report-dir", reportDir.toString()));
        a.addAll(Arrays.asList(more));
        return a.toArray(String[]::new);
    }

    private List<String> brokerStatefulSets() {
        return k8s.statefulSetsSelecting(NS, OperatorNames.brokerLabels("broker")).stream()
                .map(s -> s.getMetadata().getName()).sorted().toList();
    }

    private List<String> pvcNames() {
        return client.persistentVolumeClaims().inNamespace(NS).list().getItems().stream()
                .map(c -> c.getMetadata().getName()).sorted().toList();
    }

    private static CrosszoneConfig runbookConfig() {
        return new CrosszoneConfig();
    }

    private SwitchToControllerModeTask.Options options(boolean delete) {
        return new SwitchToControllerModeTask.Options(false, delete, false, Duration.ofMinutes(10),
                Duration.ofMillis(50), reportDir);
    }

    private void assertSwitchedAndCleaned() {
        assertThat(k8s.brokerCr(NS, "broker").orElseThrow().clusterMode()).isEqualTo("CONTROLLER");
        assertThat(brokerStatefulSets()).containsExactlyInAnyOrderElementsOf(CONTROLLER);
        assertThat(k8s.pods(NS, OperatorNames.brokerLabels("broker"))).extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder("broker-0-0-0", "broker-0-1-0", "broker-1-0-0", "broker-1-1-0",
                        "broker-2-0-0", "broker-2-1-0");
        // the CONTROLLER-mode PVCs are untouched, the STATIC ones gone, their PVs kept
        assertThat(pvcNames()).contains("broker-storage-broker-0-0-0", "broker-storage-broker-2-1-0")
                .doesNotContainAnyElementsOf(STATIC.stream().map(s -> "broker-storage-" + s + "-0").toList());
        assertThat(k8s.pv("pv-broker-storage-broker-0-master-0")).isPresent();
    }

    @Test
    void aFreshStaticDeploymentIsSwitchedEndToEnd() throws Exception {
        freshStaticDeployment();
        startDoubles();
        ApiRequests.drain(server);

        Cli.Result r = run(args("--delete-static-data", "-o", "json"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode doc = Json.MAPPER.readTree(r.out());
        assertThat(doc.get("verdict").asText()).isEqualTo("passed");
        assertThat(doc.get("clusterModeBefore").asText()).isEqualTo("STATIC");
        assertThat(doc.get("clusterMode").asText()).isEqualTo("CONTROLLER");
        assertThat(doc.get("mastersChecked").asBoolean()).isFalse();
        assertThat(doc.get("warnings").toString()).contains("no RocketMQ adapter is wired in")
                .contains("reclaimPolicy Delete");
        System.out.println("switch-to-controller-mode end to end: waited " + doc.get("waitSeconds") + " s for CONTROLLER mode");

        // step 2: the Controller CR from the configuration
        Map<String, Object> ctl = k8s.cr(RocketMqKind.CONTROLLER, NS, "controller").orElseThrow().get("spec");
        assertThat(ctl).containsEntry("size", 1).containsEntry("controllerImage", "ghcr.io/ksmartdata/rocketmq-controller:v5.1.4")
                .containsEntry("storageMode", "StorageClass");
        // step 3: the properties merged, the operator's own keys kept
        String conf = k8s.configMap(NS, "broker-config").orElseThrow().getData().get("broker-common.conf");
        assertThat(BrokerConf.parse(conf)).containsEntry("inSyncReplicas", "2").containsEntry("totalReplicas", "2")
                .containsEntry("minInSyncReplicas", "1").containsEntry("enableAutoInSyncReplicas", "true")
                .containsEntry("allAckInSyncStateSet", "true").containsEntry("registerBrokerTimeoutMills", "6000")
                .containsEntry("deleteWhen", "04")
                .containsEntry("brokerRole", "ASYNC_MASTER");
        // steps 4 and 5
        assertSwitchedAndCleaned();

        // the backup: every object in the report directory and in the ConfigMap, written before any delete
        Path dir = reportDir.resolve("static-backup-broker");
        assertThat(dir.resolve("Broker.broker.json")).exists();
        assertThat(dir.resolve("StatefulSet.broker-1-replica-1.json")).exists();
        assertThat(dir.resolve("PersistentVolumeClaim.broker-storage-broker-0-master-0.json")).exists();
        String pv = Files.readString(dir.resolve("PersistentVolume.pv-broker-storage-broker-0-master-0.json"));
        assertThat(pv).contains("\"persistentVolumeReclaimPolicy\" : \"Delete\"");
        ConfigMap backup = k8s.configMap(NS, "crosszone-static-backup-broker").orElseThrow();
        assertThat(backup.getData()).hasSize(1 + 6 + 6 + 6).containsKey("StatefulSet.broker-0-master.json");
        assertThat(Json.MAPPER.readTree(backup.getData().get("Broker.broker.json")).at("/spec/clusterMode").asText())
                .isEqualTo("CONTROLLER");

        List<String> writes = ApiRequests.writes(server);
        int backupAt = writes.indexOf("POST /api/v1/namespaces/rocketmq/configmaps");
        int firstDelete = writes.stream().filter(w -> w.startsWith("DELETE")).findFirst().map(writes::indexOf).orElse(-1);
        assertThat(backupAt).isNotNegative().isLessThan(firstDelete);
        assertThat(writes).contains("DELETE /apis/apps/v1/namespaces/rocketmq/statefulsets/broker-0-master",
                "DELETE /api/v1/namespaces/rocketmq/persistentvolumeclaims/broker-storage-broker-2-replica-1-0");
    }

    @Test
    void anAlreadySwitchedDeploymentGetsNoWrite() throws Exception {
        freshStaticDeployment();
        startDoubles();
        Cli.Result first = run(args("--delete-static-data"));
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        ApiRequests.drain(server);

        Cli.Result again = run(args("--delete-static-data", "-o", "json"));
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(ApiRequests.writes(server)).isEmpty();
        JsonNode doc = Json.MAPPER.readTree(again.out());
        assertThat(doc.get("changes")).isEmpty();
        assertThat(doc.get("clusterModeBefore").asText()).isEqualTo("CONTROLLER");
    }

    @Test
    void killedAfterStep4_aReRunFinishesTheJob() throws Exception {
        freshStaticDeployment();
        startDoubles();
        SwitchToControllerModeTask killed = new SwitchToControllerModeTask(k8s, Progress.silent(), Optional.empty(),
                step -> {
                    if (step.equals("mode-switched")) {
                        throw new SimulatedKill(step);
                    }
                }, time);
        assertThatThrownBy(() -> killed.run(runbookConfig(), options(true))).isInstanceOf(SimulatedKill.class);
        assertThat(k8s.brokerCr(NS, "broker").orElseThrow().clusterMode()).isEqualTo("CONTROLLER");
        assertThat(brokerStatefulSets()).containsAll(STATIC);

        Cli.Result r = run(args("--delete-static-data", "-o", "json"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode doc = Json.MAPPER.readTree(r.out());
        // steps 2 to 4 were done: the re-run only backs up and deletes
        assertThat(doc.get("changes").findValuesAsText("action")).doesNotContain("create", "patch").contains("backup", "delete");
        assertSwitchedAndCleaned();
        String conf = k8s.configMap(NS, "broker-config").orElseThrow().getData().get("broker-common.conf");
        assertThat(conf.split("inSyncReplicas=2", -1)).hasSize(2);
        assertThat(client.genericKubernetesResources(RocketMqKind.CONTROLLER.context()).inNamespace(NS).list().getItems())
                .hasSize(1);
    }

    @Test
    void killedHalfwayThroughTheDeletion_theBackupOfWhatWentIsKept() throws Exception {
        freshStaticDeployment();
        startDoubles();
        SwitchToControllerModeTask killed = new SwitchToControllerModeTask(k8s, Progress.silent(), Optional.empty(),
                step -> {
                    if (step.equals("deleted StatefulSet/broker-1-master")) {
                        throw new SimulatedKill(step);
                    }
                }, time);
        assertThatThrownBy(() -> killed.run(runbookConfig(), options(true))).isInstanceOf(SimulatedKill.class);
        assertThat(k8s.statefulSet(NS, "broker-0-master")).isEmpty();

        Cli.Result r = run(args("--delete-static-data"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertSwitchedAndCleaned();
        Map<String, String> backup = k8s.configMap(NS, "crosszone-static-backup-broker").orElseThrow().getData();
        assertThat(backup).containsKeys("StatefulSet.broker-0-master.json", "StatefulSet.broker-2-replica-1.json",
                "PersistentVolumeClaim.broker-storage-broker-0-master-0.json");
    }

    @Test
    void anotherCrsPvcWithASimilarNameAndAControllerModePvcAreLeftAlone() throws Exception {
        freshStaticDeployment();
        for (Map.Entry<String, String> e : Map.of(
                "broker-storage-broker-a-0-master-0", "broker-a",      // a STATIC claim of CR "broker-a"
                "broker-storage-broker-0-master-0-old", "broker",      // this CR's label, not a claim name
                "broker-storage-broker-0-1-0", "broker").entrySet()) { // CONTROLLER mode, already there
            client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder()
                    .withNewMetadata().withName(e.getKey()).withLabels(Map.of("app", "broker", "broker_cr", e.getValue()))
                    .endMetadata().withNewSpec().endSpec().build()).create();
        }
        startDoubles();
        Cli.Result r = run(args("--delete-static-data"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertSwitchedAndCleaned();
        assertThat(pvcNames()).contains("broker-storage-broker-a-0-master-0", "broker-storage-broker-0-master-0-old",
                "broker-storage-broker-0-1-0");
    }

    @Test
    void withoutDeleteStaticDataTheLeftoversAreOnlyListed() throws Exception {
        freshStaticDeployment();
        startDoubles();
        Cli.Result r = run(args("-o", "json"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode doc = Json.MAPPER.readTree(r.out());
        assertThat(doc.get("warnings").toString()).contains("STATIC mode left 6 StatefulSets, 6 pods, 6 PVCs")
                .contains("--delete-static-data");
        assertThat(doc.at("/staticLeftovers/statefulSets")).hasSize(6);
        assertThat(doc.get("changes").findValuesAsText("action")).doesNotContain("delete", "backup");
        assertThat(brokerStatefulSets()).containsAll(STATIC).containsAll(CONTROLLER);
        assertThat(k8s.configMap(NS, "crosszone-static-backup-broker")).isEmpty();
    }

    @Test
    void dryRunListsEveryStepAndWritesNothing() throws Exception {
        freshStaticDeployment();
        startDoubles();
        ApiRequests.drain(server);
        Cli.Result r = run(args("--dry-run", "--delete-static-data", "-o", "json"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(ApiRequests.writes(server)).isEmpty();
        JsonNode doc = Json.MAPPER.readTree(r.out());
        assertThat(doc.get("changes").findValuesAsText("kind")).contains("Controller", "ConfigMap", "Broker",
                "StatefulSet", "Pod", "PersistentVolumeClaim");
        assertThat(doc.get("changes")).hasSize(3 + 1 + 18);
    }

    @Test
    void theWaitGoesThroughTheMasterCheckHook() throws Exception {
        freshStaticDeployment();
        startDoubles();
        AtomicInteger calls = new AtomicInteger();
        List<GroupMasterCheck.Query> queries = new ArrayList<>();
        GroupMasterCheck check = q -> {
            queries.add(q);
            return calls.incrementAndGet() < 3 ? Set.of("broker-1") : Set.of();
        };
        TaskReport report = new SwitchToControllerModeTask(k8s, Progress.silent(), Optional.of(check), Checkpoint.NONE, time)
                .run(runbookConfig(), options(false));
        assertThat(calls.get()).isEqualTo(3);
        assertThat(report.fields()).containsEntry("mastersChecked", true);
        GroupMasterCheck.Query q = queries.get(0);
        assertThat(q.clusterName()).isEqualTo("broker");
        assertThat(q.brokerNames()).containsExactly("broker-0", "broker-1", "broker-2");
        assertThat(q.nameServerAddresses()).containsExactly("10.244.0.2:9876", "10.244.0.3:9876");
        assertThat(q.controllerAddress()).isEqualTo("controller-svc:9878");
    }

    /**
     * A StatefulSet controller acting on a StatefulSet it read just before the delete (its cache
     * lags; the operator double can do the same) makes a claim again after it was deleted. Here
     * that is done on purpose, right after the task deleted the last STATIC claim: the task deletes
     * the straggler too, says so, and ends with no STATIC object left.
     */
    @Test
    void aClaimMadeAgainByALaggingStatefulSetControllerIsDeletedToo() throws Exception {
        freshStaticDeployment();
        startDoubles();
        String claim = "broker-storage-broker-2-replica-1-0";
        Checkpoint laggingController = step -> {
            if (step.equals("deleted PersistentVolumeClaim/" + claim)) {
                client.persistentVolumeClaims().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                        .withNewMetadata().withName(claim).withLabels(Map.of("app", "broker", "broker_cr", "broker")).endMetadata()
                        .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources()
                        .addToRequests("storage", new io.fabric8.kubernetes.api.model.Quantity("8Gi")).endResources().endSpec()
                        .build()).create();
            }
        };
        TaskReport report = new SwitchToControllerModeTask(k8s, Progress.silent(), Optional.empty(), laggingController, time)
                .run(runbookConfig(), options(true));
        assertThat(report.verdict()).as(report.warnings().toString()).isEqualTo(io.crosszone.report.Verdict.PASSED);
        assertThat(pvcNames()).doesNotContain(claim);
        assertThat(report.changes()).anyMatch(c -> c.name().equals(claim) && c.detail() != null
                && c.detail().contains("recreated empty after its StatefulSet was deleted"));
    }

    /**
     * A claim that is still terminating (pvc-protection holds it while its pod goes) is being
     * deleted already: the task waits for it and neither deletes it again nor calls it recreated.
     */
    @Test
    void aClaimStillTerminatingIsWaitedForNotDeletedAgain() throws Exception {
        freshStaticDeployment();
        startDoubles();
        String claim = "broker-storage-broker-2-replica-1-0";
        client.persistentVolumeClaims().inNamespace(NS).withName(claim).edit(c -> {
            c.getMetadata().setFinalizers(List.of("kubernetes.io/pvc-protection"));
            return c;
        });
        List<Boolean> seenTerminating = new ArrayList<>();
        Checkpoint pvcProtection = step -> {
            if (step.equals("deleted PersistentVolumeClaim/" + claim)) {
                var c = client.persistentVolumeClaims().inNamespace(NS).withName(claim).get();
                seenTerminating.add(c != null && c.getMetadata().getDeletionTimestamp() != null);
                // pvc-protection lets go half a second (on the task's clock) later
                time.at(Duration.ofMillis(500), () -> client.persistentVolumeClaims().inNamespace(NS).withName(claim)
                        .edit(x -> {
                            x.getMetadata().setFinalizers(List.of());
                            return x;
                        }));
            }
        };
        TaskReport report = new SwitchToControllerModeTask(k8s, Progress.silent(), Optional.empty(), pvcProtection, time)
                .run(runbookConfig(), options(true));
        assertThat(seenTerminating).as("the claim was terminating after the task's delete").containsExactly(true);
        assertThat(report.verdict()).as(report.warnings().toString()).isEqualTo(io.crosszone.report.Verdict.PASSED);
        Eventually.until(Duration.ofSeconds(5), () -> !pvcNames().contains(claim));
        assertThat(report.changes()).noneMatch(c -> c.name().equals(claim) && c.detail() != null && c.detail().contains("recreated"));
    }

    @Test
    void withNoKubeletTheWaitTimesOutWithExit3AndNothingIsDeleted() {
        freshStaticDeployment();
        running.add(OperatorDouble.builder(client, NS).resync(Duration.ofMillis(200)).start());
        Cli.Result r = run("switch-to-controller-mode", "--zones", "az1,az2", "--poll-interval", "50ms",
                "--timeout", "1s", "--delete-static-data", "--report-dir", reportDir.toString());
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains("timed out after PT1S waiting for CONTROLLER mode")
                .contains("nothing STATIC was deleted: re-run to resume");
        assertThat(brokerStatefulSets()).containsAll(STATIC);
    }

    // ---- bad input: exit 2, one line, and not one write

    private void assertBadInput(String message, String... extra) {
        ApiRequests.drain(server);
        Cli.Result r = run(args(extra));
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(message);
        assertThat(r.err().lines().filter(l -> l.contains("error:"))).hasSize(1);
        assertThat(ApiRequests.writes(server)).isEmpty();
    }

    @Test
    void aMissingBrokerCrIsBadInput() {
        freshStaticDeployment();
        assertBadInput("Broker CR 'nope' not found in namespace 'rocketmq'; Broker CRs found: rocketmq/broker", "--broker-cr", "nope");
    }

    @Test
    void theWrongNamespaceIsBadInput() {
        freshStaticDeployment();
        client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata().withName("other").endMetadata().build()).create();
        assertBadInput("Broker CR 'broker' not found in namespace 'other'; Broker CRs found: rocketmq/broker", "-n", "other");
        assertBadInput("namespace 'missing' does not exist: check --namespace", "-n", "missing");
    }

    @Test
    void anEvenControllerSizeIsBadInput() {
        freshStaticDeployment();
        assertBadInput("controller size 2 is even: the controller is a Raft group", "--controller-size", "2");
    }

    @Test
    void anExistingControllerCrOfEvenSizeIsBadInput() {
        StaticDeploymentFixture.runbook().withControllerCr("controller").apply(client);
        k8s = new KubernetesGateway(client);
        k8s.mergePatchCr(RocketMqKind.CONTROLLER, NS, "controller", Map.of("spec", Map.of("size", 2)));
        assertBadInput("the existing Controller CR rocketmq/controller has an even size 2");
    }

    @Test
    void deletingWithoutAReportDirIsBadInput() {
        freshStaticDeployment();
        ApiRequests.drain(server);
        Cli.Result r = run("switch-to-controller-mode", "--zones", "az1,az2", "--delete-static-data");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--delete-static-data needs --report-dir");
        assertThat(ApiRequests.writes(server)).isEmpty();
    }

    @Test
    void aBadTimeoutIsBadInput() {
        freshStaticDeployment();
        ApiRequests.drain(server);
        Cli.Result r = run("switch-to-controller-mode", "--zones", "az1,az2", "--timeout", "soon");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--timeout 'soon' is not a duration");
        assertThat(ApiRequests.writes(server)).isEmpty();
    }

    @Test
    void theBrokerCrViewCountsTheMasterAsABrokerOfTheGroup() {
        freshStaticDeployment();
        BrokerCr cr = k8s.brokerCr(NS, "broker").orElseThrow();
        assertThat(cr.groups()).isEqualTo(3);
        assertThat(cr.replicaPerGroup()).isEqualTo(1);
        assertThat(cr.brokersPerGroup()).isEqualTo(2);
        assertThat(cr.configMapName()).isEqualTo("broker-config");
        assertThat(cr.volumeClaimTemplateName()).isEqualTo("broker-storage");
    }
}
