package io.crosszone.lab.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The fixture's promise when a cluster does not come up: what it started is killed all the same. */
@Tag("process") // starts processes (RocketMQ JVMs, a lab, podman): not in the fast run (README)
class RealClusterTest {

    @Test
    void aClusterThatIsNotHealthyInTimeIsStillStoppedAfterwards() {
        // no time to get healthy: start() fails after the name server and controller listen and the brokers were launched
        RealCluster fixture = RealCluster.of(LocalRocketMqCluster.builder().clusterName("rc").groups(1).replicasPerGroup(1)
                .startTimeout(Duration.ZERO), Duration.ofSeconds(2));
        List<Long> pids;
        try {
            assertThatThrownBy(() -> fixture.beforeAll(null)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not healthy");
        } finally {
            pids = fixture.cluster().members().stream().map(RocketMqProcess::pid).flatMap(Optional::stream).toList();
            fixture.afterAll(null);
        }
        assertThat(pids).hasSize(3);
        assertThat(pids).allMatch(pid -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "killed");
        assertThat(fixture.cluster().members()).noneMatch(RocketMqProcess::isRunning);
    }
}
