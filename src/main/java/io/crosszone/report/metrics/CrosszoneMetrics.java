package io.crosszone.report.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The drill's and verify's results as Prometheus gauges (the Prometheus Java library's model and
 * its text format writer, so names, escaping and types are the library's). Pure: no I/O.
 */
public final class CrosszoneMetrics {
    /** The {@code client} label of the drill's own probe: an ordinary RocketMQ 5.1.x producer. */
    public static final String PROBE_CLIENT = "probe";

    private CrosszoneMetrics() {
    }

    /** The metrics of one drill. A group that never recovered has no RTO sample (its drill's success is 0). */
    public static MetricSnapshots drill(DrillSummary d) {
        String zone = d.zone();
        List<MetricSnapshot> m = new ArrayList<>();
        GaugeSnapshot.Builder rto = gauge("crosszone_drill_rto_seconds",
                "Per group: from the zone loss until the controller and the name server show a master again (0: its master was elsewhere).");
        d.rtoMillis().forEach((group, ms) -> {
            if (ms != null) {
                rto.dataPoint(point(ms / 1000.0, "zone", zone, "group", group));
            }
        });
        m.add(rto.build());
        GaugeSnapshot.Builder outage = gauge("crosszone_drill_write_outage_seconds",
                "Per group and client: the longest gap between two acknowledged writes during the drill.");
        d.writeOutageMillis().forEach((group, ms) -> {
            if (ms != null) {
                outage.dataPoint(point(ms / 1000.0, "zone", zone, "group", group, "client", d.client()));
            }
        });
        m.add(outage.build());
        m.add(one("crosszone_drill_lost_messages", "Acknowledged messages that could not be consumed after the drill (RPO).",
                d.lost(), "zone", zone));
        m.add(one("crosszone_drill_duplicates", "Messages the probe consumed more than once.", d.duplicates(), "zone", zone));
        m.add(one("crosszone_drill_success", "1 when the drill passed (objectives met, everything restored), else 0.",
                d.passed() ? 1 : 0, "zone", zone));
        m.add(one("crosszone_drill_last_run_timestamp_seconds", "When the drill ended (Unix time).",
                d.finishedAt().toEpochMilli() / 1000.0, "zone", zone));
        m.add(one("crosszone_drill_duration_seconds", "How long the drill took, restore included.",
                d.durationMillis() / 1000.0, "zone", zone));
        m.add(one("crosszone_drill_repairs", "Repairs the drill made on its own (controller and console restarts, ...).",
                d.repairs().size(), "zone", zone));
        m.add(one("crosszone_drill_info", "The drill's mode, verdict and tool version as labels; always 1.", 1,
                "zone", zone, "mode", d.mode(), "verdict", d.verdict(), "version", d.toolVersion()));
        return new MetricSnapshots(m);
    }

    /** The metrics of verify-distribution, one set per verified deployment. */
    public static MetricSnapshots verify(List<VerifySummary> runs) {
        GaugeSnapshot.Builder check = gauge("crosszone_verify_check_passed",
                "Per check: 1 when it passed, else 0 (severity error fails the verdict, warning does not).");
        GaugeSnapshot.Builder passed = gauge("crosszone_verify_passed", "1 when every error-severity check passed, else 0.");
        GaugeSnapshot.Builder last = gauge("crosszone_verify_last_run_timestamp_seconds", "When verify-distribution ended (Unix time).");
        for (VerifySummary v : runs) {
            // a check named twice (not done today) would be two samples with the same labels: it passes if both do
            Map<String, VerifySummary.Check> byName = new LinkedHashMap<>();
            v.checks().forEach(c -> byName.merge(c.name(), c,
                    (a, b) -> new VerifySummary.Check(a.name(), a.passed() && b.passed(), a.error() || b.error())));
            for (VerifySummary.Check c : byName.values()) {
                check.dataPoint(point(c.passed() ? 1 : 0, "check", c.name(), "namespace", v.namespace(),
                        "broker_cr", v.brokerCr(), "severity", c.error() ? "error" : "warning"));
            }
            passed.dataPoint(point(v.passed() ? 1 : 0, "namespace", v.namespace(), "broker_cr", v.brokerCr()));
            last.dataPoint(point(v.finishedAt().toEpochMilli() / 1000.0, "namespace", v.namespace(), "broker_cr", v.brokerCr()));
        }
        return new MetricSnapshots(check.build(), passed.build(), last.build());
    }

    /** The Prometheus text format (0.0.4), which a node-exporter textfile collector and the Pushgateway read. */
    public static String text(MetricSnapshots snapshots) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, snapshots);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    public static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    private static GaugeSnapshot.Builder gauge(String name, String help) {
        return GaugeSnapshot.builder().name(name).help(help);
    }

    private static MetricSnapshot one(String name, String help, double value, String... labels) {
        return gauge(name, help).dataPoint(point(value, labels)).build();
    }

    private static GaugeDataPointSnapshot point(double value, String... labels) {
        String[] clean = labels.clone();
        for (int i = 1; i < clean.length; i += 2) {
            clean[i] = clean[i] == null ? "" : clean[i];
        }
        return GaugeDataPointSnapshot.builder().labels(Labels.of(clean)).value(value).build();
    }
}
