package io.crosszone.plan.reseed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ControllerReseedPlanTest {
    private static final Map<Long, String> ADDRS = Map.of(1L, "10.0.0.1:10911", 2L, "10.0.1.1:10911");

    private static GroupEvidence group(Optional<KnownGroupState> before, ReplicaReport... survivors) {
        return new GroupEvidence("g0", List.of(survivors), before);
    }

    @Test
    void electsTheSurvivorThatWasInTheSyncStateSetAndSeedsTheLostIdToo() {
        ReplicaReport slave = new ReplicaReport(2, "10.0.1.1:10911", 3, 5_000, false);
        ReseedDecision d = ControllerReseedPlan.decide(
                group(Optional.of(new KnownGroupState(ADDRS, Set.of(1L, 2L), 3)), slave), false);
        assertThat(d).isInstanceOf(ReseedDecision.Elect.class);
        ReseedDecision.Elect e = (ReseedDecision.Elect) d;
        assertThat(e.master()).isEqualTo(slave);
        assertThat(e.brokerIds()).containsOnlyKeys(1L, 2L);
        assertThat(e.epochFloor()).isEqualTo(3);
        assertThat(e.unclean()).isFalse();
    }

    /** Both in sync, the master read a moment earlier than its slave: it stays master (no needless switch). */
    @Test
    void keepsTheActingMasterWhenItAndItsSlaveWereBothInSync() {
        ReplicaReport master = new ReplicaReport(1, "10.0.0.1:10911", 5, 9_000, true);
        ReplicaReport slave = new ReplicaReport(2, "10.0.1.1:10911", 5, 9_100, false);
        ReseedDecision.Elect e = (ReseedDecision.Elect) ControllerReseedPlan.decide(
                group(Optional.of(new KnownGroupState(ADDRS, Set.of(1L, 2L), 5)), master, slave), false);
        assertThat(e.master()).isEqualTo(master);
        assertThat(e.unclean()).isFalse();
        // a master that was not in the set is not preferred: the in-sync slave ahead of it is elected
        ReseedDecision.Elect other = (ReseedDecision.Elect) ControllerReseedPlan.decide(
                group(Optional.of(new KnownGroupState(ADDRS, Set.of(2L), 5)), master, slave), false);
        assertThat(other.master()).isEqualTo(slave);
    }

    /**
     * A planned controller move, every broker alive and writes going on: the slave, not yet in the set,
     * was read after its master and reads further at the same epoch. The acting master in the set is
     * kept (CI once saw this refused as "in-sync survivor is behind broker 2").
     */
    @Test
    void theActingMasterInTheSetWinsOverAReplicaOutsideItReadLaterAtTheSameEpoch() {
        ReplicaReport master = new ReplicaReport(1, "10.0.0.1:10911", 2, 9_000, true);
        ReplicaReport joining = new ReplicaReport(2, "10.0.1.1:10911", 2, 9_400, false);
        ReseedDecision.Elect e = (ReseedDecision.Elect) ControllerReseedPlan.decide(
                group(Optional.of(new KnownGroupState(ADDRS, Set.of(1L), 2)), master, joining), false);
        assertThat(e.master()).isEqualTo(master);
        assertThat(e.unclean()).isFalse();
        // at a higher epoch the replica outside the set is another story: refused, as before
        ReplicaReport newer = new ReplicaReport(2, "10.0.1.1:10911", 3, 100, false);
        assertThat(ControllerReseedPlan.decide(group(Optional.of(new KnownGroupState(ADDRS, Set.of(1L), 2)), master, newer),
                false)).isInstanceOf(ReseedDecision.Refuse.class);
    }

    @Test
    void refusesASurvivorThatWasNotInSync() {
        ReplicaReport slave = new ReplicaReport(2, "10.0.1.1:10911", 3, 4_000, false);
        ReseedDecision d = ControllerReseedPlan.decide(
                group(Optional.of(new KnownGroupState(ADDRS, Set.of(1L), 3)), slave), false);
        assertThat(d).isInstanceOf(ReseedDecision.Refuse.class);
        assertThat(((ReseedDecision.Refuse) d).reason()).contains("no survivor was in the SyncStateSet [1]");
    }

    @Test
    void uncleanOnlyWithTheFlagAndNamesWhatMayBeLost() {
        ReplicaReport slave = new ReplicaReport(2, "10.0.1.1:10911", 3, 4_000, false);
        ReseedDecision d = ControllerReseedPlan.decide(
                group(Optional.of(new KnownGroupState(ADDRS, Set.of(1L), 3)), slave), true);
        ReseedDecision.Elect e = (ReseedDecision.Elect) d;
        assertThat(e.unclean()).isTrue();
        assertThat(e.warning()).contains("UNCLEAN").contains("above offset 4000").contains("1@10.0.0.1:10911");
    }

    @Test
    void theInSyncSurvivorWinsEvenWhenItsEpochCacheIsBelowTheControllersOldEpochButTheFloorKeepsTheHigher() {
        ReplicaReport master = new ReplicaReport(1, "10.0.0.1:10911", 1, 4_000, true);
        ReseedDecision.Elect e = (ReseedDecision.Elect) ControllerReseedPlan.decide(
                group(Optional.of(new KnownGroupState(ADDRS, Set.of(1L, 2L), 3)), master), false);
        assertThat(e.master()).isEqualTo(master);
        assertThat(e.epochFloor()).isEqualTo(3);
    }

    @Test
    void anInSyncSurvivorBehindANotInSyncOneIsRefused() {
        ReplicaReport inSync = new ReplicaReport(1, "10.0.0.1:10911", 2, 4_000, false);
        ReplicaReport other = new ReplicaReport(2, "10.0.1.1:10911", 3, 100, false);
        ReseedDecision d = ControllerReseedPlan.decide(
                group(Optional.of(new KnownGroupState(ADDRS, Set.of(1L), 3)), inSync, other), false);
        assertThat(d).isInstanceOf(ReseedDecision.Refuse.class);
        assertThat(((ReseedDecision.Refuse) d).reason()).contains("behind broker 2");
    }

    @Test
    void withoutAReadingTheActingMasterIsKeptButALoneSlaveIsRefused() {
        ReplicaReport master = new ReplicaReport(1, "10.0.0.1:10911", 4, 9_000, true);
        assertThat(ControllerReseedPlan.decide(group(Optional.empty(), master), false))
                .isInstanceOf(ReseedDecision.Elect.class);
        ReplicaReport slave = new ReplicaReport(2, "10.0.1.1:10911", 4, 9_000, false);
        ReseedDecision d = ControllerReseedPlan.decide(group(Optional.empty(), slave), false);
        assertThat(d).isInstanceOf(ReseedDecision.Refuse.class);
        assertThat(((ReseedDecision.Refuse) d).reason()).contains("cannot tell");
    }

    @Test
    void aSurvivingMasterBehindAnotherSurvivorIsNotTrusted() {
        ReplicaReport staleMaster = new ReplicaReport(1, "10.0.0.1:10911", 3, 9_000, true);
        ReplicaReport newer = new ReplicaReport(2, "10.0.1.1:10911", 4, 100, false);
        assertThat(ControllerReseedPlan.decide(group(Optional.empty(), staleMaster, newer), false))
                .isInstanceOf(ReseedDecision.Refuse.class);
    }

    @Test
    void noSurvivorIsRefused() {
        assertThat(ControllerReseedPlan.decide(group(Optional.empty()), true)).isInstanceOf(ReseedDecision.Refuse.class);
    }
}
