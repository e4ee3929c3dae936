package io.crosszone.lab.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.plan.reseed.ControllerReseedPlan;
import io.crosszone.plan.reseed.GroupEvidence;
import io.crosszone.plan.reseed.KnownGroupState;
import io.crosszone.plan.reseed.ReplicaReport;
import io.crosszone.plan.reseed.ReseedDecision;
import io.crosszone.rocketmq.ControllerReseeder;
import io.crosszone.rocketmq.Replica;
import io.crosszone.rocketmq.SyncStateSet;
import io.crosszone.rocketmq.probe.MessageProbe;
import io.crosszone.rocketmq.probe.ProbeResult;
import io.crosszone.rocketmq.probe.ProbeSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The runbook's zone-B loss on real 5.1.4 JVMs: the only controller and one broker per group are
 * lost together, the controller comes back empty, and the repair (ControllerReseedPlan +
 * ControllerReseeder) re-registers the survivors and elects the in-sync one in each group.
 */
@Tag("process") // starts RocketMQ JVMs: not in the fast run (README)
class ControllerReseedTest {
    private static final BenchResults bench = new BenchResults("controller-reseed");
    @RegisterExtension
    static final RealCluster real = RealCluster.of(LocalRocketMqCluster.builder().clusterName("rs").groups(2)
            .replicasPerGroup(2).fastFailureDetection(true), Duration.ofSeconds(3));

