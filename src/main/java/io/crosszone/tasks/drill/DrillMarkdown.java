package io.crosszone.tasks.drill;

import java.util.List;

/** The drill report as a Markdown summary (for a ticket, a chat message, a PR). */
public final class DrillMarkdown {
    private DrillMarkdown() {
    }

    public static String render(DrillReport r) {
        StringBuilder md = new StringBuilder();
        md.append("# Failover drill: zone ").append(r.zone()).append(" (").append(r.mode()).append(")\n\n");
        md.append("**Verdict: ").append(r.verdict()).append("**\n\n");
        if (r.cut() != null) {
            md.append("Cut: ").append(r.cut().describe()).append("\n\n");
        }
        if (r.restore() != null) {
            md.append("Restore: ").append(r.restore().describe()).append("\n\n");
        }
        md.append("| measure | value |\n|---|---|\n");
        md.append("| RTO (server view: every group has a master again) | ").append(ms(r.rtoMillis())).append(" |\n");
        md.append("| longest write outage (client view, probe) | ").append(ms(r.writeOutageMillis())).append(" |\n");
        md.append("| acknowledged messages | ").append(r.acked()).append(" |\n");
        md.append("| failed sends | ").append(r.failedSends()).append(" |\n");
        md.append("| lost (RPO) | ").append(r.lost()).append(" |\n");
        md.append("| duplicates | ").append(r.duplicates()).append(" |\n");
        md.append("| drill duration | ").append(ms(r.durationMillis())).append(" |\n");
        if (r.probeClient() != null) {
            md.append("| probe client | ").append(r.probeClient().replace("|", "\\|")).append(" |\n");
        }
        md.append('\n');
        if (!r.probes().isEmpty()) {
            md.append("## Probe clients\n\n| client | acknowledged | failed sends | lost | duplicates | longest write outage | settings |\n"
                    + "|---|---|---|---|---|---|---|\n");
            for (DrillReport.Probe p : r.probes()) {
                md.append("| ").append(p.client()).append(" | ").append(p.acknowledged()).append(" | ").append(p.failedSends())
                        .append(" | ").append(p.lost()).append(" | ").append(p.duplicates()).append(" | ")
                        .append(p.longestWriteOutageMillis() == null ? "-" : ms(p.longestWriteOutageMillis())).append(" | ")
                        .append(p.settings() == null ? "-" : p.settings().replace("|", "\\|")).append(" |\n");
            }
            md.append('\n');
        }
        md.append("## Groups\n\n| group | lost master | RTO | new master | longest write gap |\n|---|---|---|---|---|\n");
        for (GroupOutcome g : r.groups()) {
            md.append("| ").append(g.brokerName()).append(" | ").append(g.lostMaster() ? "yes" : "no").append(" | ")
                    .append(ms(g.rtoMillis())).append(" | ").append(g.newMaster() == null ? "-" : g.newMaster())
                    .append(" | ").append(ms(g.writeOutageMillis())).append(" |\n");
        }
        list(md, "Actions", r.actions());
        list(md, "Problems", r.problems());
        list(md, "Client warnings", r.clientWarnings());
        list(md, "Warnings", r.restore() == null ? List.of() : r.restore().warnings());
        if (!r.lostKeys().isEmpty()) {
            list(md, "Lost message keys", r.lostKeys());
        }
        md.append("\n## Timeline\n\n| t (ms) | group | event | detail |\n|---|---|---|---|\n");
        for (DrillEvent e : r.timeline()) {
            md.append("| ").append(e.atMillis()).append(" | ").append(e.group() == null ? "" : e.group()).append(" | ")
                    .append(e.kind()).append(" | ").append(e.detail() == null ? "" : e.detail().replace("|", "\\|"))
                    .append(" |\n");
        }
        return md.toString();
    }

    private static void list(StringBuilder md, String title, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        md.append("\n## ").append(title).append("\n\n");
        items.forEach(i -> md.append("- ").append(i).append('\n'));
    }

    static String ms(Long millis) {
        if (millis == null) {
            return "never";
        }
        return millis < 1000 ? millis + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
