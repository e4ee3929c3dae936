package io.crosszone.tasks.verify;

import io.crosszone.report.metrics.VerifySummary;
import java.time.Instant;
import java.util.List;

/** verify-distribution's results as the summaries its metrics keep. Pure. */
public final class VerifySummaries {
    private VerifySummaries() {
    }

    public static List<VerifySummary> of(List<Verification> results, Instant finishedAt) {
        return results.stream().map(v -> new VerifySummary(finishedAt, v.namespace(), v.brokerCr(), v.passed(),
                v.checks().stream().map(c -> new VerifySummary.Check(c.name(), c.passed(),
                        c.severity() == CheckResult.Severity.ERROR)).toList())).toList();
    }
}
