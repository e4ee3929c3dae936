package io.crosszone.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.function.Supplier;

/**
 * The interruption tests' kill: watches the mock API's requests and SIGKILLs a child CLI once it
 * has made its {@code nth} request with this method and path prefix (a step boundary), then waits
 * for it to be gone. Returns the child's exit code (137 when the kill landed mid-run).
 */
public final class SigkillAt {
    private SigkillAt() {
    }

    public static int nthRequest(KubernetesMockServer server, Process child, int nth, String method, String pathPrefix,
                                 Supplier<String> log) throws InterruptedException {
        int seen = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (seen < nth && child.isAlive()) {
            assertThat(System.nanoTime()).as("the child reaches " + method + " " + pathPrefix + " #" + nth + ":\n" + log.get())
                    .isLessThan(deadline);
            RecordedRequest r = server.takeRequest(100, TimeUnit.MILLISECONDS);
            if (r != null && method.equals(r.getMethod()) && r.getPath().startsWith(pathPrefix)) {
                seen++;
            }
        }
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return child.exitValue();
    }

    /**
     * The kill for steps that are not API requests (RocketMQ elections, a step's wait): SIGKILLs the
     * child once its progress log (stderr, in {@code log}) has a line matching {@code line}, that
     * is just after the child said it reached that step. Returns the matching line.
     */
    public static String progressLine(Process child, Path log, Pattern line, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        String hit = null;
        while (hit == null && child.isAlive()) {
            assertThat(System.nanoTime()).as("the child prints a line matching " + line + ":\n" + read(log))
                    .isLessThan(deadline);
            hit = read(log).lines().filter(l -> line.matcher(l).find()).findFirst().orElse(null);
            if (hit == null) {
                Thread.sleep(20);
            }
        }
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(hit).as("the child ended (exit " + child.exitValue() + ") before printing " + line + ":\n" + read(log))
                .isNotNull();
        return hit;
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