    @Test
    void anEmptyControllerIsReseededAndTheInSyncSurvivorsBecomeMastersWithoutLoss() {
        String topic = "probe-reseed";
        real.createTopicOnEveryGroup(topic, 4);
        ProbeSpec spec = ProbeSpec.of(real.cluster().nameServerList(), topic).withInterval(Duration.ofMillis(50))
                .withRouteRefresh(Duration.ofSeconds(3));
        try (MessageProbe probe = MessageProbe.start(spec);
             ControllerReseeder reseeder = new ControllerReseeder(List.of(real.cluster().controllerList().split(";")),
                     Duration.ofSeconds(3))) {
            RocketMqProcess.sleep(2_000);
            // what the drill reads before the cut
            Map<String, SyncStateSet> before = real.gateway().syncStateSets(real.cluster().groupNames());
            // zone B: group 0's master, group 1's slave, and the controller
            List<RocketMqProcess> lost = new ArrayList<>();
            Map<String, String> survivors = new HashMap<>();
            Map<String, Replica> victims = new HashMap<>();
            for (int g = 0; g < 2; g++) {
                SyncStateSet s = before.get(real.cluster().groupName(g));
                String master = s.masterAddress();
                boolean loseMaster = g == 0;
                Replica victim = s.inSync().stream().filter(r -> r.address().equals(master) == loseMaster)
                        .findFirst().orElseThrow();
                lost.add(real.memberAt(victim.address()));
                victims.put(s.group(), victim);
                Replica survivor = s.inSync().stream().filter(r -> r != victim).findFirst().orElseThrow();
                survivors.put(s.group(), survivor.address());
            }
            long t0 = System.nanoTime();
            // the controller goes first: were it still up when the master died, it would elect the
            // survivor itself (at a higher epoch) and the test would pass without the repair's barrier
            real.cluster().controller(0).kill();
            lost.forEach(RocketMqProcess::kill);
            real.cluster().controller(0).restartWithEmptyData();
            assertThat(real.cluster().controller(0).awaitListening(Duration.ofSeconds(30))).isTrue();

            List<GroupEvidence> evidence = new ArrayList<>();
            before.forEach((g, s) -> {
                Map<Long, String> ids = new HashMap<>();
                s.inSync().forEach(r -> ids.put(r.brokerId(), r.address()));
                s.notInSync().forEach(r -> ids.put(r.brokerId(), r.address()));
                long survivorId = ids.entrySet().stream().filter(e -> e.getValue().equals(survivors.get(g)))
                        .findFirst().orElseThrow().getKey();
                ReplicaReport report = reseeder.report(survivors.get(g), survivorId, survivors.get(g).equals(s.masterAddress()));
                evidence.add(new GroupEvidence(g, List.of(report), Optional.of(new KnownGroupState(ids,
                        s.inSync().stream().map(Replica::brokerId).collect(Collectors.toSet()), s.masterEpoch()))));
            });
            List<ReseedDecision> decisions = ControllerReseedPlan.decide(evidence, false);
            bench.put("decisions", decisions.stream().map(Object::toString).toList());
            assertThat(decisions).allMatch(d -> d instanceof ReseedDecision.Elect);
            List<ControllerReseeder.Outcome> outcomes = new ArrayList<>();
            for (ReseedDecision d : decisions) {
                outcomes.add(reseeder.execute(real.cluster().clusterName(), (ReseedDecision.Elect) d));
            }
            bench.put("outcomes", outcomes.stream().map(Object::toString).toList());
            assertThat(outcomes).as("each new master epoch is above every epoch the survivors knew")
                    .allMatch(ControllerReseeder.Outcome::epochBarrierMet);
            for (ReseedDecision d : decisions) {
                ControllerReseeder.Outcome again = reseeder.execute(real.cluster().clusterName(), (ReseedDecision.Elect) d);
                assertThat(again.steps()).as("a re-run changes nothing").singleElement().asString().startsWith("already master");
            }
            boolean masters = LocalRocketMqCluster.poll(Duration.ofSeconds(60), Duration.ofMillis(200), () -> {
                try {
                    Map<String, String> m = real.gateway().clusterView(false).masters();
                    return survivors.entrySet().stream().allMatch(e -> e.getValue().equals(m.get(e.getKey())));
                } catch (RuntimeException e) {
                    return false;
                }
            });
            bench.put("lossToMasterInEveryGroupMs", masters ? (System.nanoTime() - t0) / 1_000_000 : -1);
            bench.put("syncStateSetsAfter", ControllerDataLossTest.describe(real.syncStateSetsOrEmpty()));
            assertThat(masters).as("the in-sync survivor is master in every group").isTrue();

            // the zone comes back: the lost replicas restart on their old data and rejoin as slaves; once the
            // group's SyncStateSet epoch is above what its master knew (it may have been master under the old
            // controller, at a higher SyncStateSet epoch), the master takes the caught-up replica back
            long back = System.nanoTime();
            lost.forEach(RocketMqProcess::start);
            for (Map.Entry<String, Replica> v : victims.entrySet()) {
                String g = v.getKey();
                long masterId = before.get(g).inSync().stream().filter(r -> r.address().equals(survivors.get(g)))
                        .findFirst().orElseThrow().brokerId();
                boolean caughtUp = LocalRocketMqCluster.poll(Duration.ofSeconds(90), Duration.ofMillis(500), () -> {
                    try {
                        long masterEnd = reseeder.report(survivors.get(g), masterId, true).maxOffset();
                        return reseeder.report(v.getValue().address(), v.getValue().brokerId(), false).maxOffset() >= masterEnd;
                    } catch (RuntimeException e) {
                        return false;
                    }
                });
                assertThat(caughtUp).as(g + ": the returning replica catches up with the master").isTrue();
                boolean raised = LocalRocketMqCluster.poll(Duration.ofSeconds(60), Duration.ofMillis(500), () -> {
                    try {
                        bench.put("syncStateSetEpoch-" + g, reseeder.raiseSyncStateSetEpoch(g, v.getValue().brokerId(),
                                before.get(g).syncStateSetEpoch() + 5));
                        return true;
                    } catch (RuntimeException e) {
                        return false; // not yet alive on the controller
                    }
                });
                assertThat(raised).as(g + ": SyncStateSet epoch raised").isTrue();
            }
            boolean whole = LocalRocketMqCluster.poll(Duration.ofSeconds(60), Duration.ofMillis(500), () -> {
                try {
                    return real.gateway().syncStateSets(real.cluster().groupNames()).values().stream()
                            .allMatch(x -> x.hasMaster() && x.aliveInSync() == 2);
                } catch (RuntimeException e) {
                    return false;
                }
            });
            bench.put("returnToFullSyncStateSetsMs", whole ? (System.nanoTime() - back) / 1_000_000 : -1);
            bench.put("syncStateSetsAfterReturn", ControllerDataLossTest.describe(real.syncStateSetsOrEmpty()));
            assertThat(whole).as("the returning replicas are back in every SyncStateSet").isTrue();

            RocketMqProcess.sleep(8_000);
            ProbeResult result = probe.finish(Duration.ofSeconds(60));
            bench.put("probe", result.summary());
            assertThat(result.acked()).isGreaterThan(50);
            assertThat(result.lostKeys()).as("acknowledged but lost").isEmpty();
        }
    }
}
