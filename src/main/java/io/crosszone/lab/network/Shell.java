package io.crosszone.lab.network;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the lab's network commands ({@code ip}, {@code iptables}) directly, never through a shell. */
final class Shell {
    private Shell() {
    }

    /** The command's output; throws with its output if it fails or does not end within 20 s. */
    static String run(String... command) {
        Result r = tryRun(command);
        if (r.exitCode != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + r.exitCode + "): " + r.output.trim());
        }
        return r.output;
    }

    /** Runs a command whose failure is expected at times (removing what may be gone already). */
    static Result tryRun(String... command) {
        return tryRunWithInput("", command);
    }

    /** Runs a command with {@code input} on its stdin; throws with its output if it fails. */
    static void runWithInput(String input, List<String> command) {
        Result r = tryRunWithInput(input, command.toArray(String[]::new));
        if (r.exitCode != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + r.exitCode + "): "
                    + r.output.trim() + "; input:\n" + input);
        }
    }

    private static Result tryRunWithInput(String input, String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            try (var stdin = p.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }
    }
}
