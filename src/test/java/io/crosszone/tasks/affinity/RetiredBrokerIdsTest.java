package io.crosszone.tasks.affinity;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.core.Progress;
import io.crosszone.report.TaskReport;
import io.crosszone.rocketmq.Replica;
import io.crosszone.rocketmq.SyncStateSet;
import io.crosszone.tasks.GroupHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The old controller id of a broker whose claim was replaced is forgotten, and only an id nothing uses. */
class RetiredBrokerIdsTest {

    /** The controller's view of broker-2 as a map the test changes: replica 1 re-registers as id 3. */
    private static final class Groups implements GroupHealth {
        SyncStateSet now = new SyncStateSet("broker-2", 1L, "10.0.0.120:10911", 4, 7,
                List.of(new Replica(1, "10.0.0.120:10911", true), new Replica(2, "10.0.0.121:10911", true)), List.of());
        final List<Set<Long>> forgotten = new ArrayList<>();

        @Override
        public Set<Long> brokerIdsOf(String group, int replica) {
            return replica == 1 ? Set.of(2L) : Set.of(1L);
        }

        @Override
        public Optional<SyncStateSet> syncStateSet(String group) {
            return Optional.of(now);
        }

        @Override
        public void forgetBrokerIds(String group, Set<Long> brokerIds) {
            forgotten.add(brokerIds);
        }

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
            return true;
        }

        @Override
        public boolean fullyInSync(String group, int replicas) {
            return true;
        }

        @Override
        public void electReplica(String group, int replica) {
            throw new AssertionError("no election here");
        }

        @Override
        public String describe(String group) {
            return now.toString();
        }
    }

    @Test
    void theOldIdIsForgottenOnceTheBrokerIsBackUnderANewOne() {
        Groups groups = new Groups();
        RetiredBrokerIds ids = new RetiredBrokerIds("broker");
        ids.recordBefore(groups, "broker-2-1", Progress.silent());
        groups.now = new SyncStateSet("broker-2", 1L, "10.0.0.120:10911", 4, 9,
                List.of(new Replica(1, "10.0.0.120:10911", true), new Replica(3, "10.0.0.121:10911", true)),
                List.of(new Replica(2, "10.0.0.121:10911", false)));
        TaskReport report = new TaskReport("apply-affinity");
        ids.forget(groups, "rocketmq", report, Progress.silent());
        assertThat(groups.forgotten).containsExactly(Set.of(2L));
        assertThat(report.changes()).singleElement().satisfies(c -> assertThat(c.toString()).contains("forget").contains("[2]"));

        // a second rollout records nothing and forgets nothing
        ids.forget(groups, "rocketmq", report, Progress.silent());
        assertThat(groups.forgotten).hasSize(1);
    }

    @Test
    void anIdStillAliveOrInSyncIsKept() {
        SyncStateSet reusedItsId = new SyncStateSet("broker-2", 1L, "10.0.0.120:10911", 4, 9,
                List.of(new Replica(1, "10.0.0.120:10911", true), new Replica(2, "10.0.0.121:10911", true)), List.of());
        assertThat(RetiredBrokerIds.retired(reusedItsId, Set.of(2L))).isEmpty();
        SyncStateSet aliveNotInSync = new SyncStateSet("broker-2", 1L, "10.0.0.120:10911", 4, 9,
                List.of(new Replica(1, "10.0.0.120:10911", true)), List.of(new Replica(2, "10.0.0.121:10911", true)));
        assertThat(RetiredBrokerIds.retired(aliveNotInSync, Set.of(2L))).isEmpty();
        SyncStateSet gone = new SyncStateSet("broker-2", 1L, "10.0.0.120:10911", 4, 9,
                List.of(new Replica(1, "10.0.0.120:10911", true)), List.of(new Replica(2, "10.0.0.121:10911", false)));
        assertThat(RetiredBrokerIds.retired(gone, Set.of(2L, 7L))).containsExactly(2L);
    }
}
