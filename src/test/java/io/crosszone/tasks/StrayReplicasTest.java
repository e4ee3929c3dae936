package io.crosszone.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.core.FakeTime;
import io.crosszone.core.Progress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StrayReplicasTest {
    /** broker-0: replica 2 runs outside the set and its master has no connection from it. */
    private static final class Groups implements MasterFailBack.Replicas {
        final List<String> restarts = new ArrayList<>();
        List<Integer> stray = List.of(2);

        @Override
        public Optional<Integer> masterReplica(String group) {
            return Optional.of(0);
        }

        @Override
        public Optional<Integer> listedMasterReplica(String group) {
            return Optional.of(0);
        }

        @Override
        public boolean inSyncAndAlive(String group, int replica) {
            return replica != 2;
        }

        @Override
        public boolean fullyInSync(String group, int replicas) {
            return false;
        }

        @Override
        public void electReplica(String group, int replica) {
            throw new AssertionError("no election here");
        }

        @Override
        public List<Integer> replicasNotReplicating(String group, int replicas) {
            return stray;
        }

        @Override
        public void restartReplica(String group, int replica) {
            restarts.add(group + "-" + replica);
        }
    }

    @Test
    void aReplicaOutsideTheSetWithNoConnectionFromItsMasterIsRestartedOnceAfterTheGrace() {
        FakeTime time = new FakeTime(0);
        Groups groups = new Groups();
        List<String> reported = new ArrayList<>();
        StrayReplicas stray = new StrayReplicas(groups, 3, time, Progress.silent(), (pod, why) -> reported.add(pod));

        stray.look("broker-0", false);
        time.advance(StrayReplicas.GRACE.minusSeconds(1));
        stray.look("broker-0", false);
        assertThat(groups.restarts).as("within the grace: catching up, perhaps").isEmpty();

        time.advance(Duration.ofSeconds(2));
        stray.look("broker-0", false);
        stray.look("broker-0", false);
        assertThat(groups.restarts).containsExactly("broker-0-2");
        assertThat(reported).containsExactly("broker-0-2-0");
    }

    @Test
    void aGroupThatFillsStartsTheGraceAgain_andOneCatchingUpIsLeftAlone() {
        FakeTime time = new FakeTime(0);
        Groups groups = new Groups();
        StrayReplicas stray = new StrayReplicas(groups, 3, time, Progress.silent(), (pod, why) -> { });
        stray.look("broker-0", false);
        time.advance(Duration.ofSeconds(20));
        stray.look("broker-0", true);
        time.advance(Duration.ofSeconds(20));
        stray.look("broker-0", false);
        assertThat(groups.restarts).isEmpty();

        groups.stray = List.of(); // connected to its master: catching up
        time.advance(Duration.ofMinutes(5));
        stray.look("broker-0", false);
        assertThat(groups.restarts).isEmpty();
    }
}
