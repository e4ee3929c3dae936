package io.crosszone.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition that another thread (a double) brings about; the limit only stops a hung test. */
public final class Eventually {
    private Eventually() {
    }

    public static void until(Duration limit, BooleanSupplier condition) {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not reached within " + limit);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }
}
