package io.crosszone.tasks.drill;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The CLI in a child JVM, as a pipeline runs it, against the lab's API over HTTP (a kubeconfig)
 * and RocketMQ at the pods' IPs: so that a test can SIGTERM or SIGKILL it mid-drill.
 */
final class ChildDrill {
    private final Process process;
    private final Path log;
    private final DrillLab lab;

    private ChildDrill(Process process, Path log, DrillLab lab) {
        this.process = process;
        this.log = log;
        this.lab = lab;
    }

    static ChildDrill start(DrillLab lab, Path reportDir, String... args) throws Exception {
        Files.createDirectories(reportDir);
        Path kubeconfig = lab.lab.writeKubeconfig(reportDir.resolve("kubeconfig"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "io.crosszone.cli.Crosszone", "failover-drill",
                "--kubeconfig", kubeconfig.toString(), "--zones", "az1,az2", "--max-duration", "3m", "--fail-back",
                "--report-dir", reportDir.toString()));
        cmd.addAll(List.of(args));
        Path log = reportDir.resolve("child.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new ChildDrill(p, log, lab);
    }

    Process process() {
        return process;
    }

    /** Waits until the child's lock records this phase. */
    void awaitPhase(String phase) throws InterruptedException {
        DrillLock lock = new DrillLock(lab.lab.client(), DrillLab.NS, Duration.ofSeconds(15));
        lab.await("the child drill reaches " + phase + "\n" + output(), Duration.ofSeconds(120), () -> {
            if (!process.isAlive()) {
                throw new AssertionError("the child exited with " + process.exitValue() + ":\n" + output());
            }
            return lock.read().map(h -> h.record() != null && h.record().phase != null && phase.equals(h.record().phase.flag())).orElse(false);
        });
    }

    String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /** Kills the child if it still runs (a test failing midway leaves no JVM behind). */
    void kill() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
