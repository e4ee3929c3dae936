package io.crosszone.tasks.drill;

import io.crosszone.core.Progress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The drill's lease while it runs: taken (with the record) before anything changes, renewed in the
 * background, and a JVM shutdown hook (SIGTERM) that aborts the drill and waits for its restore.
 * Closing it stops the renewal and lets the hook return; the {@link Restorer} releases the lease.
 */
final class DrillLease implements AutoCloseable {
    private final DrillLock lock;
    private final String holder;
    private final Progress progress;
    private final ScheduledExecutorService renewer;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    private DrillLease(DrillLock lock, DrillRecord record, DrillOptions o, Runnable abort, Progress progress) {
        this.lock = lock;
        this.holder = record.holder;
        this.progress = progress;
        this.renewer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "drill-lease-renewer");
            t.setDaemon(true);
            return t;
        });
        long renewEvery = Math.max(1000, o.leaseDuration().toMillis() / 3);
        renewer.scheduleWithFixedDelay(this::renew, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        this.hook = new Thread(() -> {
            abort.run();
            progress.warn("shutting down: restoring zone " + o.zone() + " before exiting");
            try {
                finished.await(o.restoreTimeout().toMillis() + Duration.ofMinutes(1).toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "drill-restore-on-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Takes the lease for {@code record}; {@link DrillLock.HeldByOther} when another drill has it. */
    static DrillLease take(DrillLock lock, DrillRecord record, DrillOptions o, Runnable abort, Progress progress) {
        lock.acquire(record);
        return new DrillLease(lock, record, o, abort, progress);
    }

    private void renew() {
        try {
            lock.renew(holder);
        } catch (RuntimeException e) {
            progress.warn("could not renew the drill's lock: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        renewer.shutdownNow();
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it returns now that the drill has finished
        }
    }
}
