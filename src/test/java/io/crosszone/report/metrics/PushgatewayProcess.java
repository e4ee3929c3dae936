package io.crosszone.report.metrics;

import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus Pushgateway (Debian's {@code prometheus-pushgateway}, installed by .ci/run) on
 * 127.0.0.1 and a free port, without persistence, stopped by its PID. Missing binary: the test
 * fails under CI=true and is skipped with a message elsewhere.
 */
public final class PushgatewayProcess implements AutoCloseable {
    static final String BINARY = "/usr/bin/prometheus-pushgateway";
    private final Process process;
    private final URI url;
    private final HttpClient http = HttpClient.newHttpClient();

    private PushgatewayProcess(Process process, URI url) {
        this.process = process;
        this.url = url;
    }

    /**
     * For a test whose main claim does not need one: null (with a banner) when the binary is missing
     * outside CI; under CI=true a missing binary fails as in {@link #start}.
     */
    public static PushgatewayProcess startIfInstalled(Path logDir) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(BINARY)) && !"true".equalsIgnoreCase(System.getenv("CI"))) {
            System.out.println("[pushgateway] SKIPPED the push checks: " + BINARY + " is missing (apt-get install prometheus-pushgateway)");
            return null;
        }
        return start(logDir);
    }

    public static PushgatewayProcess start(Path logDir) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(BINARY))) {
            String why = BINARY + " is missing: apt-get install prometheus-pushgateway (.ci/run does)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(why);
            }
            assumeThat(false).as("SKIPPED: " + why).isTrue();
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.createDirectories(logDir);
        Process p = new ProcessBuilder(BINARY, "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(logDir.resolve("pushgateway.log").toFile()).start();
        PushgatewayProcess pg = new PushgatewayProcess(p, URI.create("http://127.0.0.1:" + port));
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the Pushgateway exited: " + Files.readString(logDir.resolve("pushgateway.log")));
            }
            try {
                if (pg.get("/-/ready").statusCode() == 200) {
                    return pg;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        pg.close();
        throw new IllegalStateException("the Pushgateway was not ready within 30 s");
    }

    public URI url() {
        return url;
    }

    public long pid() {
        return process.pid();
    }

    /** Its /metrics, parsed strictly. */
    public Map<String, Double> metrics() throws IOException, InterruptedException {
        HttpResponse<String> r = get("/metrics");
        if (r.statusCode() != 200) {
            throw new IOException("GET /metrics: HTTP " + r.statusCode());
        }
        return PromText.parse(r.body());
    }

    /** The samples of {@code name} whose labels include {@code labels} (pairs), e.g. the group's pushed metrics. */
    public static Map<String, Double> select(Map<String, Double> all, String name, String... labels) {
        Map<String, Double> out = new LinkedHashMap<>();
        all.forEach((k, v) -> {
            if (!k.startsWith(name + "{")) {
                return;
            }
            for (int i = 0; i < labels.length; i += 2) {
                if (!k.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
                    return;
                }
            }
            out.put(k, v);
        });
        return out;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url.resolve(path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Stops it by its PID: SIGTERM, then SIGKILL. */
    @Override
    public void close() throws InterruptedException {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
