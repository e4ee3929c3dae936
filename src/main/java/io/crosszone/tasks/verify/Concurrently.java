package io.crosszone.tasks.verify;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Independent reads at once (one Kubernetes list per kind; RocketMQ's name servers, controller and
 * brokers): each waits on the network, so a short-lived CLI's wall time is the slowest read, not
 * their sum. A read's own exception comes out of {@link #get} unchanged, as if it had run inline.
 */
final class Concurrently implements AutoCloseable {
    private final ExecutorService pool;

    Concurrently(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    <T> Future<T> submit(Callable<T> read) {
        return pool.submit(read);
    }

    Future<Void> run(Runnable read) {
        return pool.submit(read, null);
    }

    /** The read's result; its RuntimeException or Error as it was thrown. */
    static <T> T get(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
