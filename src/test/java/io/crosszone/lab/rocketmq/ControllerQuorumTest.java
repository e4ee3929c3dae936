package io.crosszone.lab.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.rocketmq.ControllerMetadata;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three controllers (a DLedger group) spread over two "zones": controllers 0 and 1 in zone A,
 * controller 2 in zone B. Elections need a majority: losing zone A stops them, losing zone B does not.
 */
@Tag("process") // starts processes (RocketMQ JVMs, a lab, podman): not in the fast run (README)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControllerQuorumTest {
    private static final BenchResults bench = new BenchResults("controller-quorum");
    @RegisterExtension
    static final RealCluster real = RealCluster.of(LocalRocketMqCluster.builder().clusterName("q").controllers(3).groups(1)
            .replicasPerGroup(2).fastFailureDetection(true), Duration.ofSeconds(2), bench);

    @AfterEach
    void heal() {
        real.heal(Duration.ofSeconds(90));
    }

    @Test
    @Order(1)
    void losingTheZoneWithOneControllerKeepsElections() {
        assertThat(real.gateway().controllerMetadata().peers()).hasSize(3);
        real.cluster().controller(2).kill();
        assertThat(LocalRocketMqCluster.poll(Duration.ofSeconds(30), Duration.ofMillis(100), real::controllerHasLeader)).isTrue();

        String group = real.cluster().groupName(0);
        String master = real.gateway().clusterView(false).masterAddress(group).orElseThrow();
        long t0 = System.nanoTime();
        real.memberAt(master).kill();
        Optional<Duration> seen = ClusterWatch.awaitNewMasters(real.gateway(), Map.of(group, master),
                t0, Duration.ofSeconds(30));
        bench.put("zoneBLost.masterKilledToNewMasterMs", ClusterWatch.millis(seen));
        assertThat(seen).as("a new master with 2 of 3 controllers").isPresent();
    }

    @Test
    @Order(2)
    void losingTheZoneWithTwoControllersStopsElectionsUntilTheyReturn() {
        real.cluster().controller(0).kill();
        real.cluster().controller(1).kill();
        boolean leaderless = LocalRocketMqCluster.poll(Duration.ofSeconds(30), Duration.ofMillis(200),
                () -> !real.controllerHasLeader());
        Optional<ControllerMetadata> meta = real.controllerMetadata();
        bench.put("zoneALost.remainingControllerView", meta.map(ControllerMetadata::toString).orElse("no answer"));
        assertThat(leaderless).as("the lone controller has no leader").isTrue();

        String group = real.cluster().groupName(0);
        String master = real.gateway().clusterView(false).masterAddress(group).orElseThrow();
        real.memberAt(master).kill();
        Duration window = Duration.ofSeconds(10);
        boolean noElection = ClusterWatch.noNewMasterDuring(real.gateway(), Map.of(group, master), window);
        bench.put("zoneALost.noPromotionWindowMs", window.toMillis());
        assertThat(noElection).as("no master elected without a controller majority").isTrue();

        long t0 = System.nanoTime();
        List.of(real.cluster().controller(0), real.cluster().controller(1)).forEach(RocketMqProcess::start);
        Optional<Duration> seen = ClusterWatch.awaitNewMasters(real.gateway(), Map.of(group, master),
                t0, Duration.ofSeconds(60));
        bench.put("zoneALost.controllersBackToNewMasterMs", ClusterWatch.millis(seen));
        assertThat(seen).as("elections resume once the majority is back").isPresent();
    }
}
