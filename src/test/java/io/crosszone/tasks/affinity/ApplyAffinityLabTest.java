package io.crosszone.tasks.affinity;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crosszone.lab.LabEnvironment;
import io.crosszone.lab.LabRollout;
import io.crosszone.lab.LabShape;
import io.crosszone.lab.operator.OperatorDouble;
import io.crosszone.lab.rocketmq.LocalRocketMqCluster;
import io.crosszone.plan.OperatorNames;
import io.crosszone.rocketmq.AdminRocketMqGateway;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * apply-affinity through the CLI against the lab: the mock API with the operator, scheduler and
 * kubelet doubles, and real RocketMQ processes whose addresses are the pods' IPs (2 groups x 2
 * brokers over az1, az2, 3 nodes per zone: a spare each). Restarting each group's master makes
 * the real controller fail over; apply-affinity must end with every master back on replica 0,
 * as RocketMQ's name server lists it, and a second run must write and elect nothing.
 */
class ApplyAffinityLabTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theRolloutEndsWithEveryMasterOnItsPlannedReplica_measured_andASecondRunElectsNothing(@TempDir Path reports)
            throws Exception {
        StringBuilder log = new StringBuilder();
        LabShape shape = new LabShape(2, 2, List.of("az1", "az2"), 3, OperatorDouble.Flavour.UPSTREAM, true,
                Path.of("target/lab-affinity"));
        try (LabEnvironment lab = LabEnvironment.start(shape, line -> {
            synchronized (log) {
                log.append(line).append('\n');
            }
        })) {
            LabRollout.labelAndSwitch(lab, reports, log);
            lab.rocketmq().awaitHealthy(Duration.ofSeconds(120));
            System.out.println("[apply-affinity lab] masters before: " + masters(lab));

            List<String> args = new ArrayList<>(List.of("apply-affinity", "-o", "json", "--settle", "2s", "--timeout", "5m",
                    "--poll-interval", "500ms", "--report-dir", reports.toString()));
            args.addAll(LabRollout.zoneArgs(lab));
            long start = System.nanoTime();
            LabRollout.Run run = LabRollout.cli(lab, args.toArray(String[]::new));
            double took = (System.nanoTime() - start) / 1e9;
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            run.err().lines().filter(l -> l.matches(".*\\] broker-\\d: .*")).forEach(l -> System.out.println("[apply-affinity lab]   " + l));
            JsonNode doc = JSON.readTree(run.out());
            assertThat(doc.get("verdict").asText()).isEqualTo("passed");
            for (JsonNode f : doc.get("failBacks")) {
                System.out.printf("[apply-affinity lab] fail-back %s: replica %d (%s) -> replica %d (%s), listed after %.1f s,"
                        + " SyncStateSet full after %.1f s%n", f.get("group").asText(), f.get("fromReplica").asInt(),
                        f.get("fromZone").asText(), f.get("toReplica").asInt(), f.get("toZone").asText(),
                        f.get("listedSeconds").asDouble(), f.get("seconds").asDouble());
            }
            System.out.printf("[apply-affinity lab] apply-affinity %.1f s, %d restarts, masters per zone %s%n", took,
                    doc.get("restarts").size(), doc.get("mastersPerZone"));

            // a group whose master was its planned replica 0 when the order was made had it restarted last: the
            // controller failed over to replica 1, and apply-affinity elected replica 0 back (a group whose master was
            // replica 1 failed over to replica 0 by itself); the name server lists replica 0 as every master now
            List<String> electedBack = new ArrayList<>();
            doc.get("failBacks").forEach(f -> electedBack.add(f.get("group").asText()));
            String order = doc.get("plannedRestartOrder").toString();
            System.out.println("[apply-affinity lab] restart order " + order);
            for (String group : List.of("broker-0", "broker-1")) {
                boolean plannedMasterRestartedAsMaster = order.contains(group + "-0 (master)");
                assertThat(electedBack.contains(group)).as(group + " elected back iff its master was replica 0 in " + order)
                        .isEqualTo(plannedMasterRestartedAsMaster);
            }
            assertThat(masters(lab)).as(log.toString().lines().filter(l -> l.contains("apply-affinity")).toList().toString())
                    .containsExactlyInAnyOrderEntriesOf(Map.of("broker-0", 0, "broker-1", 0));
            assertThat(doc.get("mastersPerZone").toString()).isEqualTo("{\"az1\":1,\"az2\":1}");

            LabRollout.Run again = LabRollout.cli(lab, args.toArray(String[]::new));
            assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
            JsonNode doc2 = JSON.readTree(again.out());
            assertThat(doc2.get("changes")).as("a second run writes, restarts and elects nothing").isEmpty();
            assertThat(doc2.get("failBacks")).isEmpty();
            assertThat(masters(lab)).containsExactlyInAnyOrderEntriesOf(Map.of("broker-0", 0, "broker-1", 0));
        }
    }

    /** Each group's master as the name server lists it, as the replica index of the pod with its IP. */
    private static Map<String, Integer> masters(LabEnvironment lab) {
        Map<String, Integer> out = new LinkedHashMap<>();
        assertThat(LocalRocketMqCluster.poll(Duration.ofSeconds(30), Duration.ofMillis(250), () -> {
            out.clear();
            try (AdminRocketMqGateway gw = lab.rocketmq().gateway(Duration.ofSeconds(3))) {
                for (String group : List.of("broker-0", "broker-1")) {
                    String address = gw.clusterView(false).masterAddress(group).orElse(null);
                    for (int replica = 0; replica < 2 && address != null; replica++) {
                        var pod = lab.client().pods().inNamespace("rocketmq")
                                .withName(OperatorNames.podOf(group + "-" + replica)).get();
                        if (pod != null && address.startsWith(pod.getStatus().getPodIP() + ":")) {
                            out.put(group, replica);
                        }
                    }
                }
            } catch (RuntimeException e) {
                return false;
            }
            return out.size() == 2;
        })).as("every group has a listed master on a broker pod").isTrue();
        return out;
    }
}
