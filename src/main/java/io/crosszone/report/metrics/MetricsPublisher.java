package io.crosszone.report.metrics;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes a task's metrics: a {@code .prom} file in the report directory (when there is one)
 * and a push to the Pushgateway (when one is given), a job per task, grouped by cluster (and zone
 * for a drill). Neither ever fails the task: what went wrong comes back as warnings.
 */
public final class MetricsPublisher {
    public static final String DRILL_JOB = "crosszone-failover-drill";
    public static final String VERIFY_JOB = "crosszone-verify-distribution";

    private final Path reportDir;
    private final URI pushgateway;
    private final String cluster;

    /** @param reportDir null: no file; @param pushgateway null: no push */
    public MetricsPublisher(Path reportDir, URI pushgateway, String cluster) {
        this.reportDir = reportDir;
        this.pushgateway = pushgateway;
        this.cluster = cluster;
    }

    public List<String> drill(DrillSummary d) {
        Map<String, String> grouping = new LinkedHashMap<>();
        grouping.put("cluster", cluster);
        grouping.put("zone", d.zone());
        return publish("drill-" + d.zone() + ".prom", DRILL_JOB, grouping, CrosszoneMetrics.text(CrosszoneMetrics.drill(d)));
    }

    public List<String> verify(List<VerifySummary> runs) {
        return publish("verify-distribution.prom", VERIFY_JOB, Map.of("cluster", cluster),
                CrosszoneMetrics.text(CrosszoneMetrics.verify(runs)));
    }

    private List<String> publish(String file, String job, Map<String, String> grouping, String text) {
        List<String> warnings = new ArrayList<>();
        if (reportDir != null) {
            try {
                PromFiles.write(reportDir, file, text);
            } catch (IOException e) {
                warnings.add("metrics: cannot write " + reportDir.resolve(file) + ": " + e.getMessage());
            }
        }
        if (pushgateway != null) {
            try {
                new Pushgateway(pushgateway).push(job, grouping, text);
            } catch (IOException e) {
                warnings.add("metrics: push to the Pushgateway " + pushgateway + " failed (the drill's result stands): " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                warnings.add("metrics: push to the Pushgateway " + pushgateway + " interrupted");
            }
        }
        return warnings;
    }
}
