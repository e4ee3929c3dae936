package io.crosszone.tasks.affinity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosszone.cli.ApplyAffinityCommand;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.config.ZoneSpec;
import io.crosszone.core.Json;
import io.crosszone.core.JsonMaps;
import io.crosszone.k8s.Fields;
import io.crosszone.k8s.K8sStatus;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.k8s.RocketMqKind;
import io.crosszone.lab.StaticDeploymentFixture;
import io.crosszone.lab.operator.OperatorDouble;
import io.crosszone.lab.scheduler.LabStorage;
import io.crosszone.lab.scheduler.SchedulerDouble;
import io.crosszone.plan.OperatorNames;
import io.crosszone.plan.PlacementPlan;
import io.crosszone.plan.PlacementPlanner;
import io.crosszone.support.ApiRequests;
import io.crosszone.support.Cli;
import io.crosszone.support.Eventually;
import io.crosszone.support.KubeletStandIn;
import io.crosszone.support.PodReadinessGroupHealth;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * apply-affinity against the mock API server in CRUD mode, on a CONTROLLER-mode deployment made
 * by switch-to-controller-mode from the STATIC fixture (6 nodes, 3 per zone as in the runbook, labelled az=az1|az2),
 * with the operator double (also the StatefulSet controller and garbage collector), the scheduler
 * double binding pods by their affinity, a kubelet stand-in starting bound pods, and
 * {@link PodReadinessGroupHealth} standing in for RocketMQ (in sync = pods Ready).
 */
@EnableKubernetesMockClient(crud = true)
class ApplyAffinityTest {
    private static final String NS = "rocketmq";
    private static final List<String> BROKERS = List.of("broker-0-0", "broker-0-1", "broker-1-0", "broker-1-1",
            "broker-2-0", "broker-2-1");

    KubernetesMockServer server;
    KubernetesClient client;
    @TempDir
    Path reportDir;

    private final List<AutoCloseable> running = new ArrayList<>();
    private KubernetesGateway k8s;
    /** Group 1's master is its replica 1, so "slaves first" is not just "index 0 last". */
    private final PodReadinessGroupHealth health = new PodReadinessGroupHealth(Map.of("broker-1", 1));

