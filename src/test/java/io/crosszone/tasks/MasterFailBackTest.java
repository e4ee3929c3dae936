package io.crosszone.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crosszone.core.Progress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link MasterFailBack}'s decisions and order against a scripted RocketMQ: a table of masters
 * and in-sync replicas the test sets, an election that the name server lists only after a few
 * polls (as RocketMQ's route update lags the controller). The real protocol is exercised by
 * ApplyAffinityLabTest and VerifyDistributionLabTest.
 */
class MasterFailBackTest {

    /** Scripted answers; every question and election is logged in order. */
    static class Scripted implements MasterFailBack.Replicas {
        final Map<String, Integer> master = new HashMap<>();
        final Map<String, Integer> listed = new HashMap<>();
        final Map<String, Set<Integer>> inSync = new HashMap<>();
        final Set<String> refuse = new HashSet<>();
        final Map<String, List<String>> topicsMissing = new HashMap<>();
        final List<String> log = new ArrayList<>();
        /** Polls before the name server lists an elected master; -1: never. */
        int listLag = 2;
        private final Map<String, Integer> pollsSinceElection = new HashMap<>();

        Scripted group(String g, int masterReplica, Integer... inSyncReplicas) {
            master.put(g, masterReplica);
            listed.put(g, masterReplica);
            inSync.put(g, new HashSet<>(List.of(inSyncReplicas)));
            return this;
        }

        @Override
        public Optional<Integer> masterReplica(String group) {
            return Optional.ofNullable(master.get(group));
        }

        @Override
        public Optional<Integer> listedMasterReplica(String group) {
            Integer polls = pollsSinceElection.get(group);
            if (polls != null) {
                pollsSinceElection.put(group, polls + 1);
                if (listLag >= 0 && polls >= listLag) {
                    listed.put(group, master.get(group));
                    pollsSinceElection.remove(group);
                }
            }
            return Optional.ofNullable(listed.get(group));
        }

        @Override
        public boolean inSyncAndAlive(String group, int replica) {
            return inSync.getOrDefault(group, Set.of()).contains(replica);
        }

        @Override
        public boolean fullyInSync(String group, int replicas) {
            return master.containsKey(group) && inSync.getOrDefault(group, Set.of()).size() >= replicas;
        }

        @Override
        public List<String> topicsMissingOnSlaves(String group) {
            return topicsMissing.getOrDefault(group, List.of());
        }

        @Override
        public void electReplica(String group, int replica) {
            log.add("elect " + group + "=" + replica + " (listed now: " + listed.get(group) + ")");
            if (refuse.contains(group)) {
                throw new IllegalStateException("CONTROLLER_ELECT_MASTER_FAILED");
            }
            master.put(group, replica);
            pollsSinceElection.put(group, 0);
        }
    }

    private static MasterFailBack failBack(Scripted s, Duration timeout) {
        return new MasterFailBack(s, 2, Progress.silent(), timeout, Duration.ofMillis(1));
    }

    @Test
    void electsThePlannedReplicaOnlyWhereAnotherIsMaster_oneGroupAtATime_waitingForTheNameServer() throws Exception {
        Scripted s = new Scripted().group("broker-0", 1, 0, 1).group("broker-1", 0, 0, 1).group("broker-2", 1, 0, 1);

        MasterFailBack.Outcome o = failBack(s, Duration.ofSeconds(10)).run(List.of("broker-0", "broker-1", "broker-2"));

        assertThat(o.elections()).extracting(MasterFailBack.Election::group).containsExactly("broker-0", "broker-2");
        assertThat(o.elections()).allSatisfy(e -> {
            assertThat(e.from()).isEqualTo(1);
            assertThat(e.to()).isZero();
            assertThat(e.seconds()).isGreaterThanOrEqualTo(e.listedSeconds());
        });
        assertThat(o.notMoved()).isEmpty();
        // broker-2's election came only after the name server listed broker-0's new master
        assertThat(s.log).containsExactly("elect broker-0=0 (listed now: 1)", "elect broker-2=0 (listed now: 1)");
        assertThat(s.listed).containsEntry("broker-0", 0).containsEntry("broker-2", 0);

        // run again: nothing to do
        s.log.clear();
        assertThat(failBack(s, Duration.ofSeconds(10)).run(List.of("broker-0", "broker-1", "broker-2")).elections()).isEmpty();
        assertThat(s.log).isEmpty();
    }

    @Test
    void aPlannedMasterNotInSync_aGroupNotFullyInSync_andARefusalAreLeftAsTheyAre_theOthersStillMove() throws Exception {
        Scripted s = new Scripted().group("broker-0", 1, 1).group("broker-1", 1, 0, 1).group("broker-2", 1, 0, 1)
                .group("broker-3", 1, 0);
        s.refuse.add("broker-1");

        MasterFailBack.Outcome o = failBack(s, Duration.ofSeconds(10))
                .run(List.of("broker-0", "broker-1", "broker-2", "broker-3", "broker-9"));

        assertThat(o.elections()).extracting(MasterFailBack.Election::group).containsExactly("broker-2");
        assertThat(o.notMoved()).extracting(MasterFailBack.NotMoved::group)
                .containsExactly("broker-0", "broker-1", "broker-3", "broker-9");
        assertThat(o.notMoved().get(0).reason()).contains("not alive in the SyncStateSet");
        assertThat(o.notMoved().get(0).master()).isEqualTo(1);
        assertThat(o.notMoved().get(1).reason()).contains("refused", "CONTROLLER_ELECT_MASTER_FAILED");
        assertThat(o.notMoved().get(2).reason()).contains("not fully in sync");
        assertThat(o.notMoved().get(3).reason()).contains("no master");
        assertThat(s.log).containsExactly("elect broker-1=0 (listed now: 1)", "elect broker-2=0 (listed now: 1)");
    }

    @Test
    void aSlaveThatLacksTopicsItsMasterHasIsNotElected_itWouldNotServeThem() throws Exception {
        Scripted s = new Scripted().group("broker-0", 1, 0, 1).group("broker-1", 1, 0, 1);
        s.topicsMissing.put("broker-0", List.of("10.0.0.100:10911 lacks [orders]"));

        io.crosszone.core.FakeTime time = new io.crosszone.core.FakeTime(0);
        MasterFailBack.Outcome o = new MasterFailBack(s, 2, Progress.silent(), Duration.ofSeconds(10), Duration.ofSeconds(1), time)
                .run(List.of("broker-0", "broker-1"));

        assertThat(o.elections()).extracting(MasterFailBack.Election::group).containsExactly("broker-1");
        assertThat(o.notMoved()).singleElement().satisfies(n -> {
            assertThat(n.group()).isEqualTo("broker-0");
            assertThat(n.reason()).contains("lacks topics its master has", "10.0.0.100:10911 lacks [orders]");
        });
        assertThat(time.nanoTime()).as("waited for the slave's 10 s config copy, not for ever")
                .isBetween(Duration.ofSeconds(30).toNanos(), Duration.ofSeconds(60).toNanos());
    }

    @Test
    void aTopicTheSlaveCopiesWithinTheWaitDoesNotStopTheFailBack() throws Exception {
        io.crosszone.core.FakeTime time = new io.crosszone.core.FakeTime(0);
        Scripted s = new Scripted() {
            @Override
            public List<String> topicsMissingOnSlaves(String group) {
                // the slave's periodic copy brings the topic 10 s on
                return time.nanoTime() < Duration.ofSeconds(10).toNanos() ? List.of("10.0.0.100:10911 lacks [%RETRY%reader]")
                        : List.of();
            }
        }.group("broker-0", 1, 0, 1);
        MasterFailBack.Outcome o = new MasterFailBack(s, 2, Progress.silent(), Duration.ofSeconds(10), Duration.ofSeconds(1), time)
                .run(List.of("broker-0"));
        assertThat(o.notMoved()).isEmpty();
        assertThat(o.elections()).extracting(MasterFailBack.Election::group).containsExactly("broker-0");
    }

    @Test
    void anElectionTheNameServerNeverListsTimesOutNamingTheGroup_andKeepsWhatWasDoneBefore() {
        Scripted s = new Scripted().group("broker-0", 1, 0, 1).group("broker-1", 1, 0, 1);
        // broker-0 settles; broker-1's new master is never listed by the name server
        MasterFailBack.Replicas stuckAfterFirst = new MasterFailBack.Replicas() {
            @Override
            public Optional<Integer> masterReplica(String group) {
                return s.masterReplica(group);
            }

            @Override
            public Optional<Integer> listedMasterReplica(String group) {
                return group.equals("broker-1") ? Optional.of(1) : s.listedMasterReplica(group);
            }

            @Override
            public boolean inSyncAndAlive(String group, int replica) {
                return s.inSyncAndAlive(group, replica);
            }

            @Override
            public boolean fullyInSync(String group, int replicas) {
                return s.fullyInSync(group, replicas);
            }

            @Override
            public void electReplica(String group, int replica) {
                s.electReplica(group, replica);
            }
        };
        assertThatThrownBy(() -> new MasterFailBack(stuckAfterFirst, 2, Progress.silent(), Duration.ofMillis(200),
                Duration.ofMillis(1)).run(List.of("broker-0", "broker-1")))
                .isInstanceOfSatisfying(MasterFailBack.TimedOut.class, t -> {
                    assertThat(t.group).isEqualTo("broker-1");
                    assertThat(t.getMessage()).contains("broker-1", "was elected", "the name server lists replica 1");
                    assertThat(t.sofar.elections()).extracting(MasterFailBack.Election::group).containsExactly("broker-0");
                });
    }

    @Test
    void pendingSaysWhichGroupsWouldMoveAndWhether_andElectsNothing() {
        Scripted s = new Scripted().group("broker-0", 1, 0, 1).group("broker-1", 0, 0, 1).group("broker-2", 1, 1);

        List<MasterFailBack.Pending> p = failBack(s, Duration.ofSeconds(1)).pending(List.of("broker-0", "broker-1", "broker-2"));

        assertThat(p).extracting(MasterFailBack.Pending::group).containsExactly("broker-0", "broker-2");
        assertThat(p.get(0).safe()).isTrue();
        assertThat(p.get(0).master()).isEqualTo(1);
        assertThat(p.get(1).safe()).isFalse();
        assertThat(p.get(1).note()).contains("not alive in the SyncStateSet");
        assertThat(s.log).isEmpty();
    }
}
