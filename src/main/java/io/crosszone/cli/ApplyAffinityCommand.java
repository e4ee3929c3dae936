package io.crosszone.cli;

import io.crosszone.config.ConfigValidator;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.config.Durations;
import io.crosszone.core.Progress;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.report.TaskReport;
import io.crosszone.rocketmq.RocketMqEndpoints;
import io.crosszone.tasks.GroupHealth;
import io.crosszone.tasks.RocketMqGroupHealth;
import io.crosszone.tasks.affinity.ApplyAffinityTask;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "apply-affinity", mixinStandardHelpOptions = true,
        description = "Give each broker StatefulSet, the name server and the controller their cross-zone placement,"
                + " restart one broker at a time, then elect each group's planned master again.")
public class ApplyAffinityCommand extends MutatingTaskCommand {
    @Option(names = "--timeout", defaultValue = "10m", paramLabel = "DURATION", description = "How long to wait for each restarted broker to be Ready and in sync, and for each group to settle after its master is elected back (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--settle", defaultValue = "15s", paramLabel = "DURATION", description = "How long to wait before re-reading the StatefulSets to detect an operator that reverts them (default: ${DEFAULT-VALUE}).")
    String settle;

    @Option(names = "--no-restart", description = "Patch only, holding each StatefulSet's rollout back (updateStrategy partition) so no pod restarts and no master is elected; a later run without it restarts them one at a time.")
    boolean noRestart;

    @Option(names = "--replace-zonal-volumes", description = "A broker that must move to a zone its volume cannot be attached in (a zonal or local disk) gets a new, empty claim there and re-syncs from its group's master (it is made a slave first). Without it such a rollout is refused before anything is changed.")
    boolean replaceZonalVolumes;

    @Option(names = "--poll-interval", defaultValue = "2s", paramLabel = "DURATION", description = "How often to look while waiting (default: ${DEFAULT-VALUE}).")
    String pollInterval;

    /** Who is master and whether a group is in sync: RocketMQ itself, by pod IP, unless a stand-in is handed in. */
    private GroupHealth.Factory groupHealth;

    private Duration timeoutDuration;
    private Duration settleDuration;
    private Duration pollDuration;

    /** Replaces the RocketMQ-backed group health (tests, the lab). */
    public void groupHealth(GroupHealth.Factory factory) {
        this.groupHealth = factory;
    }

    @Override
    protected List<String> validate(CrosszoneConfig config) {
        // parsed before the cluster is read: a bad flag writes nothing
        timeoutDuration = Durations.parse("--timeout", timeout);
        settleDuration = Durations.parse("--settle", settle);
        pollDuration = Durations.parse("--poll-interval", pollInterval);
        return ConfigValidator.validate(config, false);
    }

    @Override
    protected TaskReport execute(CrosszoneConfig config, Progress progress) throws InterruptedException {
        try (KubernetesClient client = openClient()) {
            GroupHealth.Factory health = groupHealth != null ? groupHealth
                    : RocketMqGroupHealth.factory(rocketMqAccess, RocketMqEndpoints.DEFAULT_TIMEOUT);
            ApplyAffinityTask task = new ApplyAffinityTask(new KubernetesGateway(client), progress, health);
            return task.run(config, new ApplyAffinityTask.Options(dryRun, noRestart, timeoutDuration, settleDuration,
                    pollDuration, replaceZonalVolumes));
        }
    }
}
