package io.crosszone.cli;

import io.crosszone.config.ConfigException;
import io.crosszone.config.ConfigValidator;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.config.Durations;
import io.crosszone.core.Progress;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.report.TaskReport;
import io.crosszone.rocketmq.SyncStateSet;
import io.crosszone.tasks.reseed.KnownState;
import io.crosszone.tasks.reseed.ReseedControllerTask;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reseed-controller", mixinStandardHelpOptions = true,
        description = {"After a zone loss took the controller's data: re-seed the empty controller from the last known",
                "state, with each group's in-sync survivor as master (never an unclean election without --allow-unclean);",
                "with --realign, once the zone is back, let the returning replicas rejoin their SyncStateSets."})
public class ReseedControllerCommand extends MutatingTaskCommand {
    @Option(names = "--known-state", required = true, paramLabel = "FILE", description = {"The last known controller metadata:",
            "controller-metadata.json from a verify-distribution report dir, or a drill's controller-metadata-before-cut-<zone>.json."})
    Path knownState;

    @Option(names = "--lost-zone", paramLabel = "ZONE", description = "The zone that is gone: its brokers are not survivors.")
    String lostZone;

    @Option(names = "--allow-unclean", description = {"A group with no survivor that was in its SyncStateSet gets its most",
            "advanced survivor as master; the output names what may be lost. Without it such a group is refused."})
    boolean allowUnclean;

    @Option(names = "--no-restart-masters", description = {"Do not restart the re-seeded masters (by default each is restarted",
            "once: it kept the old controller's SyncStateSet and, where its replica went silent, accepts no writes)."})
    boolean noRestartMasters;

    @Option(names = "--realign", description = "The lost zone is back: raise each re-seeded group's SyncStateSet epoch so its returning replicas rejoin.")
    boolean realign;

    @Option(names = "--timeout", defaultValue = "5m", paramLabel = "DURATION",
            description = "How long to wait for a controller leader, and with --realign for each group's replica (default: ${DEFAULT-VALUE}).")
    String timeout;

    private Map<String, SyncStateSet> state;
    private Duration timeoutDuration;

    @Override
    protected List<String> validate(CrosszoneConfig config) {
        timeoutDuration = Durations.parse("--timeout", timeout);
        if (lostZone != null && lostZone.isBlank()) {
            lostZone = null; // a Tekton param left empty
        }
        if (lostZone != null && !config.zoneNames().contains(lostZone)) {
            throw new ConfigException("--lost-zone '" + lostZone + "' is not one of the configured zones " + config.zoneNames());
        }
        if (realign && allowUnclean) {
            throw new ConfigException("--allow-unclean is for the re-seed, not for --realign: give one");
        }
        state = KnownState.read(knownState);
        return ConfigValidator.validate(config, false);
    }

    @Override
    protected TaskReport execute(CrosszoneConfig config, Progress progress) throws InterruptedException {
        try (KubernetesClient client = openClient()) {
            return new ReseedControllerTask(new KubernetesGateway(client), progress).run(config, new ReseedControllerTask.Options(
                    state, lostZone, allowUnclean, !noRestartMasters, realign, dryRun, timeoutDuration));
        }
    }
}
