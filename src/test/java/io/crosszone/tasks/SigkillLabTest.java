package io.crosszone.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crosszone.cli.Crosszone;
import io.crosszone.lab.LabEnvironment;
import io.crosszone.lab.LabRollout;
import io.crosszone.lab.LabShape;
import io.crosszone.lab.RolloutProbe;
import io.crosszone.lab.operator.OperatorDouble;
import io.crosszone.lab.rocketmq.LocalRocketMqCluster;
import io.crosszone.rocketmq.AdminRocketMqGateway;
import io.crosszone.rocketmq.ClusterView;
import io.crosszone.support.SigkillAt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The tasks that act on RocketMQ, SIGKILLed mid-step as their own JVM (real kubeconfig, real
 * HTTP to the lab's API, real admin requests to real 5.1.4 brokers at the pods' IPs), then run
 * again: the re-run must finish the job and leave what an uninterrupted run leaves (as
 * ApplyAffinityLabTest and VerifyDistributionLabTest assert of one): every master on its planned
 * replica, every SyncStateSet full with no id that no broker uses, verify passing, and a further
 * run that writes nothing. One zero-slack lab (2 groups x 2 replicas on 2 nodes per zone, zonal
 * volumes): the rollout needs swaps and replaced claims, the hardest step to be cut in.
 * (verify --fix-topics is left out: one idempotent upsert per topic and broker, and a 5.1.4 slave
 * in controller mode copies its master's topics every 10 s by itself.)
 */
@Tag("process") // starts processes (RocketMQ JVMs, a lab, podman): not in the fast run (README)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SigkillLabTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> GROUPS = List.of("broker-0", "broker-1");
    static LabEnvironment lab;
    static final StringBuilder LOG = new StringBuilder();
    static Path dir;
    /** --controller-zone once a test has moved the controller (none before: the configured default) */
    static List<String> controllerZone = List.of();
    private Process child;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("sigkill-lab");
        lab = LabEnvironment.start(new LabShape(2, 2, List.of("az1", "az2"), 2, OperatorDouble.Flavour.UPSTREAM, true,
                Path.of("target/lab-sigkill")), line -> {
                    synchronized (LOG) {
                        LOG.append(line).append('\n');
                    }
                });
        LabRollout.labelAndSwitch(lab, dir, LOG);
        lab.rocketmq().awaitHealthy(Duration.ofSeconds(120));
        // messages in every group, as in any cluster in use: on 5.1.4 a demoted master whose commit log and its new
        // master's are both empty may find no epoch in common and never rejoin ("Failed to find a consistent point",
        // seen here in a group nothing had been written to); that is not what this class is about
        try (RolloutProbe probe = RolloutProbe.start(lab.rocketmq().nameServerList(), lab.rocketmq().controllerList(), GROUPS)) {
            Thread.sleep(3_000);
            assertThat(probe.finish().acked()).isPositive();
        }
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    @AfterEach
    void noChildLeft() throws InterruptedException {
        if (child != null && child.isAlive()) {
            child.destroyForcibly().waitFor();
        }
    }

    @Test
    @Order(1)
    void applyAffinityKilledWhileAStepsBrokersAreDown_aReRunFinishesTheRollout() throws Exception {
        List<String> args = new ArrayList<>(List.of("apply-affinity", "--settle", "2s", "--timeout", "5m",
                "--poll-interval", "500ms", "--replace-zonal-volumes"));
        args.addAll(LabRollout.zoneArgs(lab));
        // the hardest step to be cut in, as the dry run plans it: a swap (brokers moving zone, their zonal claims
        // replaced), else one that restarts a master (after its planned switch), else the first; killed once its pods
        // are deleted
        List<String> dry = new ArrayList<>(args);
        dry.addAll(List.of("--dry-run", "-o", "json"));
        LabRollout.Run plan = LabRollout.cli(lab, dry.toArray(String[]::new));
        assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
        JsonNode steps = JSON.readTree(plan.out()).get("rolloutSteps");
        int step = 1;
        for (JsonNode s : steps) {
            if (s.get("swap").asBoolean()) {
                step = s.get("step").asInt();
                break;
            }
            if (step == 1 && s.get("brokers").findValuesAsText("role").contains("master")) {
                step = s.get("step").asInt();
            }
        }
        System.out.println("[sigkill lab] planned steps " + steps.size() + "; killed in step " + step + ": " + steps.get(step - 1));
        Path log = dir.resolve("apply-affinity.log");
        child = startChild(args, log);
        String at = SigkillAt.progressLine(child, log, Pattern.compile("\\] step " + step + " \\(.*\\): waiting for old pod"),
                Duration.ofMinutes(8));
        System.out.println("[sigkill lab] apply-affinity killed (exit " + child.exitValue() + ") just after: " + at);
        System.out.println("[sigkill lab] what it had said: " + Files.readString(log).lines()
                .filter(l -> l.contains("replacing claim") || l.contains("swap:") || l.contains("planned switch")).toList());

        long start = System.nanoTime();
        args.addAll(List.of("-o", "json"));
        LabRollout.Run again = LabRollout.cli(lab, args.toArray(String[]::new));
        System.out.printf("[sigkill lab] re-run: exit %d in %.1f s%n", again.exitCode(), (System.nanoTime() - start) / 1e9);
        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        JsonNode doc = JSON.readTree(again.out());
        assertThat(doc.get("verdict").asText()).isEqualTo("passed");
        System.out.println("[sigkill lab] re-run changes: " + doc.get("changes").findValues("detail").stream()
                .map(JsonNode::asText).toList());

        assertEndsAsAnUninterruptedRun(args);
    }

    @Test
    @Order(2)
    void applyAffinityKilledAfterReplacingTheControllersClaim_aReRunReseedsTheEmptyController() throws Exception {
        String node = lab.client().pods().inNamespace("rocketmq").withName("controller-0").get().getSpec().getNodeName();
        String bornIn = lab.client().nodes().withName(node).get().getMetadata().getLabels().get("az");
        controllerZone = List.of("--controller-zone", bornIn.equals("az1") ? "az2" : "az1");
        List<String> args = new ArrayList<>(List.of("apply-affinity", "--settle", "2s", "--timeout", "5m",
                "--poll-interval", "500ms", "--replace-zonal-volumes"));
        args.addAll(LabRollout.zoneArgs(lab));
        args.addAll(controllerZone);
        Path log = dir.resolve("controller-move.log");
        child = startChild(args, log);
        // its claim is deleted and its pod with it; the new one starts empty in the other zone: killed there, the run
        // never re-seeds it, and the groups it read before are gone with it
        String at = SigkillAt.progressLine(child, log, Pattern.compile("\\] controller \\S+: waiting for"), Duration.ofMinutes(5));
        System.out.println("[sigkill lab] apply-affinity (controller " + bornIn + " -> " + controllerZone.get(1) + ") killed (exit "
                + child.exitValue() + ") just after: " + at);
        assertThat(Files.readString(log)).contains("replacing the claim");
        assertThat(lab.client().configMaps().inNamespace("rocketmq").withName("crosszone-controller-move").get())
                .as("the groups as read before the claim went, left for the re-run").isNotNull();

        args.addAll(List.of("-o", "json"));
        long start = System.nanoTime();
        LabRollout.Run again = LabRollout.cli(lab, args.toArray(String[]::new));
        System.out.printf("[sigkill lab] re-run: exit %d in %.1f s%n", again.exitCode(), (System.nanoTime() - start) / 1e9);
        again.err().lines().filter(l -> l.contains("controller")).forEach(l -> System.out.println("[sigkill lab]   " + l));
        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("\"reseed\"", "crosszone-controller-move");
        assertThat(lab.client().configMaps().inNamespace("rocketmq").withName("crosszone-controller-move").get())
                .as("deleted once the controller is re-seeded").isNull();
        assertEndsAsAnUninterruptedRun(args);
    }

    @Test
    @Order(3)
    void rebalanceMastersKilledBetweenTwoElections_aReRunMovesTheRest() throws Exception {
        assertThat(LocalRocketMqCluster.poll(Duration.ofSeconds(90), Duration.ofMillis(250), SigkillLabTest::setsFull))
                .as("every SyncStateSet full before the test").isTrue();
        // both masters off their planned replica (replica 1 of each group)
        try (AdminRocketMqGateway gw = lab.rocketmq().gateway(Duration.ofSeconds(3))) {
            Map<String, Integer> now = masters();
            for (String group : GROUPS) {
                if (Integer.valueOf(1).equals(now.get(group))) {
                    continue;
                }
                long id = idOf(gw, group, 1);
                gw.electMaster(lab.rocketmq().clusterName(), group, id);
            }
        }
        // the old master rejoins the new master's SyncStateSet a moment later: only then may it be elected back
        assertThat(LocalRocketMqCluster.poll(Duration.ofSeconds(90), Duration.ofMillis(250),
                () -> masters().equals(Map.of("broker-0", 1, "broker-1", 1)) && setsFull())).as("masters moved to replica 1: "
                + masters()).isTrue();

        List<String> args = new ArrayList<>(List.of("verify-distribution", "--rebalance-masters", "--converge-timeout", "60s"));
        args.addAll(LabRollout.zoneArgs(lab));
        args.addAll(controllerZone);
        Path log = dir.resolve("rebalance.log");
        child = startChild(args, log);
        // killed as soon as it has asked for the first election, before the second group
        String at = SigkillAt.progressLine(child, log, Pattern.compile("broker-\\d: electing replica 0"), Duration.ofMinutes(3));
        System.out.println("[sigkill lab] verify --rebalance-masters killed (exit " + child.exitValue() + ") just after: " + at);
        System.out.println("[sigkill lab] masters after the kill: " + masters());

        args.addAll(List.of("-o", "json"));
        LabRollout.Run again = LabRollout.cli(lab, args.toArray(String[]::new));
        assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
        assertThat(masters()).isEqualTo(Map.of("broker-0", 0, "broker-1", 0));
        LabRollout.Run third = LabRollout.cli(lab, args.toArray(String[]::new));
        assertThat(third.exitCode()).as(third.out() + third.err()).isZero();
        assertThat(third.err()).as("nothing left to elect").doesNotContain("electing replica");
    }

    /** What ApplyAffinityLabTest asserts of an uninterrupted apply-affinity. */
    private static void assertEndsAsAnUninterruptedRun(List<String> applyArgs) throws Exception {
        assertThat(masters()).isEqualTo(Map.of("broker-0", 0, "broker-1", 0));
        try (AdminRocketMqGateway gw = lab.rocketmq().gateway(Duration.ofSeconds(3))) {
            gw.syncStateSets(GROUPS).forEach((g, set) -> {
                System.out.println("[sigkill lab] " + g + " SyncStateSet " + set.inSync() + ", not in sync " + set.notInSync());
                assertThat(set.notInSync()).as(g + ": ids no broker uses, or a replica out of sync").isEmpty();
                assertThat(set.inSync()).as(g).hasSize(2);
            });
        }
        LabRollout.Run third = LabRollout.cli(lab, applyArgs.toArray(String[]::new));
        assertThat(third.exitCode()).as(third.out() + third.err()).isZero();
        JsonNode doc = JSON.readTree(third.out());
        assertThat(doc.get("changes")).as("a further run writes, restarts and elects nothing").isEmpty();
        assertThat(doc.get("failBacks")).isEmpty();
        List<String> verify = new ArrayList<>(List.of("verify-distribution", "-o", "json", "--converge-timeout", "60s"));
        verify.addAll(LabRollout.zoneArgs(lab));
        verify.addAll(controllerZone);
        LabRollout.Run v = LabRollout.cli(lab, verify.toArray(String[]::new));
        assertThat(v.exitCode()).as(v.out() + v.err()).isZero();
    }

    private static boolean setsFull() {
        try (AdminRocketMqGateway gw = lab.rocketmq().gateway(Duration.ofSeconds(3))) {
            return gw.syncStateSets(GROUPS).values().stream().allMatch(set -> set.aliveInSync() == 2);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Each group's master as a replica index, as the name server lists it. */
    private static Map<String, Integer> masters() {
        Map<String, Integer> out = new TreeMap<>();
        try (AdminRocketMqGateway gw = lab.rocketmq().gateway(Duration.ofSeconds(3))) {
            ClusterView view = gw.clusterView(false);
            for (String group : GROUPS) {
                view.masterAddress(group).ifPresent(a -> out.put(group, replicaAt(a)));
            }
        } catch (RuntimeException e) {
            return Map.of();
        }
        return out;
    }

    /** The replica (StatefulSet {@code <group>-<replica>}) whose pod has this address's IP. */
    private static int replicaAt(String address) {
        String ip = address.replaceFirst(":\\d+$", "");
        return lab.client().pods().inNamespace("rocketmq").list().getItems().stream()
                .filter(p -> p.getStatus() != null && ip.equals(p.getStatus().getPodIP()))
                .map(p -> p.getMetadata().getName().replaceFirst("^broker-\\d+-(\\d+)-0$", "$1"))
                .filter(s -> s.matches("\\d+")).map(Integer::parseInt).findFirst().orElse(-1);
    }

    /** The controller's id of a group's replica, from the controller's own record of the group. */
    private static long idOf(AdminRocketMqGateway gw, String group, int replica) {
        String ip = lab.client().pods().inNamespace("rocketmq").withName(group + "-" + replica + "-0").get().getStatus().getPodIP();
        return gw.syncStateSets(List.of(group)).get(group).inSync().stream()
                .filter(r -> r.address().startsWith(ip + ":")).mapToLong(r -> r.brokerId()).findFirst()
                .orElseThrow(() -> new AssertionError(group + " replica " + replica + " (" + ip + ") not in sync"));
    }

    private Process startChild(List<String> args, Path log) throws Exception {
        Path kubeconfig = lab.writeKubeconfig(dir.resolve("kubeconfig"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Crosszone.class.getName()));
        cmd.addAll(args);
        cmd.addAll(List.of("--kubeconfig", kubeconfig.toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
