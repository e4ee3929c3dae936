package io.crosszone.lab.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crosszone.rocketmq.ControllerMetadata;
import io.crosszone.rocketmq.RocketMqException;
import io.crosszone.rocketmq.SyncStateSet;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin gateway against real 5.1.4 members that stop answering (SIGSTOP: the socket stays
 * open, nothing comes back): a frozen name server or controller is skipped for the others, the
 * controller leader is followed when it changes mid-call, and when none answers the failure names
 * every endpoint asked (the task then ends with exit 3).
 */
@Tag("process") // starts processes (RocketMQ JVMs, a lab, podman): not in the fast run (README)
class RocketMqFaultsTest {
    @RegisterExtension
    static final RealCluster real = RealCluster.of(LocalRocketMqCluster.builder().clusterName("faults").nameServers(2)
            .controllers(3).groups(1).replicasPerGroup(2).fastFailureDetection(true), Duration.ofSeconds(2));

    @AfterEach
    void heal() {
        real.heal(Duration.ofSeconds(90));
    }

    @Test
    void aFrozenNameServerIsSkippedForTheOthers() {
        String group = real.cluster().groupName(0);
        real.cluster().nameServer(0).freeze();

        assertThat(real.gateway().clusterView(false).group(group)).isPresent();
        assertThat(real.gateway().clusterViewPerNameServer()).containsOnlyKeys(real.cluster().nameServer(1).endpoint());
    }

    @Test
    void noNameServerAnsweringFailsNamingEach() {
        real.cluster().nameServer(0).freeze();
        real.cluster().nameServer(1).freeze();

        assertThatThrownBy(() -> real.gateway().clusterView(false))
                .isInstanceOf(RocketMqException.class)
                .hasMessageContaining(real.cluster().nameServer(0).endpoint())
                .hasMessageContaining(real.cluster().nameServer(1).endpoint());
    }

    @Test
    void aFrozenControllerLeaderIsFollowedToTheNewLeader() {
        String group = real.cluster().groupName(0);
        ControllerMetadata before = real.gateway().controllerMetadata();
        assertThat(before.hasLeader()).isTrue();
        real.memberAt(before.leaderAddress()).freeze();

        // one call, made while the old leader is silent and the others elect a new one
        Map<String, SyncStateSet> sets = real.gateway().syncStateSets(real.cluster().groupNames());

        assertThat(sets).containsKey(group);
        ControllerMetadata after = real.gateway().controllerMetadata();
        assertThat(after.leaderAddress()).isNotEqualTo(before.leaderAddress());
    }

    @Test
    void noControllerAnsweringFailsNamingEach() {
        for (int i = 0; i < 3; i++) {
            real.cluster().controller(i).freeze();
        }

        assertThatThrownBy(() -> real.gateway().syncStateSets(real.cluster().groupNames()))
                .isInstanceOf(RocketMqException.class)
                .hasMessageContaining(real.cluster().controller(0).endpoint())
                .hasMessageContaining(real.cluster().controller(1).endpoint())
                .hasMessageContaining(real.cluster().controller(2).endpoint());
    }
}
