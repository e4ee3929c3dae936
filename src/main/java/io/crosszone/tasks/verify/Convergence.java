package io.crosszone.tasks.verify;

import java.util.List;
import java.util.Set;

/**
 * Which failing checks RocketMQ settles by itself within seconds after a restart or a failover:
 * a slave catching up into the SyncStateSet, a master being elected and registered, a restarted
 * broker re-registering under its pod's IP (with every name server: a restarted name server
 * starts empty), a controller leader being elected, a slave copying its master's topics (every 10 s
 * in controller mode: a topic made on the master while the slave was away or restarting, e.g. a
 * consumer's retry topic). A verification failing only on these is worth re-reading before it is judged; one failing on anything else
 * (placement, balance, configuration, an unreachable RocketMQ) is judged at once. Pure.
 */
final class Convergence {
    static final Set<String> CONVERGING = Set.of("sync-state-full", "one-master-per-group", "brokers-match-pods",
            "controller-leader", "name-servers-agree", "topics-on-slaves");
    /** Checks that fail while a group's master is not known (so its zone is not either). */
    private static final Set<String> MASTER_IDENTITY = Set.of("one-master-per-group", "brokers-match-pods");

    private Convergence() {
    }

    /**
     * The checks failing the verdict when every one of them is converging; empty when the
     * verification passed or something that does not settle by itself failed.
     */
    static List<CheckResult> pending(Verification v) {
        List<CheckResult> failing = v.checks().stream().filter(CheckResult::failsVerdict).toList();
        // while a group's master is unknown its zone is too, so the balance cannot be judged yet
        boolean masterUnknown = failing.stream().anyMatch(c -> MASTER_IDENTITY.contains(c.name()));
        return failing.stream().allMatch(c -> CONVERGING.contains(c.name())
                || masterUnknown && c.name().equals("masters-balanced")) ? failing : List.of();
    }
}
