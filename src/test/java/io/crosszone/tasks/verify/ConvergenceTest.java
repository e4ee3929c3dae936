package io.crosszone.tasks.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.tasks.verify.DistributionSnapshot.RegisteredBroker;
import io.crosszone.tasks.verify.DistributionSnapshot.Replica;
import io.crosszone.tasks.verify.DistributionSnapshot.SyncState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which failing verifications verify-distribution reads again before judging. */
class ConvergenceTest {

    private static Verification verify(Snapshots.Builder b) {
        return DistributionVerifier.evaluate(b.build(), Snapshots.PLAN, Snapshots.CONFIG, Map.of());
    }

    @Test
    void aPassingVerificationHasNothingPending() {
        assertThat(Convergence.pending(verify(Snapshots.healthy()))).isEmpty();
    }

    @Test
    void aSlaveCatchingUpIsWaitedFor() {
        Snapshots.Builder b = Snapshots.healthy();
        SyncState s = b.sync.get("broker-0");
        b.sync.put("broker-0", new SyncState(1, s.masterAddress(), 1, List.of(s.inSync().get(0)), List.of(s.inSync().get(1))));
        assertThat(Convergence.pending(verify(b))).extracting(CheckResult::name).containsExactly("sync-state-full");
    }

    @Test
    void aGroupWithoutAMasterYetIsWaitedFor() {
        Snapshots.Builder b = Snapshots.healthy();
        // the election is under way: the name server lists the slave only
        List<RegisteredBroker> g1 = b.cluster.get("broker-1");
        b.cluster.put("broker-1", List.of(new RegisteredBroker(2, g1.get(1).address())));
        b.sync.put("broker-1", new SyncState(1, null, 1, List.of(new Replica(2, g1.get(1).address(), true)), List.of()));
        // masters-balanced fails too (group 1's master has no zone yet) and is waited for with it
        assertThat(Convergence.pending(verify(b))).extracting(CheckResult::name)
                .contains("one-master-per-group", "masters-balanced");
    }

    @Test
    void aMovedMasterIsJudgedAtOnceBecauseTheBalanceDoesNotSettleByItself() {
        Snapshots.Builder b = Snapshots.healthy();
        List<RegisteredBroker> g2 = b.cluster.get("broker-2");
        b.cluster.put("broker-2", List.of(new RegisteredBroker(0, g2.get(1).address())));
        b.sync.put("broker-2", new SyncState(2, g2.get(1).address(), 2, List.of(new Replica(2, g2.get(1).address(), true)), List.of()));
        Verification v = verify(b);
        assertThat(v.checks().stream().filter(CheckResult::failsVerdict).map(CheckResult::name))
                .contains("masters-balanced", "sync-state-full");
        assertThat(Convergence.pending(v)).isEmpty();
    }

    @Test
    void anUnreachableRocketMqIsJudgedAtOnce() {
        Snapshots.Builder b = Snapshots.healthy();
        b.rocketmqUp = false;
        assertThat(Convergence.pending(verify(b))).isEmpty();
    }
}
