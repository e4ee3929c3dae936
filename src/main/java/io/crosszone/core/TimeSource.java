package io.crosszone.core;

import java.time.Duration;
import java.time.Instant;

/**
 * The clock and the sleep every poll loop uses, injected so that a test can run a long wait in no
 * time ({@link #SYSTEM} in production).
 */
public interface TimeSource {
    TimeSource SYSTEM = new TimeSource() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long currentMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            if (!d.isNegative() && !d.isZero()) {
                Thread.sleep(d.toMillis());
            }
        }
    };

    /** A monotonic reading for measuring elapsed time. */
    long nanoTime();

    /** Wall-clock milliseconds since the epoch (timestamps in reports). */
    long currentMillis();

    default Instant now() {
        return Instant.ofEpochMilli(currentMillis());
    }

    void sleep(Duration d) throws InterruptedException;
}
