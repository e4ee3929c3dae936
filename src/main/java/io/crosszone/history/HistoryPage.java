package io.crosszone.history;

import io.crosszone.report.metrics.DrillSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The drill history as one self-contained HTML page (inline SVG, no script, nothing fetched): a
 * trend of RTO and of the client's write outage per zone over time, each failed drill marked, and
 * the table of every drill. Pure.
 */
public final class HistoryPage {
    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#17becf"};
    private static final int W = 760;
    private static final int H = 240;
    private static final int PAD = 48;

    private HistoryPage() {
    }

    public static String render(String namespace, List<DrillSummary> history, List<String> problems, Instant now) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Failover drills of ")
                .append(esc(namespace)).append("</title>\n<style>body{font-family:sans-serif;margin:2em}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}"
                        + ".failed{color:#c00;font-weight:bold}.passed{color:#080}</style></head><body>\n");
        b.append("<h1>Failover drills of ").append(esc(namespace)).append("</h1>\n<p>").append(history.size())
                .append(" drills recorded (ConfigMap ").append(DrillHistory.CONFIG_MAP).append("), page made ").append(now).append(".</p>\n");
        if (problems.isEmpty()) {
            b.append("<p class=\"passed\">The last drill of every zone passed, and the newest is recent enough.</p>\n");
        } else {
            b.append("<ul>");
            problems.forEach(p -> b.append("<li class=\"failed\">").append(esc(p)).append("</li>"));
            b.append("</ul>\n");
        }
        if (!history.isEmpty()) {
            List<String> zones = new ArrayList<>(DrillHistory.lastPerZone(history).keySet());
            b.append("<h2>RTO per zone (slowest group, seconds)</h2>\n");
            chart(b, "rto", history, zones, DrillSummary::worstRtoMillis);
            b.append("<h2>Client write outage per zone (longest gap between acknowledged writes, seconds)</h2>\n");
            chart(b, "outage", history, zones, DrillSummary::worstWriteOutageMillis);
            b.append("<p>A red ring marks a drill that did not pass; one on the top line had no value (a group never recovered).</p>\n");
        }
        table(b, history);
        return b.append("</body></html>\n").toString();
    }

    private static void chart(StringBuilder b, String id, List<DrillSummary> history, List<String> zones,
                              Function<DrillSummary, Long> value) {
        long t0 = history.get(0).finishedAt().toEpochMilli();
        long t1 = history.get(history.size() - 1).finishedAt().toEpochMilli();
        double max = history.stream().map(value).filter(v -> v != null).mapToDouble(v -> v / 1000.0).max().orElse(1);
        double top = Math.max(1, niceCeil(max * 1.1));
        b.append("<svg id=\"").append(id).append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W)
                .append("\" height=\"").append(H).append("\" role=\"img\">\n");
        b.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>", PAD, H - PAD, W - 10, H - PAD));
        b.append(String.format("<line x1=\"%d\" y1=\"10\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>\n", PAD, PAD, H - PAD));
        for (int i = 0; i <= 4; i++) {
            double v = top * i / 4;
            int y = y(v, top);
            b.append(String.format("<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">%s</text>", PAD - 4, y + 3, fmt(v)));
            b.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#eee\"/>\n", PAD, y, W - 10, y));
        }
        b.append(String.format("<text x=\"%d\" y=\"%d\" font-size=\"10\">%s</text>", PAD, H - PAD + 14, history.get(0).finishedAt()));
        b.append(String.format("<text x=\"%d\" y=\"%d\" font-size=\"10\" text-anchor=\"end\">%s</text>\n", W - 10, H - PAD + 14,
                history.get(history.size() - 1).finishedAt()));
        for (int z = 0; z < zones.size(); z++) {
            String colour = COLOURS[z % COLOURS.length];
            StringBuilder points = new StringBuilder();
            StringBuilder marks = new StringBuilder();
            for (DrillSummary d : history) {
                if (!d.zone().equals(zones.get(z))) {
                    continue;
                }
                int x = x(d.finishedAt().toEpochMilli(), t0, t1);
                Long v = value.apply(d);
                int y = v == null ? 10 : y(v / 1000.0, top);
                if (v != null) {
                    points.append(x).append(',').append(y).append(' ');
                }
                String title = esc(d.zone() + " " + d.finishedAt() + " " + d.verdict() + ": " + (v == null ? "none" : fmt(v / 1000.0) + " s"));
                marks.append(String.format("<circle cx=\"%d\" cy=\"%d\" r=\"3\" fill=\"%s\"><title>%s</title></circle>", x, y, colour, title));
                if (!d.passed()) {
                    marks.append(String.format("<circle class=\"failed\" cx=\"%d\" cy=\"%d\" r=\"7\" fill=\"none\" stroke=\"#c00\" "
                            + "stroke-width=\"2\"><title>%s</title></circle>", x, y, title));
                }
            }
            b.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"2\" points=\"")
                    .append(points.toString().strip()).append("\"/>\n").append(marks).append('\n');
            b.append(String.format("<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"%s\">%s</text>\n", PAD + 10 + 70 * z, H - 12,
                    colour, esc(zones.get(z))));
        }
        b.append("</svg>\n");
    }

    private static void table(StringBuilder b, List<DrillSummary> history) {
        b.append("<h2>Drills</h2>\n<table><tr><th>time</th><th>zone</th><th>mode</th><th>verdict</th><th>RTO per group (s)</th>"
                + "<th>write outage per group (s)</th><th>lost</th><th>repairs</th><th>version</th></tr>\n");
        for (int i = history.size() - 1; i >= 0; i--) {
            DrillSummary d = history.get(i);
            b.append("<tr><td>").append(d.finishedAt()).append("</td><td>").append(esc(d.zone())).append("</td><td>")
                    .append(esc(d.mode())).append("</td><td class=\"").append(d.passed() ? "passed" : "failed").append("\">")
                    .append(esc(d.verdict())).append("</td><td>").append(esc(perGroup(d.rtoMillis()))).append("</td><td>")
                    .append(esc(perGroup(d.writeOutageMillis()))).append("</td><td>").append(d.lost()).append("</td><td>")
                    .append(esc(String.join("; ", d.repairs()))).append("</td><td>").append(esc(d.toolVersion())).append("</td></tr>\n");
        }
        b.append("</table>\n");
    }

    /** {@code broker-0 3.4, broker-1 0} (a group that never recovered: "none"). */
    public static String perGroup(Map<String, Long> millis) {
        List<String> parts = new ArrayList<>();
        millis.forEach((g, v) -> parts.add(g + " " + (v == null ? "none" : fmt(v / 1000.0))));
        return String.join(", ", parts);
    }

    static String fmt(double seconds) {
        return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.format(Locale.ROOT, "%.1f", seconds);
    }

    private static double niceCeil(double v) {
        double step = Math.pow(10, Math.floor(Math.log10(v)));
        return Math.ceil(v / step) * step;
    }

    private static int x(long t, long t0, long t1) {
        return t1 == t0 ? (PAD + W - 10) / 2 : (int) (PAD + 10 + (W - PAD - 30) * (double) (t - t0) / (t1 - t0));
    }

    private static int y(double v, double top) {
        return (int) Math.round(H - PAD - (H - PAD - 10) * v / top);
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
