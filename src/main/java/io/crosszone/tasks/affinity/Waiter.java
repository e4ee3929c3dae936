package io.crosszone.tasks.affinity;

import io.crosszone.tasks.Progress;
import java.time.Duration;

/** Polls a condition, printing a progress line whenever its account changes, until it holds or time is up. */
final class Waiter {
    /** Where a wait stands: done or not, and a line a person can read. */
    record Status(boolean done, String text) {
        static Status done(String text) {
            return new Status(true, text);
        }

        static Status waiting(String text) {
            return new Status(false, text);
        }
    }

    /** The condition did not hold in time; {@code last} is what was seen last. */
    static final class TimedOut extends Exception {
        final String last;

        TimedOut(String last) {
            super(last);
            this.last = last;
        }
    }

    /** A check that may also end the wait early by throwing (e.g. a revert was seen). */
    @FunctionalInterface
    interface Check {
        Status now();
    }

    private final Progress progress;
    private final Duration poll;

    Waiter(Progress progress, Duration poll) {
        this.progress = progress;
        this.poll = poll;
    }

    Status until(String prefix, Duration timeout, Check check) throws InterruptedException, TimedOut {
        long deadline = System.nanoTime() + timeout.toNanos();
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
            if (System.nanoTime() > deadline) {
                throw new TimedOut(s.text());
            }
            Thread.sleep(poll.toMillis());
        }
    }
}
