package io.crosszone.tasks.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crosszone.lab.LabEnvironment;
import io.crosszone.lab.LabRollout;
import io.crosszone.lab.LabShape;
import io.crosszone.lab.operator.OperatorDouble;
import io.crosszone.lab.rocketmq.LocalRocketMqCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * verify-distribution through the CLI against the lab: the mock API with the operator, scheduler
 * and kubelet doubles, and a real RocketMQ cluster whose member addresses are the pods' IPs.
 * One lab for the class; the tests run in order, each leaving the cluster healthy.
 */
@Tag("process") // starts processes (RocketMQ JVMs, a lab, podman): not in the fast run (README)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerifyDistributionLabTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static LabEnvironment lab;
    static final StringBuilder LOG = new StringBuilder();
    static Path reports;

    @BeforeAll
    static void rollOut() throws Exception {
        reports = Files.createTempDirectory("verify-lab");
        lab = LabEnvironment.start(new LabShape(2, 2, List.of("az1", "az2"), 2, OperatorDouble.Flavour.UPSTREAM, true,
                Path.of("target/lab-verify")), line -> {
                    synchronized (LOG) {
                        LOG.append(line).append('\n');
                    }
                });
        LabRollout.labelAndSwitch(lab, reports, LOG);
        LabRollout.forcePlannedPlacement(lab);
    }

    @AfterAll
    static void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    static JsonNode verify(int expectedExit, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("verify-distribution", "-o", "json", "--report-dir", reports.toString()));
        args.addAll(LabRollout.zoneArgs(lab));
        args.addAll(List.of(extra));
        LabRollout.Run run = LabRollout.cli(lab, args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(expectedExit);
        return JSON.readTree(run.out());
    }

    static JsonNode check(JsonNode doc, String name) {
        for (JsonNode c : doc.get("checks")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + doc);
    }

    @Test
    @Order(1)
    void theRolledOutPlacementPasses() throws Exception {
        JsonNode doc = verify(0, "--rebalance-masters", "--fix-topics");
        assertThat(doc.get("passed").asBoolean()).isTrue();
        assertThat(doc.get("brokers")).hasSize(4);
        // RocketMQ's addresses are the pods' IPs (127.x, or the lab's network-namespace block)
        java.util.Set<String> podIps = new java.util.HashSet<>();
        lab.client().pods().inNamespace("rocketmq").list().getItems()
                .forEach(p -> podIps.add(p.getStatus() == null ? null : p.getStatus().getPodIP()));
        for (JsonNode b : doc.get("brokers")) {
            assertThat(b.get("role").asText()).isEqualTo(b.get("replica").asInt() == 0 ? "master" : "slave");
            assertThat(b.get("inSync").asBoolean()).isTrue();
            assertThat(podIps).contains(b.get("address").asText().replaceFirst(":\\d+$", ""));
        }
        assertThat(check(doc, "sync-state-full").get("passed").asBoolean()).isTrue();
        assertThat(check(doc, "lint-all-ack-in-sync-state-set").get("passed").asBoolean()).isTrue();
        String junit = Files.readString(reports.resolve("verify-distribution.xml"));
        assertThat(junit).contains("<testsuite name=\"crosszone.verify-distribution\"").contains("failures=\"0\"");
    }

    @Test
    @Order(2)
    void aMasterMovedByKillingABrokerIsSeen() throws Exception {
        LocalRocketMqCluster rocketmq = lab.rocketmq();
        rocketmq.awaitHealthy(Duration.ofSeconds(90));
        String master = rocketmq.broker(0, 0).address();
        lab.client().pods().inNamespace("rocketmq").withName("broker-0-0-0").withGracePeriod(0).delete();
        // the new master is elected at once and listed once it registers with the name servers (a
        // registration round waits for every name server; under CI's load it once took over 30 s)
        assertThat(LocalRocketMqCluster.poll(Duration.ofSeconds(90), Duration.ofMillis(200), () -> {
            try (var gw = rocketmq.gateway(Duration.ofSeconds(2))) {
                return gw.clusterView(false).masterAddress("broker-0").filter(a -> !a.startsWith(master + ":")).isPresent();
            } catch (RuntimeException e) {
                return false;
            }
        })).as(LOG.toString()).isTrue();
        rocketmq.awaitHealthy(Duration.ofSeconds(90));
        LocalRocketMqCluster.poll(Duration.ofSeconds(30), Duration.ofMillis(200),
                () -> io.crosszone.k8s.K8sStatus.podReady(lab.client().pods().inNamespace("rocketmq").withName("broker-0-0-0").get()));
        JsonNode doc = verify(1);
        JsonNode b01 = doc.get("brokers").get(1);
        assertThat(b01.get("statefulSet").asText()).isEqualTo("broker-0-1");
        assertThat(b01.get("role").asText()).isEqualTo("master");
        // both masters now in one zone: the balance check names it
        assertThat(check(doc, "masters-balanced").get("passed").asBoolean()).isFalse();
        assertThat(check(doc, "masters-balanced").get("message").asText()).contains("all masters are in one zone");
        // moving it back
        JsonNode fixed = verify(0, "--rebalance-masters");
        assertThat(fixed.get("brokers").get(0).get("role").asText()).isEqualTo("master");
    }

    @Test
    @Order(3)
    void anOutOfSyncSlaveIsSeen() throws Exception {
        LocalRocketMqCluster rocketmq = lab.rocketmq();
        rocketmq.broker(1, 1).freeze();
        try {
            assertThat(LocalRocketMqCluster.poll(Duration.ofSeconds(30), Duration.ofMillis(250), () -> {
                try (var gw = rocketmq.gateway(Duration.ofSeconds(2))) {
                    return gw.syncStateSet("broker-1").map(s -> s.aliveInSync() < 2).orElse(false);
                } catch (RuntimeException e) {
                    return false;
                }
            })).as(LOG.toString()).isTrue();
            // judged after a short converge timeout: still out of sync, and the report says it waited
            JsonNode doc = verify(1, "--converge-timeout", "3s");
            assertThat(check(doc, "sync-state-full").get("message").asText()).contains("broker-1: 1/2");
            assertThat(doc.get("warnings").toString()).contains("still failing after waiting");

            // thawed while a verify waits: the slave catches up into the SyncStateSet and the verify passes
            var thaw = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(3000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                rocketmq.broker(1, 1).thaw();
            });
            JsonNode settled = verify(0, "--converge-timeout", "120s");
            thaw.join();
            System.out.println("[verify-lab] thawed after 3 s: " + settled.get("warnings"));
            assertThat(check(settled, "sync-state-full").get("passed").asBoolean()).isTrue();
            assertThat(settled.get("warnings").toString()).contains("[sync-state-full] failed at first and passed after");
        } finally {
            rocketmq.broker(1, 1).thaw();
        }
        rocketmq.awaitHealthy(Duration.ofSeconds(90));
    }

    @Test
    @Order(4)
    void aRevertedStatefulSetAffinityAndAGroupInOneZoneAreSeen() throws Exception {
        lab.client().apps().statefulSets().inNamespace("rocketmq").withName("broker-1-0").edit(s -> {
            s.getSpec().getTemplate().getSpec().setAffinity(null);
            return s;
        });
        JsonNode doc = verify(1);
        assertThat(check(doc, "affinity-drift").get("message").asText()).contains("broker-1-0 affinity differs");
    }
}
