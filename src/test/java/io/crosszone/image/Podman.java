package io.crosszone.image;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code podman} binary (no double): the container runtime CI and users have. */
final class Podman {
    /** A guard against a hung runtime, not a performance bound: no run here comes near it. */
    private static final Duration GUARD = Duration.ofMinutes(5);

    record Result(int exitCode, String out, String err, Duration took) {
        Result orFail(String what) {
            if (exitCode != 0) {
                throw new AssertionError(what + ": podman exited " + exitCode + "\n" + err + out);
            }
            return this;
        }
    }

    private Podman() {
    }

    /** podman's version line, or null where podman cannot be run. */
    static String version() {
        try {
            Result r = run("--version");
            return r.exitCode() == 0 ? r.out().strip() : null;
        } catch (IOException e) {
            return null;
        }
    }

    static Result run(String... args) throws IOException {
        return run(List.of(args));
    }

    static Result run(List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("podman");
        command.addAll(args);
        Path out = Files.createTempFile("podman", ".out");
        Path err = Files.createTempFile("podman", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            long start = System.nanoTime();
            boolean done = p.waitFor(GUARD.toMillis(), TimeUnit.MILLISECONDS);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (!done) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IOException("podman " + args + " still running after " + GUARD + "; killed");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), took);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running podman " + args, e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
