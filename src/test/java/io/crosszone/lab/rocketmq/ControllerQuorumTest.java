package io.crosszone.lab.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.rocketmq.AdminRocketMqGateway;
import io.crosszone.rocketmq.ControllerMetadata;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three controllers (a DLedger group) spread over two "zones": controllers 0 and 1 in zone A,
 * controller 2 in zone B. Elections need a majority: losing zone A stops them, losing zone B does not.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControllerQuorumTest {
    private static LocalRocketMqCluster cluster;
    private static AdminRocketMqGateway gateway;
    private static final BenchResults bench = new BenchResults("controller-quorum");

    @BeforeAll
    static void startCluster() {
        long t0 = System.nanoTime();
        cluster = LocalRocketMqCluster.builder().clusterName("q").controllers(3).groups(1).replicasPerGroup(2)
                .fastFailureDetection(true).build().start();
        bench.put("clusterStartToHealthyMs", (System.nanoTime() - t0) / 1_000_000);
        gateway = cluster.gateway(Duration.ofSeconds(2));
    }

    @AfterAll
    static void stopCluster() {
        if (gateway != null) {
            gateway.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void heal() {
        cluster.members().stream().filter(m -> !m.isRunning()).forEach(RocketMqProcess::start);
        cluster.awaitHealthy(Duration.ofSeconds(90));
    }

    @Test
    @Order(1)
    void losingTheZoneWithOneControllerKeepsElections() {
        assertThat(gateway.controllerMetadata().peers()).hasSize(3);
        cluster.controller(2).kill();
        assertThat(LocalRocketMqCluster.poll(Duration.ofSeconds(30), Duration.ofMillis(100), this::hasLeader)).isTrue();

        String group = cluster.groupName(0);
        String master = gateway.clusterView(false).masterAddress(group).orElseThrow();
        long t0 = System.nanoTime();
        memberAt(master).kill();
        Optional<Duration> seen = ClusterWatch.awaitNewMasters(gateway, Map.of(group, master), t0, Duration.ofSeconds(30));
        bench.put("zoneBLost.masterKilledToNewMasterMs", ClusterWatch.millis(seen));
        assertThat(seen).as("a new master with 2 of 3 controllers").isPresent();
    }

    @Test
    @Order(2)
    void losingTheZoneWithTwoControllersStopsElectionsUntilTheyReturn() {
        cluster.controller(0).kill();
        cluster.controller(1).kill();
        boolean leaderless = LocalRocketMqCluster.poll(Duration.ofSeconds(30), Duration.ofMillis(200), () -> !hasLeader());
        ControllerMetadata meta = safeMetadata();
        bench.put("zoneALost.remainingControllerView", meta == null ? "no answer" : meta.toString());
        assertThat(leaderless).as("the lone controller has no leader").isTrue();

        String group = cluster.groupName(0);
        String master = gateway.clusterView(false).masterAddress(group).orElseThrow();
        memberAt(master).kill();
        Duration window = Duration.ofSeconds(10);
        boolean noElection = ClusterWatch.noNewMasterDuring(gateway, Map.of(group, master), window);
        bench.put("zoneALost.noPromotionWindowMs", window.toMillis());
        assertThat(noElection).as("no master elected without a controller majority").isTrue();

        long t0 = System.nanoTime();
        List.of(cluster.controller(0), cluster.controller(1)).forEach(RocketMqProcess::start);
        Optional<Duration> seen = ClusterWatch.awaitNewMasters(gateway, Map.of(group, master), t0, Duration.ofSeconds(60));
        bench.put("zoneALost.controllersBackToNewMasterMs", ClusterWatch.millis(seen));
        assertThat(seen).as("elections resume once the majority is back").isPresent();
    }

    private boolean hasLeader() {
        ControllerMetadata meta = safeMetadata();
        return meta != null && meta.hasLeader();
    }

    private ControllerMetadata safeMetadata() {
        try {
            return gateway.controllerMetadata();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static RocketMqProcess memberAt(String endpoint) {
        return cluster.memberAt(endpoint.substring(0, endpoint.lastIndexOf(':'))).orElseThrow();
    }
}
