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
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The repair refuses a group whose survivor had fallen out of the SyncStateSet before the zone went. */
@Tag("process") // starts RocketMQ JVMs: not in the fast run (README)
class ControllerReseedRefusalTest {
    @RegisterExtension
    static final RealCluster real = RealCluster.of(LocalRocketMqCluster.builder().clusterName("rf").groups(1)
            .replicasPerGroup(2).fastFailureDetection(true), Duration.ofSeconds(3));

    @Test
    void aSurvivorOutsideTheSyncStateSetIsNotElected() {
        String group = real.cluster().groupName(0);
        SyncStateSet full = real.gateway().syncStateSets(List.of(group)).get(group);
        Replica slave = full.inSync().stream().filter(r -> !r.address().equals(full.masterAddress())).findFirst().orElseThrow();
        RocketMqProcess slaveProcess = real.memberAt(slave.address());
        slaveProcess.freeze();
        boolean shrunk = LocalRocketMqCluster.poll(Duration.ofSeconds(60), Duration.ofMillis(250), () -> {
            SyncStateSet s = real.syncStateSetsOrEmpty().get(group);
            return s != null && s.inSync().stream().noneMatch(r -> r.brokerId() == slave.brokerId());
        });
        assertThat(shrunk).as("the master shrank the SyncStateSet").isTrue();
        SyncStateSet before = real.gateway().syncStateSets(List.of(group)).get(group);

        // the master's zone goes, with the controller's data
        real.memberAt(before.masterAddress()).kill();
        real.cluster().controller(0).restartWithEmptyData();
        slaveProcess.thaw();
        assertThat(real.cluster().controller(0).awaitListening(Duration.ofSeconds(30))).isTrue();

        Map<Long, String> ids = new HashMap<>();
        before.inSync().forEach(r -> ids.put(r.brokerId(), r.address()));
        before.notInSync().forEach(r -> ids.put(r.brokerId(), r.address()));
        try (ControllerReseeder reseeder = new ControllerReseeder(List.of(real.cluster().controllerList().split(";")),
                Duration.ofSeconds(3))) {
            ReplicaReport report = reseeder.report(slave.address(), slave.brokerId(), false);
            GroupEvidence evidence = new GroupEvidence(group, List.of(report), Optional.of(new KnownGroupState(ids,
                    before.inSync().stream().map(Replica::brokerId).collect(Collectors.toSet()), before.masterEpoch())));
            ReseedDecision refused = ControllerReseedPlan.decide(evidence, false);
            assertThat(refused).isInstanceOf(ReseedDecision.Refuse.class);
            assertThat(((ReseedDecision.Refuse) refused).reason()).contains("no survivor was in the SyncStateSet");
            ReseedDecision unclean = ControllerReseedPlan.decide(evidence, true);
            assertThat(((ReseedDecision.Elect) unclean).warning()).contains("UNCLEAN").contains(before.masterAddress());
        }
    }
}
