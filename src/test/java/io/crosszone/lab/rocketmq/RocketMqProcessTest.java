package io.crosszone.lab.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The per-member lifecycle on a real name server (the quickest member to start), and address isolation. */
@Tag("process") // starts processes (RocketMQ JVMs, a lab, podman): not in the fast run (README)
class RocketMqProcessTest {

    @Test
    void aMemberStartsFreezesThawsStopsAndRestartsWithEmptyDataOnItsOwnAddress() throws Exception {
        try (LocalRocketMqCluster a = LocalRocketMqCluster.builder().clusterName("pa").groups(0).build();
             LocalRocketMqCluster b = LocalRocketMqCluster.builder().clusterName("pb").groups(0).build()) {
            RocketMqProcess ns = a.nameServer(0);
            RocketMqProcess other = b.nameServer(0);
            assertThat(ns.address()).isNotEqualTo(other.address()).startsWith("127.");
            assertThat(ns.port()).isEqualTo(other.port()).isEqualTo(9876);

            ns.start();
            other.start();
            assertThat(ns.awaitListening(Duration.ofSeconds(30))).isTrue();
            assertThat(other.awaitListening(Duration.ofSeconds(30))).isTrue();
            long pid = ns.pid().orElseThrow();
            assertThat(ProcessHandle.of(pid)).isPresent();

            ns.freeze();
            assertThat(ns.isFrozen()).isTrue();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
            ns.thaw();
            assertThat(ns.isFrozen()).isFalse();

            Files.writeString(ns.dir().resolve("store").resolve("marker"), "data");
            ns.restartWithEmptyData();
            assertThat(ns.dir().resolve("store").resolve("marker")).doesNotExist();
            assertThat(ns.awaitListening(Duration.ofSeconds(30))).isTrue();
            assertThat(ns.pid().orElseThrow()).isNotEqualTo(pid);
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();

            long second = ns.pid().orElseThrow();
            ns.freeze();
            ns.kill(); // SIGKILL ends a frozen JVM too
            assertThat(ns.isRunning()).isFalse();
            assertThat(ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(ns.logFile()).exists();
        }
    }
}
