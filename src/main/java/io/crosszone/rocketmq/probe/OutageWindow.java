package io.crosszone.rocketmq.probe;

import java.time.Duration;

/**
 * A stretch during which every send to a group failed: from the start of the first failed send to
 * the acknowledgement of the next successful one ({@code closed} false if none came before the
 * probe stopped: then it ends at the last failed send's return).
 */
public record OutageWindow(String group, long startMillis, long endMillis, int failedSends, boolean closed) {
    public Duration duration() {
        return Duration.ofMillis(endMillis - startMillis);
    }
}
