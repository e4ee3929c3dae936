package io.crosszone.tasks.drill;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.core.Progress;
import io.crosszone.core.TimeSource;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.report.Change;
import io.crosszone.report.TaskReport;
import io.crosszone.report.Verdict;
import io.crosszone.rocketmq.RocketMqAccess;
import io.crosszone.tasks.BrokerShape;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** failover-drill --recover: undoes a drill whose process died, from what its lock recorded. */
final class DrillRecovery {
    private final KubernetesGateway k8s;
    private final RocketMqAccess access;
    private final Progress progress;
    private final DrillPreflight preflight;
    private final TimeSource time;
    private final DrillCluster cluster;

    DrillRecovery(KubernetesGateway k8s, RocketMqAccess access, Progress progress, DrillPreflight preflight,
                  TimeSource time, DrillCluster cluster) {
        this.k8s = k8s;
        this.access = access;
        this.progress = progress;
        this.preflight = preflight;
        this.time = time;
        this.cluster = cluster;
    }

    /**
     * Undoes a drill whose process died: waits until its lease is no longer renewed, takes the lease
     * over, then runs the same {@link Restorer} as a drill does on its way out.
     */
    TaskReport recover(CrosszoneConfig config, DrillOptions o) throws InterruptedException {
        String ns = config.getNamespace();
        BrokerShape shape = cluster.shape();
        DrillLock lock = new DrillLock(k8s.client(), ns, o.leaseDuration());
        TaskReport report = TaskReport.mutating("failover-drill", o.dryRun());
        Optional<DrillLock.Held> held = lock.read();
        if (held.isPresent() && !held.get().expired(time.now())) {
            progress.info("the lock was renewed " + held.get().renewedAt() + ": waiting up to " + held.get().duration()
                    + " for its holder to renew it again (then it is alive) or not (then it is dead)");
            Instant renewed = held.get().renewedAt();
            long until = time.currentMillis() + held.get().duration().toMillis() + 2000;
            while (time.currentMillis() < until) {
                time.sleep(Duration.ofMillis(500));
                held = lock.read();
                if (held.isEmpty()) {
                    break;
                }
                if (!held.get().renewedAt().equals(renewed)) {
                    report.verdict(Verdict.FAILED).warn("a drill is running (" + FailoverDrillTask.lockMessage(held.get())
                            + "): --recover undoes only a drill whose process died");
                    return report;
                }
            }
        }
        DrillRecord record = held.map(DrillLock.Held::record).orElse(null);
        if (record == null) {
            report.line(held.isPresent() ? "The lock holds no record." : "No drill's lock in " + ns + ".");
        } else {
            report.line("Recovering the drill of zone " + record.zone + " (" + record.mode + ", holder " + record.holder
                    + ", started " + record.startedAt + ", phase " + record.phase + ")");
            record.cordonedNodes.forEach(n -> report.change(new Change("uncordon", "Node", null, n, null)));
            record.networkPolicies.forEach(n -> report.change(new Change("delete", "NetworkPolicy", ns, n, null)));
            record.chaosObjects.forEach(n -> report.change(new Change("delete", n.substring(0, n.indexOf('/')), ns,
                    n.substring(n.indexOf('/') + 1), null)));
        }
        new ZoneCut(k8s, ns, progress).leftoverPolicies().stream()
                .filter(n -> record == null || !record.networkPolicies.contains(n))
                .forEach(n -> report.change(new Change("delete", "NetworkPolicy", ns, n, "left by a drill")));
        if (o.dryRun()) {
            return report;
        }
        String holder = FailoverDrillTask.holder();
        if (held.isPresent() && !lock.takeOver(held.get().holder(), holder)) {
            report.verdict(Verdict.FAILED).warn("the lock " + DrillLock.NAME + " changed while --recover took it over: run it again");
            return report;
        }
        if (record != null) {
            record.holder = holder;
        }
        try (RocketMqLink link = new RocketMqLink(k8s, config, access, Duration.ofSeconds(1), Duration.ofSeconds(1))) {
            Restorer restorer = new Restorer(cluster, access, preflight, progress, o, shape, link, lock,
                    what -> report.line("  " + what));
            boolean chaos = record != null && !record.chaosObjects.isEmpty()
                    && k8s.servesKind(DrillPlan.CHAOS_API_VERSION, "NetworkChaos");
            List<String> done = restorer.restoreZone(record, chaos);
            done.forEach(d -> report.line("  " + d));
            report.put("undone", done);
            boolean whole = restorer.settle(holder);
            restorer.problems.forEach(p -> report.warn("not restored: " + p));
            restorer.failures.forEach(p -> report.warn("after recovery: " + p));
            restorer.warnings.forEach(report::warn);
            if (!whole) {
                report.verdict(Verdict.FAILED);
                report.line("Not restored: the lock is kept; run --recover again once the problems are fixed.");
                return report;
            }
            report.line("Restored: every pod Ready, every SyncStateSet full; the lock is released.");
            if (!restorer.failures.isEmpty()) {
                report.verdict(Verdict.FAILED);
            }
            return report;
        }
    }
}
