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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * apply-affinity through the CLI against the lab: the mock API with the operator, scheduler and
 * kubelet doubles, and real RocketMQ processes whose addresses are the pods' IPs (2 groups x 2
 * brokers over az1, az2, 3 nodes per zone: a spare each). Restarting each group's master makes
 * the real controller fail over; apply-affinity must end with every master back on replica 0,
 * as RocketMQ's name server lists it, and a second run must write and elect nothing.
 */
@Tag("process") // starts processes (RocketMQ JVMs, a lab, podman): not in the fast run (README)
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
            // the controller is planned in the zone it was NOT born in: its zonal volume cannot follow it there
            String controllerNode = lab.client().pods().inNamespace("rocketmq").withName("controller-0").get().getSpec().getNodeName();
            String bornIn = lab.client().nodes().withName(controllerNode).get().getMetadata().getLabels().get("az");
            String controllerZone = bornIn.equals("az1") ? "az2" : "az1";
            args.addAll(List.of("--controller-zone", controllerZone));
            // zonal volumes: a broker whose first pod landed outside its planned zone cannot take its volume along
            LabRollout.Run refused = LabRollout.cli(lab, args.toArray(String[]::new));
            JsonNode refusal = JSON.readTree(refused.out());
            System.out.println("[apply-affinity lab] without --replace-zonal-volumes: exit " + refused.exitCode() + ", "
                    + refusal.path("strandedVolumes"));
            if (refused.exitCode() != 0) {
                assertThat(refused.exitCode()).as(refused.out() + refused.err()).isEqualTo(1);
                assertThat(refusal.get("strandedVolumes")).isNotEmpty();
                assertThat(refusal.get("changes")).as("refused before anything was written").isEmpty();
            }
            args.add("--replace-zonal-volumes");
            long start = System.nanoTime();
            LabRollout.Run run = LabRollout.cli(lab, args.toArray(String[]::new));
            double took = (System.nanoTime() - start) / 1e9;
            assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
            run.err().lines().filter(l -> l.matches(".*\\] broker-\\d: .*")).forEach(l -> System.out.println("[apply-affinity lab]   " + l));
            JsonNode doc = JSON.readTree(run.out());
            assertThat(doc.get("verdict").asText()).isEqualTo("passed");
            // moved on a new volume, the controller was re-seeded from the groups as they were
            String changes = doc.get("changes").toString();
            assertThat(changes).contains("controller-storage-controller-0", "\"reseed\"");
            System.out.println("[apply-affinity lab] controller " + bornIn + " -> " + controllerZone + ": " + doc.get("changes").findValues("detail")
                    .stream().map(JsonNode::asText).filter(d -> d.contains("epoch")).toList());
            String controllerNow = lab.client().pods().inNamespace("rocketmq").withName("controller-0").get().getSpec().getNodeName();
            assertThat(lab.client().nodes().withName(controllerNow).get().getMetadata().getLabels().get("az")).isEqualTo(controllerZone);
            for (JsonNode f : doc.get("failBacks")) {
                System.out.printf("[apply-affinity lab] fail-back %s: replica %d (%s) -> replica %d (%s), listed after %.1f s,"
                        + " SyncStateSet full after %.1f s%n", f.get("group").asText(), f.get("fromReplica").asInt(),
                        f.get("fromZone").asText(), f.get("toReplica").asInt(), f.get("toZone").asText(),
                        f.get("listedSeconds").asDouble(), f.get("seconds").asDouble());
            }
            System.out.printf("[apply-affinity lab] apply-affinity %.1f s, %d restarts, masters per zone %s%n", took,
                    doc.get("restarts").size(), doc.get("mastersPerZone"));

            // a master about to be restarted hands over to an in-sync slave first (a planned switch); a group is
            // elected back at the end exactly when its master after the steps is not its planned replica 0: the
            // last switch's target, or, with no switch, the master it had (a restarted master always switches)
            List<String> electedBack = new ArrayList<>();
            doc.get("failBacks").forEach(f -> electedBack.add(f.get("group").asText()));
            String order = doc.get("plannedRestartOrder").toString();
            System.out.println("[apply-affinity lab] restart order " + order + ", planned switches " + doc.get("plannedSwitches"));
            for (String group : List.of("broker-0", "broker-1")) {
                Integer masterAfterSteps = null;
                for (JsonNode sw : doc.get("plannedSwitches")) {
                    if (sw.get("group").asText().equals(group)) {
                        masterAfterSteps = sw.get("to").asInt();
                    }
                }
                if (masterAfterSteps == null) {
                    assertThat(order).as(group + ": a master restarted without a planned switch").doesNotContain(group + "-0 (master)")
                            .doesNotContain(group + "-1 (master)");
                    continue; // its master never went down: where it was is not in the report
                }
                assertThat(electedBack.contains(group)).as(group + " elected back iff its master after the steps ("
                        + masterAfterSteps + ") is not replica 0; order " + order).isEqualTo(masterAfterSteps != 0);
            }
            assertThat(masters(lab)).as(log.toString().lines().filter(l -> l.contains("apply-affinity")).toList().toString())
                    .containsExactlyInAnyOrderEntriesOf(Map.of("broker-0", 0, "broker-1", 0));
            assertThat(doc.get("mastersPerZone").toString()).isEqualTo("{\"az1\":1,\"az2\":1}");
            // a broker whose claim was replaced came back under a new controller id: the old one was forgotten
            System.out.println("[apply-affinity lab] old controller ids forgotten: " + doc.get("changes").findValues("detail").stream()
                    .map(JsonNode::asText).filter(d -> d.startsWith("controller ids")).toList());
            try (AdminRocketMqGateway gw = lab.rocketmq().gateway(Duration.ofSeconds(3))) {
                gw.syncStateSets(List.of("broker-0", "broker-1")).forEach((g, set) -> assertThat(set.notInSync())
                        .as(g + ": the controller lists ids no broker uses").isEmpty());
            }

            LabRollout.Run again = LabRollout.cli(lab, args.toArray(String[]::new));
            assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
            JsonNode doc2 = JSON.readTree(again.out());
            assertThat(doc2.get("changes")).as("a second run writes, restarts and elects nothing").isEmpty();
            assertThat(doc2.get("failBacks")).isEmpty();
            assertThat(masters(lab)).containsExactlyInAnyOrderEntriesOf(Map.of("broker-0", 0, "broker-1", 0));

            aBrokerStartedWithStaleNameServersIsSeenAndRestartedWithTheRunningOnes(lab, args, reports);
        }
    }

    /**
     * What a name server that moved leaves behind under allowRestart=false: a broker StatefulSet
     * whose NAMESRV_ADDR still names the old address. Here the template is made so (the first name
     * server and an address no name server has) and the broker restarts from it, as any restart
     * would: it registers with the first name server only, which verify-distribution sees from
     * both sides; apply-affinity then restarts it with the running name servers.
     */
    private static void aBrokerStartedWithStaleNameServersIsSeenAndRestartedWithTheRunningOnes(LabEnvironment lab,
            List<String> applyArgs, Path reports) throws Exception {
        String[] running = lab.rocketmq().nameServerList().split(";");
        String stale = running[0] + ";127.0.0.1:19876";
        String sts = "broker-0-1";
        lab.client().apps().statefulSets().inNamespace("rocketmq").withName(sts).edit(s -> {
            s.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                    .filter(e -> e.getName().equals("NAMESRV_ADDR")).forEach(e -> e.setValue(stale));
            return s;
        });
        String[] address = new String[1];
        assertThat(LocalRocketMqCluster.poll(Duration.ofSeconds(120), Duration.ofMillis(500), () -> {
            var pod = lab.client().pods().inNamespace("rocketmq").withName(OperatorNames.podOf(sts)).get();
            if (pod == null || !io.crosszone.k8s.K8sStatus.podReady(pod)) {
                return false;
            }
            address[0] = pod.getStatus().getPodIP() + ":" + OperatorNames.BROKER_PORT;
            try (AdminRocketMqGateway gw = lab.rocketmq().gateway(Duration.ofSeconds(3))) {
                var views = gw.clusterViewPerNameServer();
                return views.size() == 2 && listed(views.get(running[0]), address[0]) && !listed(views.get(running[1]), address[0]);
            } catch (RuntimeException e) {
                return false;
            }
        })).as("the restarted broker is listed by the first name server only").isTrue();

        List<String> verifyArgs = new ArrayList<>(List.of("verify-distribution", "-o", "json", "--converge-timeout", "0s"));
        verifyArgs.addAll(LabRollout.zoneArgs(lab));
        int controllerZone = applyArgs.indexOf("--controller-zone"); // where the test moved the controller
        verifyArgs.addAll(applyArgs.subList(controllerZone, controllerZone + 2));
        LabRollout.Run seen = LabRollout.cli(lab, verifyArgs.toArray(String[]::new));
        assertThat(seen.exitCode()).as(seen.out() + seen.err()).isEqualTo(1);
        JsonNode v = JSON.readTree(seen.out());
        assertThat(check(v, "name-servers-agree").get("message").asText())
                .contains("name server " + running[1] + " does not list [" + address[0] + " (" + sts + ")]");
        assertThat(check(v, "broker-name-server-env").get("message").asText())
                .contains(sts + " lacks [" + running[1] + "] and names [127.0.0.1:19876]");

        long start = System.nanoTime();
        LabRollout.Run fix = LabRollout.cli(lab, applyArgs.toArray(String[]::new));
        assertThat(fix.exitCode()).as(fix.out() + fix.err()).isZero();
        JsonNode fixed = JSON.readTree(fix.out());
        assertThat(fixed.get("restarts")).hasSize(1);
        assertThat(fixed.get("changes").toString()).contains("NAMESRV_ADDR " + stale + " -> " + String.join(";",
                new java.util.TreeSet<>(List.of(running))));
        System.out.printf("[apply-affinity lab] stale NAMESRV_ADDR on %s: apply-affinity restarted it in %.1f s%n", sts,
                (System.nanoTime() - start) / 1e9);

        List<String> settle = new ArrayList<>(verifyArgs);
        settle.set(settle.indexOf("0s"), "60s");
        LabRollout.Run after = LabRollout.cli(lab, settle.toArray(String[]::new));
        assertThat(after.exitCode()).as(after.out() + after.err()).isZero();
        assertThat(check(JSON.readTree(after.out()), "broker-name-server-env").get("passed").asBoolean()).isTrue();
    }

    private static boolean listed(io.crosszone.rocketmq.ClusterView view, String address) {
        return view != null && view.group("broker-0").map(g -> g.members().stream().anyMatch(m -> m.address().equals(address)))
                .orElse(false);
    }

    private static JsonNode check(JsonNode doc, String name) {
        for (JsonNode c : doc.get("checks")) {
            if (c.get("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + doc);
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
