package io.crosszone.report.metrics;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one failover drill leaves for dashboards and its history: the task fills it in from its
 * report; the metrics, the history ConfigMap and the trend page read only this.
 *
 * @param finishedAt  when the drill ended
 * @param verdict     passed, failed or aborted
 * @param rtoMillis   per group (broker name): from the injection until it had a master again; 0 when
 *                    its master was not in the zone; null when it never recovered
 * @param writeOutageMillis per group: the probe client's longest gap between acknowledged writes
 * @param client      which client measured the outage (the drill's probe: an ordinary 5.1.x producer)
 * @param repairs     what the drill repaired on its own (the runbook's manual steps)
 */
public record DrillSummary(Instant finishedAt, String zone, String mode, String verdict, Map<String, Long> rtoMillis,
                           Map<String, Long> writeOutageMillis, String client, long lost, long duplicates,
                           List<String> repairs, long durationMillis, String toolVersion) {
    public DrillSummary {
        rtoMillis = copy(rtoMillis);
        writeOutageMillis = copy(writeOutageMillis);
        repairs = repairs == null ? List.of() : List.copyOf(repairs);
    }

    /** Null values stay (a group that never recovered), so no {@code Map.copyOf}. */
    private static Map<String, Long> copy(Map<String, Long> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    public boolean passed() {
        return "passed".equals(verdict);
    }

    /** The slowest group's RTO; null when a group never recovered or none was measured. */
    public Long worstRtoMillis() {
        return worst(rtoMillis);
    }

    /** The client's longest write outage over all groups; null when none was measured. */
    public Long worstWriteOutageMillis() {
        return worst(writeOutageMillis);
    }

    private static Long worst(Map<String, Long> m) {
        if (m.isEmpty() || m.containsValue(null)) {
            return null;
        }
        return m.values().stream().max(Long::compare).orElse(null);
    }
}
