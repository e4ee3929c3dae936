package io.crosszone.core;

import io.crosszone.core.Progress;
import java.time.Duration;

/** Polls a condition, printing a progress line whenever its account changes, until it holds or time is up. */
public final class Waiter {
    /** Where a wait stands: done or not, and a line a person can read. */
    public record Status(boolean done, String text) {
        public static Status done(String text) {
            return new Status(true, text);
        }

        public static Status waiting(String text) {
            return new Status(false, text);
        }
    }

    /** The condition did not hold in time; {@code last} is what was seen last. */
    public static final class TimedOut extends Exception {
        public final String last;

        TimedOut(String last) {
            super(last);
            this.last = last;
        }
    }

    /** A check that may also end the wait early by throwing (e.g. a revert was seen). */
    @FunctionalInterface
    public interface Check {
        Status now();
    }

    private final Progress progress;
    private final Duration poll;
    private final TimeSource time;

    public Waiter(Progress progress, Duration poll) {
        this(progress, poll, TimeSource.SYSTEM);
    }

    public Waiter(Progress progress, Duration poll, TimeSource time) {
        this.progress = progress;
        this.poll = poll;
        this.time = time;
    }

    public TimeSource time() {
        return time;
    }

    /**
     * Asks {@code check} every poll interval until it is done (returned) or {@code timeout} has passed
     * ({@link TimedOut} with the last account). Prints the account, after {@code prefix}, whenever it changes.
     */
    public Status until(String prefix, Duration timeout, Check check) throws InterruptedException, TimedOut {
        long deadline = time.nanoTime() + timeout.toNanos();
        String last = null;
        while (true) {
            Status s = check.now();
            if (!s.text().equals(last)) {
                progress.info(prefix + s.text());
                last = s.text();
            }
            if (s.done()) {
                return s;
            }
            if (time.nanoTime() > deadline) {
                throw new TimedOut(s.text());
            }
            time.sleep(poll);
        }
    }
}
