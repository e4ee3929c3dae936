package io.crosszone.cli;

import io.crosszone.config.ConfigException;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.config.Durations;
import io.crosszone.core.Checkpoint;
import io.crosszone.core.Progress;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.report.TaskReport;
import io.crosszone.history.DrillHistory;
import io.crosszone.history.DrillHistoryStore;
import io.crosszone.history.HistoryPage;
import io.crosszone.report.metrics.DrillSummary;
import io.crosszone.tasks.drill.DrillMode;
import io.crosszone.tasks.drill.DrillOptions;
import io.crosszone.tasks.drill.DrillPreflight;
import io.crosszone.tasks.drill.DrillSummaries;
import io.crosszone.tasks.drill.FailoverDrillTask;
import io.crosszone.tasks.verify.CheckResult;
import io.crosszone.tasks.verify.Verification;
import io.crosszone.tasks.verify.VerifyDistributionTask;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "failover-drill", mixinStandardHelpOptions = true,
        description = "Take a zone offline on purpose, measure RTO and RPO, repair, and always restore.")
public class FailoverDrillCommand extends MutatingTaskCommand {
    @Option(names = "--zone", paramLabel = "ZONE", description = "The zone to take offline.")
    String zone;

    @Option(names = "--mode", defaultValue = "kill", paramLabel = "kill|partition|chaos-mesh", description = {
            "The failure to model (default: ${DEFAULT-VALUE}): kill - the zone's broker pods crash (peers see",
            "their connections close); partition - the zone goes silent (power or network loss: all its",
            "RocketMQ pods cut off by a deny-all NetworkPolicy, nothing closes a connection); chaos-mesh -",
            "Chaos Mesh NetworkChaos partitions."})
    String mode;

    @Option(names = "--max-duration", defaultValue = "15m", paramLabel = "DURATION", description = "Abort and restore after this long (default: ${DEFAULT-VALUE}).")
    String maxDuration;

    @Option(names = "--rto-objective", paramLabel = "DURATION", description = "Fail the drill when a group is without master longer than this.")
    String rtoObjective;

    @Option(names = "--rpo-objective", defaultValue = "0", paramLabel = "MESSAGES", description = "Fail the drill when more acknowledged messages are lost (default: ${DEFAULT-VALUE}).")
    int rpoObjective;

    @Option(names = "--poll-interval", defaultValue = "250ms", paramLabel = "DURATION", description = "How often the controller and name servers are polled (default: ${DEFAULT-VALUE}).")
    String pollInterval;

    @Option(names = "--fail-back", arity = "0..1", defaultValue = "true", fallbackValue = "true", paramLabel = "true|false",
            description = {"After restoring, elect the planned masters again, so that the drill leaves the cluster as it",
                    "found it (default: ${DEFAULT-VALUE})."})
    boolean failBack;

    @Option(names = "--no-fail-back", description = {"Keep the masters where failover put them (same as --fail-back=false);",
            "an unbalanced placement after the restore is then a warning, not a failed drill."})
    boolean noFailBack;

    @Option(names = "--replace-controller-volume", description = {"When the controller is cut off with a volume that cannot leave its zone (a zonal or",
            "local disk), give it a new, empty claim in a surviving zone and re-seed it with each group's in-sync survivor as",
            "master, from what the drill read before the cut (kept in the report). Without it such a controller stays Pending."})
    boolean replaceControllerVolume;

    @Option(names = "--recover", description = "Undo a drill whose process died, from what its lock recorded.")
    boolean recover;

    @Mixin
    MetricsOptions metricsOptions;

    @Option(names = "--history-size", defaultValue = "50", paramLabel = "N",
            description = {"Append the drill to the namespace's ConfigMap " + DrillHistory.CONFIG_MAP + ", keeping the last N,",
                    "and write drill-history.html into --report-dir; 0: do not record (default: ${DEFAULT-VALUE})."})
    int historySize;

    private DrillOptions options;
    /** Where this drill wrote the history page (the pipelines' history-page result), if it did. */
    private String historyPage;

    /**
     * What must pass before the drill and again after it, besides the drill's own health check:
     * verify-distribution's checks (its failing ERROR checks are the problems).
     */
    protected DrillPreflight preflight(KubernetesGateway k8s, Progress progress) {
        VerifyDistributionTask verify = new VerifyDistributionTask(k8s, rocketMqAccess, progress, Duration.ofSeconds(3));
        return config -> {
            Verification v = verify.verify(config, VerifyDistributionTask.Options.checkOnlyConverged(), new ArrayList<>());
            return v.checks().stream().filter(CheckResult::failsVerdict)
                    .map(c -> "verify-distribution " + c.name() + ": " + c.message()).toList();
        };
    }

