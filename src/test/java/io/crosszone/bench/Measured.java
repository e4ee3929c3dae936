package io.crosszone.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One whole process, measured by GNU time (Debian's `time` package, /usr/bin/time): wall, CPU
 * (user + system, children included) and peak RSS. Only the process itself and what it waits for:
 * a container's JVM is not podman's child, so for `podman run` CPU and RSS are podman's own.
 */
record Measured(int exitCode, double wallSeconds, double cpuSeconds, long peakRssKib, String out, String err) {
    static final String TIME = "/usr/bin/time";

    static boolean available() {
        return new File(TIME).canExecute();
    }

    static Measured run(List<String> command) throws IOException, InterruptedException {
        return run(command, 5);
    }

    /** As {@link #run(List)}, killed after {@code timeoutMinutes}. */
    static Measured run(List<String> command, int timeoutMinutes) throws IOException, InterruptedException {
        Path stats = Files.createTempFile("bench", ".time");
        Path out = Files.createTempFile("bench", ".out");
        Path err = Files.createTempFile("bench", ".err");
        try {
            List<String> timed = new ArrayList<>(List.of(TIME, "-f", "%e %U %S %M", "-o", stats.toString()));
            timed.addAll(command);
            Process p = new ProcessBuilder(timed).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                p.destroyForcibly().waitFor();
                throw new IOException(command + " still running after " + timeoutMinutes + " min; killed");
            }
            String[] f = Files.readAllLines(stats).stream().filter(l -> l.matches("[0-9. ]+")).findFirst()
                    .orElseThrow(() -> new IOException("no timing from " + TIME + " for " + command)).trim().split(" ");
            return new Measured(p.exitValue(), Double.parseDouble(f[0]), Double.parseDouble(f[1]) + Double.parseDouble(f[2]),
                    Long.parseLong(f[3]), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(stats);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Several processes one after the other, as a user runs them: times and CPU add up, RSS is the largest. */
    static Measured sequence(List<List<String>> commands) throws IOException, InterruptedException {
        double wall = 0;
        double cpu = 0;
        long rss = 0;
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        for (List<String> c : commands) {
            Measured m = run(c);
            if (m.exitCode() != 0) {
                return m;
            }
            wall += m.wallSeconds();
            cpu += m.cpuSeconds();
            rss = Math.max(rss, m.peakRssKib());
            out.append(m.out());
            err.append(m.err());
        }
        return new Measured(0, wall, cpu, rss, out.toString(), err.toString());
    }
}
