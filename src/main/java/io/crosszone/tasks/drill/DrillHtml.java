package io.crosszone.tasks.drill;

import io.crosszone.tasks.drill.DrillEvent.Kind;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The drill report as one self-contained HTML page: the measures, and per group an SVG lane with
 * the injection, detection, election, first write and restore, the outage shaded.
 */
public final class DrillHtml {
    private static final int WIDTH = 900;
    private static final int LEFT = 110;
    private static final int LANE = 46;
    private static final Map<Kind, String> COLOURS = Map.of(
            Kind.MASTER_LOST, "#d9480f", Kind.MASTER_ELECTED, "#2b8a3e", Kind.NAMESRV_MASTER, "#1971c2",
            Kind.FIRST_WRITE, "#7048e8", Kind.SYNC_STATE_SHRUNK, "#e67700", Kind.ACTION, "#c2255c",
            Kind.RESTORE_STARTED, "#495057", Kind.RESTORED, "#087f5b");

    private DrillHtml() {
    }

    public static String render(DrillReport r) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/><title>Failover drill ")
                .append(esc(r.zone())).append("</title>\n<style>")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#212529}")
                .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ced4da;padding:4px 10px;text-align:left}")
                .append(".passed{color:#2b8a3e}.failed,.aborted{color:#c92a2a}.legend span{margin-right:1.2em}")
                .append("</style></head><body>\n");
        h.append("<h1>Failover drill: zone ").append(esc(r.zone())).append(" (").append(esc(r.mode())).append(")</h1>\n");
        h.append("<p>Verdict: <strong class=\"").append(esc(r.verdict())).append("\">").append(esc(r.verdict()))
                .append("</strong></p>\n<table>\n");
        row(h, "RTO (server view)", DrillMarkdown.ms(r.rtoMillis()));
        row(h, "Longest write outage (client view)", DrillMarkdown.ms(r.writeOutageMillis()));
        row(h, "Acknowledged / failed sends", r.acked() + " / " + r.failedSends());
        row(h, "Lost acknowledged messages (RPO)", String.valueOf(r.lost()));
        row(h, "Duplicates", String.valueOf(r.duplicates()));
        if (r.cut() != null) {
            row(h, "Cut", r.cut().describe());
        }
        if (r.restore() != null) {
            row(h, "Restore", r.restore().describe());
        }
        for (DrillReport.Probe p : r.probes()) {
            row(h, "Probe client: " + p.client(), p.acknowledged() + " acknowledged, " + p.failedSends() + " failed, "
                    + p.lost() + " lost, longest write outage "
                    + (p.longestWriteOutageMillis() == null ? "not counted" : DrillMarkdown.ms(p.longestWriteOutageMillis()))
                    + (p.settings() == null ? "" : " (" + p.settings() + ")"));
        }
        h.append("</table>\n");
        h.append(svg(r));
        h.append("<p class=\"legend\">");
        for (Kind k : List.of(Kind.MASTER_LOST, Kind.MASTER_ELECTED, Kind.NAMESRV_MASTER, Kind.FIRST_WRITE,
                Kind.ACTION, Kind.RESTORE_STARTED, Kind.RESTORED)) {
            h.append("<span style=\"color:").append(COLOURS.get(k)).append("\">&#9679; ").append(label(k)).append("</span>");
        }
        h.append("</p>\n");
        if (!r.actions().isEmpty()) {
            h.append("<h2>Actions</h2><ul>");
            r.actions().forEach(a -> h.append("<li>").append(esc(a)).append("</li>"));
            h.append("</ul>\n");
        }
        if (!r.problems().isEmpty()) {
            h.append("<h2>Problems</h2><ul>");
            r.problems().forEach(a -> h.append("<li>").append(esc(a)).append("</li>"));
            h.append("</ul>\n");
        }
        if (r.probeClient() != null) {
            h.append("<p>Probe client: ").append(esc(r.probeClient())).append("</p>\n");
        }
        if (!r.clientWarnings().isEmpty()) {
            h.append("<h2>Client warnings</h2><ul>");
            r.clientWarnings().forEach(a -> h.append("<li>").append(esc(a)).append("</li>"));
            h.append("</ul>\n");
        }
        if (r.restore() != null && !r.restore().warnings().isEmpty()) {
            h.append("<h2>Warnings</h2><ul>");
            r.restore().warnings().forEach(a -> h.append("<li>").append(esc(a)).append("</li>"));
            h.append("</ul>\n");
        }
        h.append("<h2>Timeline</h2><table><tr><th>t</th><th>group</th><th>event</th><th>detail</th></tr>\n");
        for (DrillEvent e : r.timeline()) {
            h.append("<tr><td>").append(e.atMillis()).append(" ms</td><td>").append(e.group() == null ? "" : e.group())
                    .append("</td><td>").append(e.kind()).append("</td><td>").append(esc(e.detail())).append("</td></tr>\n");
        }
        return h.append("</table>\n</body></html>\n").toString();
    }

    private static String svg(DrillReport r) {
        long end = Math.max(1000, r.timeline().stream().mapToLong(DrillEvent::atMillis).max().orElse(1000));
        long start = Math.min(0, r.timeline().stream().mapToLong(DrillEvent::atMillis).min().orElse(0));
        double scale = (WIDTH - LEFT - 30) / (double) (end - start);
        int height = 60 + LANE * r.groups().size();
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" role=\"img\" aria-label=\"timeline per group\" font-size=\"12\">\n");
        double x0 = LEFT + (0 - start) * scale;
        for (int i = 0; i < r.groups().size(); i++) {
            GroupOutcome g = r.groups().get(i);
            int y = 20 + i * LANE;
            s.append("<text x=\"4\" y=\"").append(y + 18).append("\">").append(esc(g.brokerName())).append("</text>\n");
            s.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(y + 14).append("\" x2=\"").append(WIDTH - 20)
                    .append("\" y2=\"").append(y + 14).append("\" stroke=\"#adb5bd\"/>\n");
            if (g.lostMaster()) {
                double outageEnd = g.rtoMillis() == null ? WIDTH - 20 : LEFT + (g.rtoMillis() - start) * scale;
                s.append("<rect x=\"").append(fmt(x0)).append("\" y=\"").append(y + 6).append("\" width=\"")
                        .append(fmt(Math.max(2, outageEnd - x0))).append("\" height=\"16\" fill=\"#ffc9c9\">")
                        .append("<title>no master for ").append(DrillMarkdown.ms(g.rtoMillis())).append("</title></rect>\n");
            }
            for (DrillEvent e : r.timeline()) {
                if (e.group() == null || e.group() != g.group() || !COLOURS.containsKey(e.kind())) {
                    continue;
                }
                double x = LEFT + (e.atMillis() - start) * scale;
                s.append("<circle cx=\"").append(fmt(x)).append("\" cy=\"").append(y + 14).append("\" r=\"5\" fill=\"")
                        .append(COLOURS.get(e.kind())).append("\"><title>").append(label(e.kind())).append(" at ")
                        .append(e.atMillis()).append(" ms").append(e.detail() == null ? "" : ": " + esc(e.detail()))
                        .append("</title></circle>\n");
            }
            if (!g.lostMaster()) {
                s.append("<text x=\"").append(fmt(x0 + 8)).append("\" y=\"").append(y + 10)
                        .append("\" fill=\"#868e96\">kept its master</text>\n");
            } else if (g.rtoMillis() == null) {
                s.append("<text x=\"").append(fmt(x0 + 8)).append("\" y=\"").append(y + 10)
                        .append("\" fill=\"#c92a2a\">no master until the end of the drill</text>\n");
            }
            if (g.rtoMillis() != null && g.lostMaster()) {
                s.append("<text x=\"").append(fmt(LEFT + (g.rtoMillis() - start) * scale + 8)).append("\" y=\"").append(y + 10)
                        .append("\" fill=\"#2b8a3e\">RTO ").append(DrillMarkdown.ms(g.rtoMillis())).append("</text>\n");
            }
        }
        // a time axis under the lanes, in seconds from the injection
        int axisY = height - 24;
        long step = niceStep(end - start);
        for (long t = (start / step) * step; t <= end; t += step) {
            double x = LEFT + (t - start) * scale;
            s.append("<line x1=\"").append(fmt(x)).append("\" y1=\"").append(axisY).append("\" x2=\"").append(fmt(x))
                    .append("\" y2=\"").append(axisY + 5).append("\" stroke=\"#495057\"/>");
            s.append("<text x=\"").append(fmt(x - 8)).append("\" y=\"").append(axisY + 17).append("\" fill=\"#495057\">")
                    .append(DrillMarkdown.ms(t)).append("</text>\n");
        }
        // deployment-wide events (injection, repairs, restore) as vertical lines across every lane
        for (DrillEvent e : r.timeline()) {
            if (e.group() != null) {
                continue;
            }
            double x = LEFT + (e.atMillis() - start) * scale;
            String colour = e.kind() == Kind.INJECTED ? "#c92a2a" : COLOURS.getOrDefault(e.kind(), "#868e96");
            s.append("<line x1=\"").append(fmt(x)).append("\" y1=\"14\" x2=\"").append(fmt(x)).append("\" y2=\"")
                    .append(height - 6).append("\" stroke=\"").append(colour).append("\" stroke-dasharray=\"4 3\"><title>")
                    .append(label(e.kind())).append(" at ").append(e.atMillis()).append(" ms")
                    .append(e.detail() == null ? "" : ": " + esc(e.detail())).append("</title></line>\n");
            if (e.kind() == Kind.INJECTED) {
                s.append("<text x=\"").append(fmt(x + 3)).append("\" y=\"12\" fill=\"#c92a2a\">zone ").append(esc(r.zone()))
                        .append(" offline</text>\n");
            }
        }
        return s.append("</svg>\n").toString();
    }

    /** 1, 2 or 5 times a power of ten, giving about 8 ticks. */
    static long niceStep(long span) {
        long raw = Math.max(1, span / 8);
        long pow = 1;
        while (pow * 10 <= raw) {
            pow *= 10;
        }
        for (long m : new long[] {1, 2, 5, 10}) {
            if (m * pow >= raw) {
                return m * pow;
            }
        }
        return 10 * pow;
    }

    private static String label(Kind k) {
        return switch (k) {
            case INJECTED -> "injection";
            case CUT_IN_EFFECT -> "cut confirmed in effect";
            case MASTER_LOST -> "master lost (detection)";
            case MASTER_ELECTED -> "new master elected";
            case NAMESRV_MASTER -> "name server shows BID 0";
            case SYNC_STATE_SHRUNK -> "SyncStateSet shrunk";
            case FIRST_WRITE -> "first acknowledged write";
            case ACTION -> "repair";
            case RESTORE_STARTED -> "restore started";
            case RESTORED -> "restored";
        };
    }

    private static void row(StringBuilder h, String k, String v) {
        h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>\n");
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
