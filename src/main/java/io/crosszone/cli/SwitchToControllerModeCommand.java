package io.crosszone.cli;

import io.crosszone.config.ConfigValidator;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.config.Durations;
import io.crosszone.core.Checkpoint;
import io.crosszone.core.Progress;
import io.crosszone.core.TimeSource;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.report.TaskReport;
import io.crosszone.tasks.controllermode.GroupMasterCheck;
import io.crosszone.tasks.controllermode.SwitchToControllerModeTask;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "switch-to-controller-mode", mixinStandardHelpOptions = true,
        description = "Move a RocketMQ operator deployment from STATIC to CONTROLLER (DLedger controller) mode.")
public class SwitchToControllerModeCommand extends MutatingTaskCommand {
    @Option(names = "--delete-static-data", description = "After the switch, back up and delete the STATIC StatefulSets, pods and PVCs (without it they are only listed).")
    boolean deleteStaticData;

    @Option(names = "--controller-addr-dns", description = "Brokers find the controllers through the headless Service (fetchControllerAddrByDnsLookup=true).")
    boolean controllerAddrDns;

    @Option(names = "--timeout", defaultValue = "10m", paramLabel = "DURATION", description = "How long to wait for the CONTROLLER-mode brokers (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--poll-interval", defaultValue = "2s", paramLabel = "DURATION", description = "How often to look while waiting (default: ${DEFAULT-VALUE}).")
    String pollInterval;

    /**
     * "Does every group have a master?", asked of the name servers (clusterList, BID 0); none when
     * RocketMQ is not to be asked (mock-API tests), and the report says masters were not checked.
     */
    protected Optional<GroupMasterCheck> masterCheck() {
        if (rocketMqAccess == io.crosszone.rocketmq.RocketMqAccess.NONE) {
            return Optional.empty();
        }
        return Optional.of(new io.crosszone.tasks.controllermode.NameServerMasterCheck(rocketMqAccess, Duration.ofSeconds(3)));
    }

    private Duration timeoutDuration;
    private Duration pollDuration;
    private TimeSource time = TimeSource.SYSTEM;

    /** The clock every wait runs on (a test's fake one; the system clock otherwise). */
    public void time(TimeSource time) {
        this.time = time;
    }

    @Override
    protected List<String> validate(CrosszoneConfig config) {
        // parsed before the configuration is checked against the cluster: a bad flag writes nothing
        timeoutDuration = Durations.parse("--timeout", timeout);
        pollDuration = Durations.parse("--poll-interval", pollInterval);
        return ConfigValidator.validate(config, false);
    }

    @Override
    protected TaskReport execute(CrosszoneConfig config, Progress progress) throws InterruptedException {
        try (KubernetesClient client = openClient()) {
            SwitchToControllerModeTask task = new SwitchToControllerModeTask(new KubernetesGateway(client), progress,
                    masterCheck(), Checkpoint.NONE, time);
            return task.run(config, new SwitchToControllerModeTask.Options(dryRun, deleteStaticData, controllerAddrDns,
                    timeoutDuration, pollDuration, outputOptions.reportDir()));
        }
    }
}
