package io.crosszone.tasks.drill;

import io.crosszone.report.metrics.CrosszoneMetrics;
import io.crosszone.report.metrics.DrillSummary;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A drill's report as the summary its metrics and history keep. Pure. */
public final class DrillSummaries {
    private DrillSummaries() {
    }

    public static DrillSummary of(DrillReport d, Instant finishedAt, String toolVersion) {
        Map<String, Long> rto = new LinkedHashMap<>();
        Map<String, Long> outage = new LinkedHashMap<>();
        for (GroupOutcome g : d.groups()) {
            rto.put(g.brokerName(), g.rtoMillis());
            if (g.writeOutageMillis() != null) {
                outage.put(g.brokerName(), g.writeOutageMillis());
            } else if (d.acked() > 0) {
                // the probe wrote to the group and no send failed: an outage of zero, kept as a
                // series so that dashboards and alerts see the group rather than a gap
                outage.put(g.brokerName(), 0L);
            }
        }
        return new DrillSummary(finishedAt, d.zone(), d.mode(), d.verdict(), rto, outage, CrosszoneMetrics.PROBE_CLIENT,
                d.lost(), d.duplicates(), d.actions(), d.durationMillis(), toolVersion);
    }
}
