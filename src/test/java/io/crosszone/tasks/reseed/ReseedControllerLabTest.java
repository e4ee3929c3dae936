package io.crosszone.tasks.reseed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crosszone.lab.LabEnvironment;
import io.crosszone.lab.LabRollout;
import io.crosszone.lab.LabShape;
import io.crosszone.lab.RolloutProbe;
import io.crosszone.lab.operator.OperatorDouble;
import io.crosszone.lab.rocketmq.LocalRocketMqCluster;
import io.crosszone.k8s.K8sStatus;
import io.crosszone.k8s.VolumeTopology;
import io.crosszone.rocketmq.AdminRocketMqGateway;
import io.crosszone.rocketmq.ControllerReseeder;
import io.crosszone.tasks.ControllerReplacement;
import io.crosszone.rocketmq.SyncStateSet;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbook's zone-B case as an SRE meets it, with no drill around it: the controller's zone goes
 * silent, its zonal volume cannot follow it, so it is started empty in the other zone (claim deleted,
 * as the runbook's "delete the controller pod" then has to); reseed-controller re-seeds it from the
 * last verify-distribution's controller-metadata.json. Real RocketMQ 5.1.4, zonal volumes.
 */
@Tag("process") // starts RocketMQ JVMs: not in the fast run (README)
class ReseedControllerLabTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CUT = "crosszone.io/test-cut";
    private static final List<String> GROUPS = List.of("broker-0", "broker-1");

    @Test
    void anEmptyControllerIsReseededFromTheLastVerifyAndTheReturningZoneRejoins(@TempDir Path reports) throws Exception {
        StringBuilder log = new StringBuilder();
        LabShape shape = new LabShape(2, 2, List.of("az1", "az2"), 3, OperatorDouble.Flavour.UPSTREAM, true,
                Path.of("target/lab-reseed"));
        try (LabEnvironment lab = LabEnvironment.start(shape, line -> {
            synchronized (log) {
                log.append(line).append('\n');
            }
        })) {
            LabRollout.labelAndSwitch(lab, reports, log);
            LabRollout.forcePlannedPlacement(lab);

            // the last known state: what a scheduled verify-distribution leaves in its report dir
            Path verifyDir = reports.resolve("verify");
            List<String> verify = new ArrayList<>(List.of("verify-distribution", "-o", "json", "--report-dir", verifyDir.toString()));
            verify.addAll(LabRollout.zoneArgs(lab));
            LabRollout.cli(lab, verify.toArray(String[]::new));
            Path known = verifyDir.resolve("controller-metadata.json");
            assertThat(known).exists();
            assertThat(KnownState.read(known)).containsOnlyKeys(GROUPS);

            String lost = zoneOf(lab, "controller-0");
            String other = lost.equals("az1") ? "az2" : "az1";
            try (RolloutProbe probe = RolloutProbe.start(lab.rocketmq().nameServerList(), lab.rocketmq().controllerList(), GROUPS)) {
                Thread.sleep(2_000);
                long cut = System.nanoTime();
                cutZone(lab, lost);
                // the controller's volume cannot leave the lost zone: it starts empty in the other one
                Pod controller = lab.client().pods().inNamespace("rocketmq").withName("controller-0").get();
                VolumeTopology.claims(controller).forEach(c -> lab.client().persistentVolumeClaims().inNamespace("rocketmq")
                        .withName(c).delete());
                lab.client().pods().inNamespace("rocketmq").withName("controller-0").withGracePeriod(0).delete();
                assertThat(LocalRocketMqCluster.poll(Duration.ofSeconds(120), Duration.ofMillis(250), () -> {
                    Pod c = lab.client().pods().inNamespace("rocketmq").withName("controller-0").get();
                    return c != null && K8sStatus.podReady(c) && other.equals(zoneOf(lab, "controller-0"));
                })).as("controller-0 Ready in " + other).isTrue();
                System.out.printf("[reseed lab] controller-0 Ready, empty, in %s %.1f s after the cut%n", other, (System.nanoTime() - cut) / 1e9);

                List<String> args = new ArrayList<>(List.of("reseed-controller", "-o", "json", "--known-state", known.toString(),
                        "--lost-zone", lost, "--report-dir", reports.resolve("reseed").toString()));
                args.addAll(LabRollout.zoneArgs(lab));
                LabRollout.Run dry = LabRollout.cli(lab, with(args, "--dry-run"));
                assertThat(dry.exitCode()).as(dry.out() + dry.err()).isZero();
                assertThat(JSON.readTree(dry.out()).get("changes")).as("a dry run writes nothing").isEmpty();

                // a run cut off on the way (killed between a group's first id and its election) leaves the group on
                // the controller with ids and no master: made so here for one group, by the same request the task
                // sends first (id 1, or the placeholder id 1 at the lowest id's address); the run must finish it
                String cutOff = GROUPS.get(0);
                SyncStateSet record = KnownState.read(known).get(cutOff);
                long lowest = java.util.stream.Stream.concat(record.inSync().stream(), record.notInSync().stream())
                        .mapToLong(r -> r.brokerId()).min().orElseThrow();
                String lowestAddress = java.util.stream.Stream.concat(record.inSync().stream(), record.notInSync().stream())
                        .filter(r -> r.brokerId() == lowest).findFirst().orElseThrow().address();
                String controllerIp = lab.client().pods().inNamespace("rocketmq").withName("controller-0").get().getStatus().getPodIP();
                try (ControllerReseeder cutOffRun = new ControllerReseeder(ControllerReplacement.addresses(List.of(controllerIp)),
                        Duration.ofSeconds(3))) {
                    assertThat(cutOffRun.applyBrokerId(cutOffRun.leader(), "broker", cutOff, 1, lowestAddress)).isTrue();
                    assertThat(cutOffRun.groupSet(cutOff)).hasValueSatisfying(g -> assertThat(g.masterBrokerId()).isNull());
                }

                LabRollout.Run run = LabRollout.cli(lab, args.toArray(String[]::new));
                assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
                assertThat(JSON.readTree(run.out()).get("resumed").toString()).isEqualTo("[\"" + cutOff + "\"]");
                System.out.printf("[reseed lab] reseed-controller done %.1f s after the cut%n", (System.nanoTime() - cut) / 1e9);
                run.err().lines().forEach(l -> System.out.println("[reseed lab]   " + l));
                JsonNode doc = JSON.readTree(run.out());
                assertThat(doc.get("refused")).isEmpty();
                assertThat(doc.get("reseeded")).extracting(g -> g.get("group").asText()).containsExactlyInAnyOrderElementsOf(GROUPS);
                // read on each look: the re-seeded masters are being restarted (their pods recreated)
                assertThat(LocalRocketMqCluster.poll(Duration.ofSeconds(120), Duration.ofMillis(250),
                        () -> mastersAt(lab, ipsOutside(lab, lost)))).as("every group has a master outside " + lost).isTrue();
                double seconds = (System.nanoTime() - cut) / 1e9;
                System.out.printf("[reseed lab] %s lost with the controller; every group has a master in %s %.1f s after the cut%n",
                        lost, other, seconds);

                LabRollout.Run again = LabRollout.cli(lab, args.toArray(String[]::new));
                assertThat(again.exitCode()).as(again.out() + again.err()).isZero();
                assertThat(JSON.readTree(again.out()).get("changes")).as("a second run writes nothing").isEmpty();
                assertThat(JSON.readTree(again.out()).get("leftAlone")).hasSize(GROUPS.size());

                // the zone comes back: its replicas rejoin once the SyncStateSet epochs are realigned
                restoreZone(lab, lost);
                LabRollout.Run realign = LabRollout.cli(lab, with(List.of("reseed-controller", "-o", "json", "--realign",
                        "--known-state", known.toString()), LabRollout.zoneArgs(lab).toArray(String[]::new)));
                assertThat(realign.exitCode()).as(realign.out() + realign.err()).isZero();
                assertThat(LocalRocketMqCluster.poll(Duration.ofSeconds(120), Duration.ofMillis(500), () -> allFull(lab)))
                        .as("every SyncStateSet full again").isTrue();
                System.out.printf("[reseed lab] zone back, every SyncStateSet full %.1f s after the cut%n", (System.nanoTime() - cut) / 1e9);

                RolloutProbe.Outcome out = probe.finish();
                System.out.println("[reseed lab] probe: " + out.summary());
                assertThat(out.lost()).as("acknowledged and lost").isZero();
                assertThat(out.acked()).isPositive();
            }
        }
    }

    private static String[] with(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private static String zoneOf(LabEnvironment lab, String pod) {
        Pod p = lab.client().pods().inNamespace("rocketmq").withName(pod).get();
        String node = p == null ? null : p.getSpec().getNodeName();
        return node == null ? null : lab.client().nodes().withName(node).get().getMetadata().getLabels().get("az");
    }

    /** The zone goes silent: every pod on its nodes cut off by a deny-all NetworkPolicy (the lab drops their packets), nodes cordoned. */
    private static void cutZone(LabEnvironment lab, String zone) {
        for (Pod p : lab.client().pods().inNamespace("rocketmq").list().getItems()) {
            if (p.getSpec().getNodeName() != null && zone.equals(zoneOf(lab, p.getMetadata().getName()))) {
                lab.client().pods().inNamespace("rocketmq").withName(p.getMetadata().getName())
                        .edit(x -> { x.getMetadata().getLabels().put(CUT, "true"); return x; });
            }
        }
        lab.client().network().v1().networkPolicies().inNamespace("rocketmq").resource(new NetworkPolicyBuilder().withNewMetadata()
                .withName("test-cut").endMetadata().withNewSpec().withNewPodSelector().addToMatchLabels(CUT, "true").endPodSelector()
                .withPolicyTypes("Ingress", "Egress").endSpec().build()).create();
        lab.client().nodes().list().getItems().stream().filter(n -> zone.equals(n.getMetadata().getLabels().get("az")))
                .forEach(n -> lab.client().nodes().withName(n.getMetadata().getName()).edit(x -> {
                    x.getSpec().setUnschedulable(true);
                    return x;
                }));
    }

    private static void restoreZone(LabEnvironment lab, String zone) {
        lab.client().network().v1().networkPolicies().inNamespace("rocketmq").withName("test-cut").delete();
        for (Pod p : lab.client().pods().inNamespace("rocketmq").list().getItems()) {
            if (p.getMetadata().getLabels() != null && p.getMetadata().getLabels().containsKey(CUT)) {
                lab.client().pods().inNamespace("rocketmq").withName(p.getMetadata().getName())
                        .edit(x -> { x.getMetadata().getLabels().remove(CUT); return x; });
            }
        }
        lab.client().nodes().list().getItems().stream().filter(n -> zone.equals(n.getMetadata().getLabels().get("az")))
                .forEach(n -> lab.client().nodes().withName(n.getMetadata().getName()).edit(x -> {
                    x.getSpec().setUnschedulable(false);
                    return x;
                }));
    }

    private static Set<String> ipsOutside(LabEnvironment lab, String zone) {
        return lab.client().pods().inNamespace("rocketmq").list().getItems().stream()
                .filter(p -> p.getSpec().getNodeName() != null && p.getStatus() != null
                        && zoneOf(lab, p.getMetadata().getName()) != null && !zone.equals(zoneOf(lab, p.getMetadata().getName())))
                .map(p -> p.getStatus().getPodIP()).filter(ip -> ip != null).collect(Collectors.toSet());
    }

    private static boolean mastersAt(LabEnvironment lab, Set<String> ips) {
        try (AdminRocketMqGateway gw = lab.rocketmq().gateway(Duration.ofSeconds(3))) {
            var view = gw.clusterView(false);
            return GROUPS.stream().allMatch(g -> view.masterAddress(g).map(a -> ips.contains(a.substring(0, a.lastIndexOf(':'))))
                    .orElse(false));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean allFull(LabEnvironment lab) {
        try (AdminRocketMqGateway gw = lab.rocketmq().gateway(Duration.ofSeconds(3))) {
            Map<String, SyncStateSet> sets = gw.syncStateSets(GROUPS);
            return sets.size() == GROUPS.size() && sets.values().stream().allMatch(s -> s.hasMaster() && s.aliveInSync() >= 2);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
