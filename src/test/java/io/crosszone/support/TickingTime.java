package io.crosszone.support;

import io.crosszone.core.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A fake clock for a task that waits on test doubles running in real time (the operator double,
 * the kubelet stand-in): each sleep moves the clock on by the whole duration but sleeps for real
 * only a short tick, so the doubles still get on while a long wait (a timeout, quiet checks)
 * passes in a fraction of the time. {@link #at} runs an action once the clock has passed a moment,
 * for a test to make something happen "later" without a timer thread.
 */
public final class TickingTime implements TimeSource {
    private final Duration tick;
    private long nanos = 1_000_000_000_000L;
    private final List<Scheduled> scheduled = new ArrayList<>();

    private record Scheduled(long atNanos, Runnable action) {
    }

    public TickingTime(Duration tick) {
        this.tick = tick;
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
    public void sleep(Duration d) throws InterruptedException {
        List<Runnable> due = new ArrayList<>();
        synchronized (this) {
            nanos += d.toNanos();
            scheduled.removeIf(s -> s.atNanos() <= nanos && due.add(s.action()));
        }
        due.forEach(Runnable::run);
        Thread.sleep(Math.min(d.toMillis(), tick.toMillis()));
    }

    /** Runs {@code action} (in the sleeping thread) at the first sleep that takes the clock {@code after} past now. */
    public synchronized void at(Duration after, Runnable action) {
        scheduled.add(new Scheduled(nanos + after.toNanos(), action));
    }
}
