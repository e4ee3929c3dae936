package io.crosszone.tasks.drill;

import java.util.List;

/**
 * What a failover drill measured; its JSON is the drill's report.
 *
 * @param verdict  passed, failed (objectives missed) or aborted (max duration, SIGTERM, error)
 * @param rtoMillis the server's view: the slowest group's RTO (null when a group never recovered)
 * @param writeOutageMillis the client's view: the probe's longest gap between acknowledged writes
 * @param lost     acknowledged messages that could not be consumed afterwards (RPO)
 * @param probeClient the probe's client: its RocketMQ settings and the name server it used when the
 *                 zone went (what decides how long an ordinary client stays on stale routes)
 * @param clientWarnings why the client's outage was longer than the servers' recovery explains
 * @param restore  whether the drill left the cluster as it found it
 */
public record DrillReport(String zone, String mode, String verdict, Long rtoMillis, Long writeOutageMillis,
                          List<GroupOutcome> groups, long acked, long failedSends, long lost, List<String> lostKeys,
                          long duplicates, List<String> actions, List<DrillEvent> timeline, List<String> problems,
                          long durationMillis, String probeClient, List<String> clientWarnings,
                          Restore restore) {
    public DrillReport {
        clientWarnings = clientWarnings == null ? List.of() : List.copyOf(clientWarnings);
    }

    /**
     * The restore's outcome: a drill leaves the cluster as it found it.
     *
     * @param failBack whether the masters were failed back to their planned replicas (not with --no-fail-back)
     * @param whole    every pod Ready and every SyncStateSet full again
     * @param warnings what the final check found that does not fail the drill (with --no-fail-back:
     *                 masters left unbalanced where failover put them)
     */
    public record Restore(boolean failBack, boolean whole, List<String> warnings) {
        public Restore {
            warnings = warnings == null ? List.of() : List.copyOf(warnings);
        }

        /** One line for the reports. */
        public String describe() {
            if (!whole) {
                return "NOT whole again: see the problems (the lock is kept for failover-drill --recover)";
            }
            return "whole again (every pod Ready, every SyncStateSet full); " + (failBack
                    ? "masters failed back to their planned replicas"
                    : "masters left where failover put them (--no-fail-back)");
        }
    }
}
