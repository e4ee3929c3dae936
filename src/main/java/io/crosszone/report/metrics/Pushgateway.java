package io.crosszone.report.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * Pushes a text-format body to a Prometheus Pushgateway with its HTTP API: {@code PUT
 * /metrics/job/JOB/LABEL/VALUE...} replaces every metric of that group, so a drill's push never
 * leaves a stale group behind. Every path element is sent base64url-encoded ({@code @base64}), so
 * any label value (slashes, empty) is safe. (The library's own Pushgateway exporter 1.10.0 is not
 * on Maven Central; the API is small.)
 */
public final class Pushgateway {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    public Pushgateway(URI base) {
        this.base = base;
    }

    /** Checks a --pushgateway value: an http(s) URL with a host. */
    public static URI parse(String url) {
        URI u;
        try {
            u = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: " + url);
        }
        if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
            throw new IllegalArgumentException("must be an http(s) URL with a host, e.g. http://pushgateway:9091, got " + url);
        }
        return u;
    }

    /** The group's URL: job, then each grouping label, in order. */
    public URI groupUri(String job, Map<String, String> grouping) {
        StringBuilder path = new StringBuilder(base.getPath().replaceAll("/+$", ""));
        path.append("/metrics/job@base64/").append(b64(job));
        grouping.forEach((k, v) -> path.append('/').append(k).append("@base64/").append(b64(v)));
        return base.resolve(path.toString());
    }

    /** PUT: replaces the group's metrics. Throws when the Pushgateway does not accept them. */
    public void push(String job, Map<String, String> grouping, String textFormat) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(groupUri(job, grouping)).timeout(TIMEOUT)
                .header("Content-Type", CrosszoneMetrics.contentType())
                .PUT(HttpRequest.BodyPublishers.ofString(textFormat, StandardCharsets.UTF_8)).build();
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() / 100 != 2) {
            throw new IOException("HTTP " + resp.statusCode() + " from " + req.uri() + ": " + resp.body().strip());
        }
    }

    /** base64url; an empty value is "=" as the Pushgateway documents. */
    private static String b64(String v) {
        if (v == null || v.isEmpty()) {
            return "=";
        }
        return Base64.getUrlEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8));
    }
}
