package io.crosszone.cli;

import io.crosszone.config.ConfigException;
import io.crosszone.report.metrics.MetricsPublisher;
import io.crosszone.report.metrics.Pushgateway;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where a task's Prometheus metrics go besides the {@code .prom} file in --report-dir. */
public class MetricsOptions {
    @Option(names = "--pushgateway", paramLabel = "URL",
            description = "Also push the task's metrics to this Prometheus Pushgateway, e.g. http://pushgateway:9091 (empty: no push; a failed push is a warning).")
    String pushgateway;

    @Option(names = "--cluster-name", paramLabel = "NAME", defaultValue = "default",
            description = "The cluster label of the pushed metrics' group (default: ${DEFAULT-VALUE}).")
    String clusterName;

    /** Checks the flags (exit 2 on a bad URL): call from validate. */
    URI pushgatewayUri() {
        if (pushgateway == null || pushgateway.isBlank()) {
            return null;
        }
        try {
            return Pushgateway.parse(pushgateway);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--pushgateway " + e.getMessage());
        }
    }

    String clusterName() {
        return clusterName == null || clusterName.isBlank() ? "default" : clusterName;
    }

    MetricsPublisher publisher(Path reportDir) {
        return new MetricsPublisher(reportDir, pushgatewayUri(), clusterName());
    }
}
