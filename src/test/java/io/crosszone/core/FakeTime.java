package io.crosszone.core;

import java.time.Duration;

/** A {@link TimeSource} whose sleeps advance it at once: a test waits minutes in no time. */
public final class FakeTime implements TimeSource {
    private long nanos;
    private long sleeps;

    public FakeTime(long startMillis) {
        this.nanos = startMillis * 1_000_000L;
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
    }

    @Override
    public synchronized long currentMillis() {
        return nanos / 1_000_000L;
    }

    @Override
    public synchronized void sleep(Duration d) {
        nanos += d.toNanos();
        sleeps++;
    }

    public synchronized void advance(Duration d) {
        nanos += d.toNanos();
    }

    public synchronized long sleeps() {
        return sleeps;
    }
}
