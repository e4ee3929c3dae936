package io.crosszone.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code crosszone lab up --rolled-out} as a user starts it: a process of its own, its RocketMQ JVMs
 * its children. Measures the time to "lab ready" and, sampled every 200 ms, the peak RSS of the lab
 * and all its processes together. Stopped with SIGTERM (the lab's hook stops what it started).
 */
final class LabProcess implements AutoCloseable {
    private final Process process;
    private final List<String> err = new ArrayList<>();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final AtomicLong peakRssKib = new AtomicLong();
    private final AtomicLong peakProcesses = new AtomicLong();
    private final Thread sampler;
    final Path dir;
    double readySeconds;

    LabProcess(Path jar, Path dir, Path workDir) throws IOException {
        this.dir = dir.toAbsolutePath();
        long start = System.nanoTime();
        process = new ProcessBuilder("java", "-jar", jar.toString(), "lab", "up", "--rolled-out",
                "--out-dir", this.dir.toString(), "--work-dir", workDir.toAbsolutePath().toString()).start();
        Thread outReader = new Thread(() -> read(process.getInputStream(), line -> {
            if (line.startsWith("lab ready:")) {
                readySeconds = (System.nanoTime() - start) / 1e9;
                ready.countDown();
            }
        }), "lab-out");
        Thread errReader = new Thread(() -> read(process.getErrorStream(), line -> {
            synchronized (err) {
                err.add(line);
            }
        }), "lab-err");
        sampler = new Thread(this::sample, "lab-rss");
        for (Thread t : List.of(outReader, errReader, sampler)) {
            t.setDaemon(true);
            t.start();
        }
    }

    /** Whether the lab said ready within 10 minutes; false as soon as it exits or its rollout fails. */
    boolean awaitReady() throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            if (ready.await(1, TimeUnit.SECONDS)) {
                return true;
            }
            if (!process.isAlive() || errLines().stream().anyMatch(l -> l.contains("Exception: Failure executing"))) {
                return false;
            }
        }
        return false;
    }

    List<String> errLines() {
        synchronized (err) {
            return List.copyOf(err);
        }
    }

    double peakRssMib() {
        return peakRssKib.get() / 1024.0;
    }

    long peakProcesses() {
        return peakProcesses.get();
    }

    private void sample() {
        while (process.isAlive()) {
            List<ProcessHandle> all = Stream.concat(Stream.of(process.toHandle()), process.descendants()).toList();
            long rss = all.stream().mapToLong(LabProcess::rssKib).sum();
            peakRssKib.accumulateAndGet(rss, Math::max);
            peakProcesses.accumulateAndGet(all.size(), Math::max);
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static long rssKib(ProcessHandle p) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(p.pid()), "status")).stream()
                    .filter(l -> l.startsWith("VmRSS:")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
        } catch (IOException | RuntimeException e) {
            return 0; // gone between listing and reading
        }
    }

    private static void read(java.io.InputStream in, java.util.function.Consumer<String> line) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                line.accept(l);
            }
        } catch (IOException e) {
            // the lab ended
        }
    }

    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        sampler.interrupt();
    }
}