    @Override
    protected List<String> validate(CrosszoneConfig config) {
        // every flag is checked before anything is read or written: bad input is exit 2, nothing touched
        if (!recover && (zone == null || zone.isBlank())) {
            throw new ConfigException("--zone is required (the zone to take offline), e.g. --zone " + firstZone(config));
        }
        DrillMode m = DrillMode.parse(mode);
        if (noFailBack && spec.commandLine().getParseResult().hasMatchedOption("--fail-back") && failBack) {
            throw new ConfigException("--fail-back and --no-fail-back contradict each other: give one");
        }
        metricsOptions.pushgatewayUri();
        if (historySize < 0) {
            throw new ConfigException("--history-size must be 0 or more, got " + historySize);
        }
        Duration max = Durations.parse("--max-duration", maxDuration);
        Duration poll = Durations.parse("--poll-interval", pollInterval);
        if (poll.isZero() || poll.compareTo(DrillOptions.MAX_POLL) > 0) {
            throw new ConfigException("--poll-interval " + pollInterval + " must be between 1ms and 250ms: a slower poll"
                    + " blurs the timeline the drill measures");
        }
        Duration rto = rtoObjective == null ? null : Durations.parse("--rto-objective", rtoObjective);
        if (rpoObjective < 0) {
            throw new ConfigException("--rpo-objective must be 0 or more, got " + rpoObjective);
        }
        options = DrillOptions.defaults(zone, m).withMaxDuration(max).withPollInterval(poll).withObjectives(rto, rpoObjective)
                .withFailBack(failBack && !noFailBack).withDryRun(dryRun).withReportDir(outputOptions.reportDir())
                .withReplaceControllerVolume(replaceControllerVolume);
        List<String> warnings = io.crosszone.config.ConfigValidator.validate(config, false);
        if (!recover && !config.zoneNames().contains(zone)) {
            throw new ConfigException("--zone '" + zone + "' is not one of the configured zones " + config.zoneNames());
        }
        return warnings;
    }

    /** Appends the drill to the history and writes the trend page; what fails is a warning, never the drill. */
    private List<String> record(KubernetesClient client, String namespace, DrillSummary summary) {
        if (historySize == 0) {
            return List.of();
        }
        try {
            List<DrillSummary> history = new DrillHistoryStore(client, namespace).append(summary, historySize);
            writeReport("drill-history.html", HistoryPage.render(namespace, history,
                    DrillHistory.problems(history, null, Instant.now()), Instant.now()));
            historyPage = outputOptions.reportDir() == null ? null
                    : outputOptions.reportDir().resolve("drill-history.html").toString();
            return List.of();
        } catch (RuntimeException e) {
            return List.of("history: the drill was not recorded in " + namespace + "/" + DrillHistory.CONFIG_MAP + ": " + e.getMessage());
        }
    }

    /** This build's version, as {@code --version} prints it. */
    private String toolVersion() {
        String[] v = spec.root().version();
        return v.length == 0 ? "unknown" : v[0].replaceFirst("^crosszone ", "");
    }

    private static String firstZone(CrosszoneConfig config) {
        return config.zoneNames().isEmpty() ? "az1" : config.zoneNames().get(0);
    }

    @Override
    protected TaskReport execute(CrosszoneConfig config, Progress progress) throws InterruptedException {
        try (KubernetesClient client = openClient()) {
            FailoverDrillTask task = new FailoverDrillTask(new KubernetesGateway(client), rocketMqAccess, progress,
                    preflight(new KubernetesGateway(client), progress), Checkpoint.NONE);
            if (recover) {
                return task.recover(config, options);
            }
            // metrics and history never fail a drill: what went wrong is a warning on its report
            List<String> publishWarnings = new ArrayList<>();
            task.onFinished(drill -> {
                DrillSummary summary = DrillSummaries.of(drill, Instant.now(), toolVersion());
                publishWarnings.addAll(metricsOptions.publisher(outputOptions.reportDir()).drill(summary));
                publishWarnings.addAll(record(client, config.getNamespace(), summary));
            });
            TaskReport report = task.run(config, options);
            if (historyPage != null) {
                report.result("history-page", historyPage);
            }
            publishWarnings.forEach(w -> {
                progress.warn(w);
                report.warn(w);
            });
            return report;
        }
    }
}
