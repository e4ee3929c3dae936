package io.crosszone.rocketmq.probe;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the probe saw. {@code lostKeys}: acknowledged but not read back (what RPO counts);
 * {@code duplicates}: keys read more than once, with their count; {@code storedDespiteFailure}:
 * sends reported as failed whose message was read back all the same (a timed-out send can be
 * stored); {@code failureCauses}: cause to count; {@code outages}: per-group write outage windows.
 */
public record ProbeResult(long startMillis, long endMillis, int sent, int acked, int failed,
                          List<String> lostKeys, Map<String, Integer> duplicates, int read,
                          int storedDespiteFailure, Map<String, Integer> failureCauses,
                          List<OutageWindow> outages, List<SendRecord> sends) {
    public ProbeResult {
        lostKeys = List.copyOf(lostKeys);
        duplicates = Map.copyOf(duplicates);
        failureCauses = Map.copyOf(failureCauses);
        outages = List.copyOf(outages);
        sends = List.copyOf(sends);
    }

    public Optional<OutageWindow> longestOutage() {
        return outages.stream().max(Comparator.comparing(OutageWindow::duration));
    }

    public Duration longestOutageDuration() {
        return longestOutage().map(OutageWindow::duration).orElse(Duration.ZERO);
    }

    /** A one-line summary for logs and reports (the full record list stays in {@link #sends()}). */
    public String summary() {
        return "sent=" + sent + " acked=" + acked + " failed=" + failed + " read=" + read
                + " lost=" + lostKeys.size() + " duplicates=" + duplicates.size()
                + " storedDespiteFailure=" + storedDespiteFailure + " causes=" + failureCauses
                + " longestOutage=" + longestOutageDuration().toMillis() + "ms";
    }
}
