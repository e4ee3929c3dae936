package io.crosszone.tasks.drill;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What one drill does. The CLI sets the first block from its flags; the rest are tunables with
 * production defaults that tests and the lab may shorten.
 *
 * @param rtoObjective       null: no RTO objective (a group that never recovers still fails the drill)
 * @param stuckThreshold     a group without a master this long while the controller is up: restart the controller
 * @param controllerRestarts at most this many controller restarts per drill
 * @param restoreTimeout     how long restoring may take before the drill gives up (the lock stays for --recover)
 * @param leaseDuration      the lock's lease: a holder that has not renewed it for this long is presumed dead
 * @param probeInterval      time between two sends of each per-group probe sender
 * @param probeRouteRefresh  the probe client's name-server poll (RocketMQ's default 30 s: an ordinary client)
 * @param replaceControllerVolume a controller cut off with a volume that cannot leave its zone gets a new,
 *                           empty claim in a surviving zone and is re-seeded from what was read before the cut
 */
public record DrillOptions(String zone, DrillMode mode, Duration maxDuration, Duration rtoObjective, int rpoObjective,
                           Duration pollInterval, boolean failBack, boolean dryRun, Path reportDir,
                           Duration stuckThreshold, int controllerRestarts, Duration restoreTimeout,
                           Duration leaseDuration, Duration probeInterval, Duration probeRouteRefresh,
                           boolean replaceControllerVolume) {

    public static final Duration MAX_POLL = Duration.ofMillis(250);

    /** The CLI's defaults for a drill of {@code zone}: with the fail-back (a drill leaves the cluster as it found it). */
    public static DrillOptions defaults(String zone, DrillMode mode) {
        return new DrillOptions(zone, mode, Duration.ofMinutes(15), null, 0, MAX_POLL, true, false, null,
                Duration.ofSeconds(30), 2, Duration.ofMinutes(10), Duration.ofSeconds(15), Duration.ofMillis(100),
                Duration.ofSeconds(30), false);
    }

    public DrillOptions withReplaceControllerVolume(boolean r) {
        return new DrillOptions(zone, mode, maxDuration, rtoObjective, rpoObjective, pollInterval, failBack, dryRun, reportDir,
                stuckThreshold, controllerRestarts, restoreTimeout, leaseDuration, probeInterval, probeRouteRefresh, r);
    }

    public DrillOptions withMaxDuration(Duration d) {
        return new DrillOptions(zone, mode, d, rtoObjective, rpoObjective, pollInterval, failBack, dryRun, reportDir,
                stuckThreshold, controllerRestarts, restoreTimeout, leaseDuration, probeInterval, probeRouteRefresh,
                replaceControllerVolume);
    }

    public DrillOptions withObjectives(Duration rto, int rpo) {
        return new DrillOptions(zone, mode, maxDuration, rto, rpo, pollInterval, failBack, dryRun, reportDir,
                stuckThreshold, controllerRestarts, restoreTimeout, leaseDuration, probeInterval, probeRouteRefresh,
                replaceControllerVolume);
    }

    public DrillOptions withPollInterval(Duration d) {
        return new DrillOptions(zone, mode, maxDuration, rtoObjective, rpoObjective, d, failBack, dryRun, reportDir,
                stuckThreshold, controllerRestarts, restoreTimeout, leaseDuration, probeInterval, probeRouteRefresh,
                replaceControllerVolume);
    }

    public DrillOptions withFailBack(boolean f) {
        return new DrillOptions(zone, mode, maxDuration, rtoObjective, rpoObjective, pollInterval, f, dryRun, reportDir,
                stuckThreshold, controllerRestarts, restoreTimeout, leaseDuration, probeInterval, probeRouteRefresh,
                replaceControllerVolume);
    }

    public DrillOptions withDryRun(boolean d) {
        return new DrillOptions(zone, mode, maxDuration, rtoObjective, rpoObjective, pollInterval, failBack, d, reportDir,
                stuckThreshold, controllerRestarts, restoreTimeout, leaseDuration, probeInterval, probeRouteRefresh,
                replaceControllerVolume);
    }

    public DrillOptions withReportDir(Path dir) {
        return new DrillOptions(zone, mode, maxDuration, rtoObjective, rpoObjective, pollInterval, failBack, dryRun, dir,
                stuckThreshold, controllerRestarts, restoreTimeout, leaseDuration, probeInterval, probeRouteRefresh,
                replaceControllerVolume);
    }

    public DrillOptions withStuckThreshold(Duration d, int restarts) {
        return new DrillOptions(zone, mode, maxDuration, rtoObjective, rpoObjective, pollInterval, failBack, dryRun,
                reportDir, d, restarts, restoreTimeout, leaseDuration, probeInterval, probeRouteRefresh,
                replaceControllerVolume);
    }

    public DrillOptions withRestoreTimeout(Duration d) {
        return new DrillOptions(zone, mode, maxDuration, rtoObjective, rpoObjective, pollInterval, failBack, dryRun,
                reportDir, stuckThreshold, controllerRestarts, d, leaseDuration, probeInterval, probeRouteRefresh,
                replaceControllerVolume);
    }

    public DrillOptions withLeaseDuration(Duration d) {
        return new DrillOptions(zone, mode, maxDuration, rtoObjective, rpoObjective, pollInterval, failBack, dryRun,
                reportDir, stuckThreshold, controllerRestarts, restoreTimeout, d, probeInterval, probeRouteRefresh,
                replaceControllerVolume);
    }

    public DrillOptions withProbe(Duration interval, Duration routeRefresh) {
        return new DrillOptions(zone, mode, maxDuration, rtoObjective, rpoObjective, pollInterval, failBack, dryRun,
                reportDir, stuckThreshold, controllerRestarts, restoreTimeout, leaseDuration, interval, routeRefresh, replaceControllerVolume);
    }
}
