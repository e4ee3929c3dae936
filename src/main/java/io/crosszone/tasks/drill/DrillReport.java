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
 */
public record DrillReport(String zone, String mode, String verdict, Long rtoMillis, Long writeOutageMillis,
                          List<GroupOutcome> groups, long acked, long failedSends, long lost, List<String> lostKeys,
                          long duplicates, List<String> actions, List<DrillEvent> timeline, List<String> problems,
                          long durationMillis, String probeClient, List<String> clientWarnings) {
    public DrillReport {
        clientWarnings = clientWarnings == null ? List.of() : List.copyOf(clientWarnings);
    }
}