    @AfterEach
    void stopDoubles() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
    }

    /** The fixture, the doubles, then switch-to-controller-mode: the state apply-affinity starts from. */
    /** The runbook's shape: 3 nodes per zone, one per broker, no spare. */
    private void controllerModeDeployment(OperatorDouble.Flavour flavour) {
        controllerModeDeployment(flavour, 3);
    }

    private void controllerModeDeployment(OperatorDouble.Flavour flavour, int nodesPerZone) {
        controllerModeDeployment(flavour, nodesPerZone, LabStorage.NETWORK);
    }

    private void controllerModeDeployment(OperatorDouble.Flavour flavour, int nodesPerZone, LabStorage storage) {
        StaticDeploymentFixture.runbook().zones(List.of("az1", "az2"), nodesPerZone).topologyZoneLabel("az").apply(client);
        for (var n : client.nodes().list().getItems()) { // where the disks are, as a cloud provider labels nodes
            client.nodes().withName(n.getMetadata().getName()).edit(x -> {
                x.getMetadata().getLabels().put("topology.kubernetes.io/zone", x.getMetadata().getLabels().get("az"));
                return x;
            });
        }
        k8s = new KubernetesGateway(client);
        running.add(OperatorDouble.builder(client, NS).flavour(flavour).resync(Duration.ofMillis(200)).start());
        running.add(new SchedulerDouble(client, NS, 50, line -> { }, storage));
        running.add(KubeletStandIn.startForScheduledPods(client, NS));
        long start = System.nanoTime();
        Cli.Result r = Cli.run(server, "switch-to-controller-mode", "--zones", "az1,az2", "--poll-interval", "50ms",
                "--timeout", "180s", "--delete-static-data", "--report-dir", reportDir.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        Eventually.until(Duration.ofSeconds(30), () -> BROKERS.stream().allMatch(this::podReady)
                && podReady("controller-0") && podReady("namesrv-0") && podReady("namesrv-1"));
        System.out.printf("setup: CONTROLLER-mode deployment up in %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    private boolean podReady(String stsOrPod) {
        String pod = stsOrPod.matches(".*-\\d+-\\d+") || stsOrPod.startsWith("broker") ? OperatorNames.podOf(stsOrPod) : stsOrPod;
        return k8s.pod(NS, pod).filter(K8sStatus::podReady).isPresent();
    }

    private Cli.Result applyAffinity(String... more) {
        List<String> a = new ArrayList<>(List.of("apply-affinity", "--zones", "az1,az2", "--poll-interval", "50ms",
                "--settle", "1s"));
        if (!Arrays.asList(more).contains("--timeout")) {
            a.addAll(List.of("--timeout", "30s"));
        }
        a.addAll(Arrays.asList(more));
        Consumer<Object> standIn = command -> {
            if (command instanceof ApplyAffinityCommand c) {
                c.groupHealth(health);
            }
        };
        return Cli.run(server, standIn, a.toArray(String[]::new));
    }

    private static PlacementPlan runbookPlan() {
        CrosszoneConfig c = new CrosszoneConfig();
        c.setZones(List.of(zone("az1"), zone("az2")));
        c.getBrokers().setGroups(3);
        c.getBrokers().setReplicasPerGroup(2);
        return PlacementPlanner.plan(c);
    }

    private static ZoneSpec zone(String name) {
        ZoneSpec z = new ZoneSpec();
        z.setName(name);
        return z;
    }

    private String zoneOfPod(String pod) {
        String node = k8s.pod(NS, pod).orElseThrow().getSpec().getNodeName();
        return k8s.node(node).orElseThrow().getMetadata().getLabels().get("az");
    }

    /**
     * Watches broker pods: the order their pods were deleted in, and whether a group ever had two
     * members not Ready at once (a deleted pod counts as not Ready until its successor is).
     */
    private static final class BrokerPodLog implements Watcher<Pod> {
        final List<String> deletions = new CopyOnWriteArrayList<>();
        final List<String> violations = new CopyOnWriteArrayList<>();
        private final Map<String, Boolean> ready = new HashMap<>();

        BrokerPodLog(List<String> statefulSets) {
            statefulSets.forEach(s -> ready.put(OperatorNames.podOf(s), true));
        }

        @Override
        public synchronized void eventReceived(Action action, Pod pod) {
            String name = pod.getMetadata().getName();
            if (!ready.containsKey(name)) {
                return;
            }
            if (action == Action.DELETED) {
                deletions.add(name);
                ready.put(name, false);
            } else {
                ready.put(name, K8sStatus.podReady(pod));
            }
            Map<String, Integer> down = new HashMap<>();
            ready.forEach((p, r) -> {
                if (!r) {
                    down.merge(p.substring(0, p.lastIndexOf('-', p.length() - 3)), 1, Integer::sum);
                }
            });
            down.forEach((group, n) -> {
                if (n > 1) {
                    violations.add(group + " had " + n + " members down at once (event " + action + " " + name + ")");
                }
            });
        }

        @Override
        public void onClose(WatcherException cause) {
        }
    }

    @Test
    void aFreshControllerDeploymentGetsItsPlacement_slavesBeforeMasters_oneAtATime_andASecondRunWritesNothing() throws Exception {
        controllerModeDeployment(OperatorDouble.Flavour.UPSTREAM, 3); // the runbook's shape: one node per broker
        BrokerPodLog log = new BrokerPodLog(BROKERS);
        Watch watch = client.pods().inNamespace(NS).watch(log);
        running.add(watch::close);
        ApiRequests.drain(server);

        Cli.Result r = applyAffinity("-o", "json");
        System.out.println(r.err());
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        JsonNode doc = Json.MAPPER.readTree(r.out());
        assertThat(doc.get("verdict").asText()).isEqualTo("passed");

        // every broker restarted once, one at a time, each group's slave before its master (group 1's
        // master is its replica 1); a broker whose zone is full waits for one whose zone has room
        List<String> brokerRestarts = new ArrayList<>();
        doc.get("restarts").forEach(x -> {
            if (x.get("statefulSet").asText().startsWith("broker")) {
                brokerRestarts.add(x.get("statefulSet").asText());
            }
            System.out.printf("restart %-12s %-8s %5.1f s -> %s (%s), planned %s%n", x.get("statefulSet").asText(),
                    x.get("role").asText(), x.get("seconds").asDouble(), x.path("node").asText(), x.path("zone").asText(),
                    x.path("plannedZone").asText());
        });
        assertThat(brokerRestarts).containsExactlyInAnyOrderElementsOf(BROKERS);
        for (String[] slaveMaster : List.of(new String[] {"broker-0-1", "broker-0-0"}, new String[] {"broker-1-0", "broker-1-1"},
                new String[] {"broker-2-1", "broker-2-0"})) {
            assertThat(brokerRestarts.indexOf(slaveMaster[0])).as(slaveMaster[0] + " before " + slaveMaster[1])
                    .isLessThan(brokerRestarts.indexOf(slaveMaster[1]));
        }
        // one node per broker: the two brokers that change zone (of different groups) are swapped in one step,
        // each taking the node the other left; the rest restart in place, slaves first
        JsonNode swap = null;
        for (JsonNode step : doc.get("rolloutSteps")) {
            if (step.get("swap").asBoolean()) {
                assertThat(swap).as("one swap step").isNull();
                swap = step;
            }
        }
        assertThat(swap).as("a swap step").isNotNull();
        assertThat(swap.get("brokers")).hasSize(2);
        assertThat(swap.get("brokers").findValuesAsText("group")).doesNotHaveDuplicates();
        for (JsonNode b : swap.get("brokers")) {
            assertThat(b.get("fromZone").asText()).isNotEqualTo(b.get("toZone").asText());
        }
        Eventually.until(Duration.ofSeconds(5), () -> log.deletions.size() >= 6);
        assertThat(log.deletions).containsExactlyInAnyOrderElementsOf(brokerRestarts.stream().map(OperatorNames::podOf).toList());
        int at = swap.get("step").asInt() - 1; // steps before the swap are single brokers
        assertThat(log.deletions.subList(0, at)).isEqualTo(brokerRestarts.subList(0, at).stream().map(OperatorNames::podOf).toList());
        assertThat(log.deletions.subList(at + 2, 6)).isEqualTo(brokerRestarts.subList(at + 2, 6).stream().map(OperatorNames::podOf).toList());
        assertThat(log.violations).isEmpty();

        // every broker pod in its planned zone, the controller in az2, all affinities written
        PlacementPlan plan = runbookPlan();
        for (String sts : BROKERS) {
            assertThat(zoneOfPod(OperatorNames.podOf(sts))).as(sts).isEqualTo(plan.broker(sts).orElseThrow().plannedZone());
            assertThat(JsonMaps.same(k8s.statefulSet(NS, sts).orElseThrow().getSpec().getTemplate().getSpec().getAffinity(),
                    plan.broker(sts).orElseThrow().affinity())).as(sts).isTrue();
        }
        assertThat(zoneOfPod("controller-0")).isEqualTo("az2");
        // before a master went down its in-sync slave was elected (planned switches; broker-1's master was replica 1,
        // so that switch made its planned replica 0 master); then broker-0 and broker-2 are elected back, one at a time
        assertThat(health.elections()).containsExactly("broker-0=1", "broker-1=0", "broker-2=1", "broker-0=0", "broker-2=0");
        assertThat(doc.get("plannedSwitches")).hasSize(3);
        assertThat(doc.get("failBacks")).hasSize(2);
        for (JsonNode f : doc.get("failBacks")) {
            String group = f.get("group").asText();
            assertThat(f.get("fromReplica").asInt()).isEqualTo(1);
            assertThat(f.get("toReplica").asInt()).isZero();
            assertThat(f.get("toZone").asText()).isEqualTo(plan.broker(group + "-0").orElseThrow().plannedZone());
            assertThat(f.get("fromZone").asText()).isEqualTo(plan.broker(group + "-1").orElseThrow().plannedZone());
            System.out.printf("fail-back %s: replica 1 (%s) -> replica 0 (%s), %.1f s%n", group, f.get("fromZone").asText(),
                    f.get("toZone").asText(), f.get("seconds").asDouble());
        }
        assertThat(doc.get("changes").findValuesAsText("action").stream().filter("elect"::equals).count()).isEqualTo(5);
        assertThat(doc.get("mastersPerZone").toString()).isEqualTo("{\"az1\":1,\"az2\":2}");
        assertThat(JsonMaps.same(Fields.map(k8s.cr(RocketMqKind.BROKER, NS, "broker").orElseThrow().getAdditionalProperties(),
                "spec", "affinity"), JsonMaps.toMap(plan.brokerCommon()))).isTrue();
        assertThat(JsonMaps.same(Fields.map(k8s.cr(RocketMqKind.NAME_SERVICE, NS, "namesrv").orElseThrow().getAdditionalProperties(),
                "spec", "affinity"), JsonMaps.toMap(plan.nameServer()))).isTrue();
        // the name server: patched, its rollout held, since the fixture's Broker CR has allowRestart=true
        assertThat(doc.get("warnings").toString()).contains("allowRestart=true");
        assertThat(k8s.statefulSet(NS, "namesrv").orElseThrow().getSpec().getUpdateStrategy().getRollingUpdate().getPartition())
                .isEqualTo(2);

        // a second run: nothing written, nothing restarted
        ApiRequests.drain(server);
        Cli.Result again = applyAffinity("-o", "json");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(ApiRequests.writes(server)).isEmpty();
        JsonNode doc2 = Json.MAPPER.readTree(again.out());
        assertThat(doc2.get("changes")).isEmpty();
        assertThat(doc2.get("restarts")).isEmpty();
        assertThat(doc2.get("failBacks")).isEmpty();
        assertThat(health.elections()).as("nothing elected by the second run").hasSize(5);
    }

    @Test
    void dryRunShowsADiffPerObjectAndWritesNothing() throws Exception {
        controllerModeDeployment(OperatorDouble.Flavour.UPSTREAM);
        ApiRequests.drain(server);

        Cli.Result r = applyAffinity("--dry-run");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(ApiRequests.writes(server)).isEmpty();
        System.out.println(r.out());
        assertThat(r.out()).contains("--- StatefulSet broker-1-1 (spec.template)", "--- NameService namesrv (spec)",
                "--- Controller controller (spec)", "--- Broker broker (spec)", "--- StatefulSet controller (spec.template)")
                .contains("+   crosszone.io/broker-group: broker-1")
                .contains("+       topologyKey: kubernetes.io/hostname")
                .contains("(dry run: nothing was written)");
        // which groups would be failed back: broker-1's master is replica 1 now, the others' masters are restarted
        assertThat(r.out()).contains("Fail-back after the restarts", "broker-1: master is replica 1, planned replica 0: would be elected",
                "broker-0: its master broker-0-0 is restarted", "broker-2: its master broker-2-0 is restarted");
        JsonNode doc = Json.MAPPER.readTree(applyAffinity("--dry-run", "-o", "json").out());
        assertThat(doc.get("changes")).hasSize(11);
        assertThat(doc.get("failBackPlanned")).hasSize(3);
        assertThat(doc.get("diffs").get(0).get("before").asText()).isEqualTo("{}\n");
        assertThat(ApiRequests.writes(server)).isEmpty();
        assertThat(health.elections()).as("nothing elected by a dry run").isEmpty();
    }

    @Test
    void onZonalVolumes_aBrokerThatMustChangeZoneIsRefusedExit1BeforeAnyWrite_namingItsClaim() throws Exception {
        controllerModeDeployment(OperatorDouble.Flavour.UPSTREAM, 3, LabStorage.ZONAL);
        ApiRequests.drain(server);

        Cli.Result r = applyAffinity("-o", "json");
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(ApiRequests.writes(server)).as("refused before anything was written").isEmpty();
        assertThat(health.elections()).isEmpty();
        JsonNode doc = Json.MAPPER.readTree(r.out());
        assertThat(doc.get("strandedVolumes")).isNotEmpty();
        // the controller (first born wherever the scheduler put it) or a broker: a claim that cannot follow into its zone
        assertThat(doc.get("strandedVolumes").get(0).asText()).contains("claim", "planned zone");
        Cli.Result dry = applyAffinity("--dry-run", "--replace-zonal-volumes");
        assertThat(dry.exitCode()).as(dry.out() + dry.err()).isZero();
        assertThat(dry.out()).contains("Volume to replace: ", "(dry run: nothing was written)");
        assertThat(ApiRequests.writes(server)).isEmpty();
    }

    @Test
    void noSafeOrder_aZoneWithFewerSchedulableNodesThanBrokersPlannedThere_refusedExit1BeforeAnyWrite_namingTheZone() throws Exception {
        controllerModeDeployment(OperatorDouble.Flavour.UPSTREAM);
        PlacementPlan plan = runbookPlan();
        String az1Node = client.nodes().list().getItems().stream().filter(n -> "az1".equals(n.getMetadata().getLabels().get("az")))
                .map(n -> n.getMetadata().getName()).sorted().findFirst().orElseThrow();
        k8s.setUnschedulable(az1Node, true); // az1: 2 schedulable nodes for its 3 planned brokers
        ApiRequests.drain(server);

        Cli.Result dry = applyAffinity("--dry-run");
        assertThat(dry.exitCode()).as(dry.out() + dry.err()).isEqualTo(1);
        Cli.Result r = applyAffinity("-o", "json");
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(ApiRequests.writes(server)).isEmpty();
        assertThat(health.elections()).isEmpty();
        JsonNode doc = Json.MAPPER.readTree(r.out());
        assertThat(doc.get("verdict").asText()).isEqualTo("failed");
        assertThat(doc.get("rolloutRefusals").toString()).contains("az1 has 2 schedulable nodes for 3 brokers planned there",
                az1Node + ": cordoned", "give az1 1 more schedulable node");
        assertThat(dry.out()).contains("REFUSED: az1 has 2 schedulable nodes", "Nothing was written");
        System.out.println(dry.out().lines().filter(l -> l.startsWith("REFUSED")).findFirst().orElse(""));

        // uncordoned, the same rollout goes through with no spare node: every broker in its planned zone
        k8s.setUnschedulable(az1Node, false);
        Cli.Result after = applyAffinity();
        assertThat(after.exitCode()).as(after.out() + after.err()).isZero();
        for (String sts : BROKERS) {
            assertThat(zoneOfPod(OperatorNames.podOf(sts))).as(sts).isEqualTo(plan.broker(sts).orElseThrow().plannedZone());
        }
    }

    @Test
    void aGroupAlreadySpreadTheOtherWayRound_isKeptWhereItRuns_itsMemberInTheMasterZoneIsItsPlannedMaster() throws Exception {
        // with 4 nodes per zone the operator's hostname spread leaves broker-1-0 in az1 and broker-1-1 in az2,
        // the reverse of the plan: moving either would put both in one zone for a while
        controllerModeDeployment(OperatorDouble.Flavour.UPSTREAM, 4);
        assertThat(zoneOfPod("broker-1-0-0")).isEqualTo("az1");
        assertThat(zoneOfPod("broker-1-1-0")).isEqualTo("az2");
        String uid10 = k8s.pod(NS, "broker-1-0-0").orElseThrow().getMetadata().getUid();

        Cli.Result r = applyAffinity("-o", "json");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        JsonNode doc = Json.MAPPER.readTree(r.out());
        assertThat(doc.get("keptWhereRunning").toString()).contains("broker-1-0 stays in az1 (first planned az2)",
                "broker-1-1 stays in az2 (first planned az1), its group's planned master");
        // broker-1 takes its new template in place, in the zones it had; its planned master is replica 1 (in
        // the master zone az2): the planned switch before its restart is undone by electing replica 1 again
        assertThat(zoneOfPod("broker-1-0-0")).isEqualTo("az1");
        assertThat(zoneOfPod("broker-1-1-0")).isEqualTo("az2");
        assertThat(k8s.pod(NS, "broker-1-0-0").orElseThrow().getMetadata().getUid()).isNotEqualTo(uid10);
        for (JsonNode f : doc.get("failBacks")) {
            if (f.get("group").asText().equals("broker-1")) {
                assertThat(f.get("toReplica").asInt()).isEqualTo(1);
                assertThat(f.get("toZone").asText()).isEqualTo("az2");
            }
        }
        assertThat(doc.get("mastersPerZone").toString()).isEqualTo("{\"az1\":1,\"az2\":2}");
        List<String> broker1 = health.elections().stream().filter(e -> e.startsWith("broker-1=")).toList();
        assertThat(broker1).isNotEmpty().last().isEqualTo("broker-1=1");
        for (JsonNode step : doc.get("rolloutSteps")) {
            for (JsonNode b : step.get("brokers")) {
                if (b.get("group").asText().equals("broker-1")) {
                    assertThat(b.get("fromZone").asText()).as("broker-1 is not moved").isEqualTo(b.get("toZone").asText());
                }
            }
        }
        ApiRequests.drain(server);
        assertThat(applyAffinity().exitCode()).isZero();
        assertThat(ApiRequests.writes(server)).as("a second run").isEmpty();
    }

    @Test
    void theKsmartdataForkRevertsTheStatefulSets_detectedExit1_andTheBrokerCrIsLeftAlone() throws Exception {
        controllerModeDeployment(OperatorDouble.Flavour.KSMARTDATA);

        Cli.Result r = applyAffinity("-o", "json");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        JsonNode doc = Json.MAPPER.readTree(r.out());
        assertThat(doc.get("verdict").asText()).isEqualTo("failed");
        // the first StatefulSet patched and restarted (the controller's) is reverted before any broker is touched
        assertThat(doc.get("reverted").toString()).containsPattern("StatefulSet (controller|broker-\\d-\\d)");
        assertThat(doc.get("warnings").toString()).contains("reverted", "ksmartdata", "Broker CR's spec.affinity alone",
                "zone-aware operator", "deleting a broker StatefulSet");
        // the rollout stopped at the first reverted broker; the Broker CR (a change would rewrite every broker) untouched
        assertThat(doc.get("changes").findValuesAsText("name")).doesNotContain("broker");
        assertThat(doc.get("changes").findValuesAsText("action").stream().filter("restart"::equals).count())
                .as("restarts before the rollout stopped").isLessThanOrEqualTo(1);
        assertThat(Fields.map(k8s.cr(RocketMqKind.BROKER, NS, "broker").orElseThrow().getAdditionalProperties(), "spec", "affinity"))
                .isEmpty();
        System.out.println("ksmartdata: " + doc.get("reverted") + "\n" + r.err());
    }

    @Test
    void aBrokerThatCannotBeScheduledStopsTheRolloutWithExit3NamingTheStatefulSet() throws Exception {
        controllerModeDeployment(OperatorDouble.Flavour.UPSTREAM);
        assertThat(applyAffinity().exitCode()).isZero();
        // the runbook's caveat 2: a deleted broker StatefulSet comes back from the Broker CR, without its own affinity
        String uid = k8s.statefulSet(NS, "broker-2-1").orElseThrow().getMetadata().getUid();
        k8s.deleteStatefulSet(NS, "broker-2-1");
        Eventually.until(Duration.ofSeconds(20), () -> k8s.statefulSet(NS, "broker-2-1")
                .filter(x -> !x.getMetadata().getUid().equals(uid)).isPresent() && k8s.pod(NS, "broker-2-1-0")
                .filter(p -> K8sStatus.podReady(p) && !p.getMetadata().getOwnerReferences().get(0).getUid().equals(uid))
                .isPresent());
        assertThat(JsonMaps.same(k8s.statefulSet(NS, "broker-2-1").orElseThrow().getSpec().getTemplate().getSpec().getAffinity(),
                runbookPlan().brokerCommon())).isTrue();
        // and now no node has the memory for a broker (the planner does not model resources; the scheduler does)
        for (var n : client.nodes().list().getItems()) {
            n.setStatus(new io.fabric8.kubernetes.api.model.NodeStatusBuilder(n.getStatus())
                    .addToAllocatable("memory", new io.fabric8.kubernetes.api.model.Quantity("1Gi")).build());
            client.nodes().resource(n).updateStatus();
        }

        Cli.Result r = applyAffinity("--timeout", "2s");
        assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(3);
        assertThat(r.err()).contains("timed out after PT2S at step 1 (StatefulSet rocketmq/broker-2-1)", "new pod broker-2-1-0 to be scheduled",
                "insufficient memory", "re-run apply-affinity to resume");
        System.out.println(r.err().lines().filter(l -> l.contains("error")).findFirst().orElse(""));
    }

    @Test
    void noRestartHoldsEveryRollout_thenARunWithoutItRollsThemIncludingTheNameServerOnePodAtATime() throws Exception {
        controllerModeDeployment(OperatorDouble.Flavour.UPSTREAM);
        // the operator updates namesrvAddr in place instead of rewriting every broker StatefulSet
        k8s.mergePatchCr(RocketMqKind.BROKER, NS, "broker", Map.of("spec", Map.of("allowRestart", false)));
        Map<String, String> uids = new HashMap<>();
        for (Pod p : client.pods().inNamespace(NS).list().getItems()) {
            uids.put(p.getMetadata().getName(), p.getMetadata().getUid());
        }

        Cli.Result held = applyAffinity("--no-restart", "-o", "json");
        assertThat(held.exitCode()).as(held.err()).isZero();
        Thread.sleep(1000); // the doubles had time to act on the patches
        for (Pod p : client.pods().inNamespace(NS).list().getItems()) {
            assertThat(p.getMetadata().getUid()).as(p.getMetadata().getName()).isEqualTo(uids.get(p.getMetadata().getName()));
        }
        assertThat(k8s.statefulSet(NS, "broker-0-0").orElseThrow().getMetadata().getAnnotations())
                .containsEntry(AffinityPlan.HELD_ANNOTATION, "true");
        assertThat(health.elections()).as("--no-restart elects nothing").isEmpty();
        assertThat(Json.MAPPER.readTree(held.out()).get("failBacks")).as("no fail-back step").isNull();
        ApiRequests.drain(server);
        assertThat(applyAffinity("--no-restart").exitCode()).isZero();
        assertThat(ApiRequests.writes(server)).as("a second --no-restart run").isEmpty();

        String nameServersBefore = io.crosszone.k8s.NameServerEnv.of(k8s.statefulSet(NS, "broker-0-0").orElseThrow()).orElseThrow();
        Cli.Result r = applyAffinity("-o", "json");
        assertThat(r.exitCode()).as(r.err().lines().filter(l -> !l.startsWith("[")).toList().toString()).isZero();
        JsonNode doc = Json.MAPPER.readTree(r.out());
        assertThat(doc.get("restartOrder").toString()).contains("namesrv[0]", "namesrv[1]", "controller", "broker-1-1");
        assertThat(zoneOfPod("namesrv-0")).isNotEqualTo(zoneOfPod("namesrv-1"));
        // the name servers came back with new IPs; the operator (allowRestart=false) left the broker
        // templates alone, so each broker was restarted with the running name servers written in
        String running = io.crosszone.k8s.NameServerEnv.render(io.crosszone.k8s.NameServerEnv.running(
                client.pods().inNamespace(NS).withLabels(OperatorNames.nameServiceLabels("namesrv")).list().getItems()));
        assertThat(running).isNotEqualTo(nameServersBefore);
        for (String sts : BROKERS) {
            assertThat(io.crosszone.k8s.NameServerEnv.of(k8s.statefulSet(NS, sts).orElseThrow())).as(sts).contains(running);
        }
        assertThat(doc.get("changes").toString()).contains("NAMESRV_ADDR " + nameServersBefore + " -> " + running);
        for (String sts : BROKERS) {
            assertThat(zoneOfPod(OperatorNames.podOf(sts))).as(sts).isEqualTo(runbookPlan().broker(sts).orElseThrow().plannedZone());
        }
        ApiRequests.drain(server);
        Cli.Result after = applyAffinity();
        assertThat(after.exitCode()).as(after.err()).isZero();
        assertThat(ApiRequests.writes(server)).as("a run after the rollout").isEmpty();
    }
}
