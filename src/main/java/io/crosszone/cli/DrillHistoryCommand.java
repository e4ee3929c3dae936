package io.crosszone.cli;

import io.crosszone.config.ConfigException;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.config.Durations;
import io.crosszone.history.DrillHistory;
import io.crosszone.history.DrillHistoryStore;
import io.crosszone.history.HistoryPage;
import io.crosszone.report.TaskReport;
import io.crosszone.report.TextTable;
import io.crosszone.report.Verdict;
import io.crosszone.report.metrics.DrillSummary;
import io.crosszone.core.Progress;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "drill-history", mixinStandardHelpOptions = true,
        description = {"List the failover drills recorded in the namespace (ConfigMap " + DrillHistory.CONFIG_MAP + ")",
                "and write drill-history.html (the RTO and client outage trend per zone, failures marked) into --report-dir.",
                "Exit codes: 0 the last drill of every zone passed and the newest is recent, 1 not so (or none recorded),",
                "2 bad input, 3 the cluster could not be reached."})
public class DrillHistoryCommand extends ClusterTaskCommand {
    @Option(names = "--max-age", defaultValue = "8d", paramLabel = "DURATION",
            description = "Fail when the newest drill is older than this, e.g. 8d, 36h; 0s: no limit (default: ${DEFAULT-VALUE}).")
    String maxAge;

    @Option(names = "--zone", paramLabel = "ZONE", description = "Only the drills of this zone.")
    String zone;

    @Option(names = "--html", paramLabel = "FILE", description = "Write the HTML page here (default: drill-history.html in --report-dir).")
    Path html;

    private Duration age;

    /** The history is a ConfigMap of the namespace: no Broker CR is needed to read it. */
    @Override
    protected ClusterPreflight.Scope preflightScope() {
        return ClusterPreflight.Scope.NAMESPACE;
    }

    @Override
    protected List<String> validate(CrosszoneConfig config) {
        age = days(maxAge);
        if (age.isNegative()) {
            throw new ConfigException("--max-age must not be negative, got " + maxAge);
        }
        return List.of(); // it reads one ConfigMap of the namespace: no zone or broker shape needed
    }

    /** A duration with days too: {@code 8d}. */
    static Duration days(String value) {
        if (value != null && value.matches("\\d+d")) {
            return Duration.ofDays(Long.parseLong(value.substring(0, value.length() - 1)));
        }
        return Durations.parse("--max-age", value);
    }

    @Override
    protected TaskReport execute(CrosszoneConfig config, Progress progress) {
        List<DrillSummary> drills;
        try (KubernetesClient client = openClient()) {
            drills = new DrillHistoryStore(client, config.getNamespace()).read();
        }
        if (zone != null) {
            drills = drills.stream().filter(d -> d.zone().equals(zone)).toList();
        }
        Instant now = Instant.now();
        List<String> problems = DrillHistory.problems(drills, age.isZero() ? null : age, now);
        TaskReport report = new TaskReport(taskName()).verdict(problems.isEmpty() ? Verdict.PASSED : Verdict.FAILED);
        report.put("namespace", config.getNamespace());
        report.put("drills", DrillHistory.toTree(drills));
        report.put("problems", problems);
        TextTable t = new TextTable("TIME", "ZONE", "MODE", "VERDICT", "RTO (s)", "WRITE OUTAGE (s)", "LOST", "REPAIRS", "VERSION");
        for (DrillSummary d : drills) {
            t.row(d.finishedAt(), d.zone(), d.mode(), d.verdict(), HistoryPage.perGroup(d.rtoMillis()),
                    HistoryPage.perGroup(d.writeOutageMillis()), d.lost(), d.repairs().size(), d.toolVersion());
        }
        report.line(drills.size() + " drills recorded in " + config.getNamespace() + "/" + DrillHistory.CONFIG_MAP
                + (zone == null ? "" : " for zone " + zone));
        t.lines().forEach(report::line);
        problems.forEach(p -> report.line("FAILED: " + p));
        String page = HistoryPage.render(config.getNamespace(), drills, problems, now);
        if (html != null) {
            try {
                Path parent = html.toAbsolutePath().getParent();
                Files.createDirectories(parent);
                Files.writeString(html, page);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + html, e);
            }
        } else {
            writeReport("drill-history.html", page);
        }
        return report;
    }
}
