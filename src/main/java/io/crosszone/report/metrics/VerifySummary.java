package io.crosszone.report.metrics;

import java.time.Instant;
import java.util.List;

/** What one verify-distribution run of a deployment leaves for dashboards: each check and whether it passed. */
public record VerifySummary(Instant finishedAt, String namespace, String brokerCr, boolean passed, List<Check> checks) {
    public VerifySummary {
        checks = List.copyOf(checks);
    }

    /** @param error an ERROR check fails the verdict; a WARNING is reported only */
    public record Check(String name, boolean passed, boolean error) {
    }
}
