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
 * @param cut      which failure the mode modelled, how the cut was enforced, and when it took effect
 * @param probes   each probe client on its own: the ordinary one (whose outage is
 *                 {@code writeOutageMillis}) and the tuned one (README's recommended settings);
 *                 {@code acked}, {@code failedSends}, {@code lost} and {@code duplicates} add both up
 */
public record DrillReport(String zone, String mode, String verdict, Long rtoMillis, Long writeOutageMillis,
                          List<GroupOutcome> groups, long acked, long failedSends, long lost, List<String> lostKeys,
                          long duplicates, List<String> actions, List<DrillEvent> timeline, List<String> problems,
                          long durationMillis, String probeClient, List<String> clientWarnings,
                          Restore restore, Cut cut, List<Probe> probes) {
    public DrillReport {
        clientWarnings = clientWarnings == null ? List.of() : List.copyOf(clientWarnings);
        probes = probes == null ? List.of() : List.copyOf(probes);
    }

    /**
     * One probe client's view of the drill, so an application team sees what client settings buy.
     *
     * @param client   {@code ordinary} (RocketMQ 5.1.4's defaults, or --probe-route-refresh) or
     *                 {@code tuned} (the route refresh README recommends for 5.1.x clients)
     * @param settings its RocketMQ client settings
     * @param longestWriteOutageMillis its longest gap between acknowledged writes to one group;
     *                 null when its messages could not be counted
     */
    public record Probe(String client, String settings, long acknowledged, long failedSends, long lost, long duplicates,
                        Long longestWriteOutageMillis) {
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

    /**
     * The cut: what it modelled and how it was made.
     *
     * @param models         the failure the mode models ({@link DrillMode#models()})
     * @param networkModel   how the cut was enforced: the lab's model ({@code packet-drop} or
     *                       {@code freeze}, from the NetworkPolicy's annotation), {@code network-policy}
     *                       (the cluster's CNI) or {@code chaos-mesh}
     * @param inEffectMillis from making the cut (t=0 of the timeline, in every mode) until every probed
     *                       member of the zone stopped answering the drill (probe timeouts included: an
     *                       upper bound); null when not confirmed
     * @param silent         the zone's members probed and found silent
     * @param stillAnswering the zone's members that still answered when the drill gave up waiting
     * @param madeAt         when the cut was made (ISO-8601 instant; null when it was not made)
     * @param t0At           the timeline's t=0 as an instant, so its events can be set beside the
     *                       servers' own logs (null when the cut was not made)
     */
    public record Cut(String models, String networkModel, Long inEffectMillis, List<String> silent,
                      List<String> stillAnswering, String madeAt, String t0At) {
        public Cut {
            silent = silent == null ? List.of() : List.copyOf(silent);
            stillAnswering = stillAnswering == null ? List.of() : List.copyOf(stillAnswering);
        }

        /** One line for the reports. */
        public String describe() {
            return models + "; enforced by " + networkModel + (inEffectMillis != null
                    ? "; in effect " + DrillMarkdown.ms(inEffectMillis) + " after it was made: silent " + silent
                    : stillAnswering.isEmpty() ? "; not confirmed by the drill"
                    : "; NOT in effect: still answering " + stillAnswering + (silent.isEmpty() ? "" : ", silent " + silent));
        }
    }
}
