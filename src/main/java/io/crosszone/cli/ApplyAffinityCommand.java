package io.crosszone.cli;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.report.TaskReport;
import io.crosszone.tasks.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "apply-affinity", mixinStandardHelpOptions = true,
        description = "Give each broker StatefulSet, the name server and the controller their cross-zone placement.")
public class ApplyAffinityCommand extends MutatingTaskCommand {
    @Option(names = "--timeout", defaultValue = "10m", paramLabel = "DURATION", description = "How long to wait for each restarted broker to be Ready and in sync (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--settle", defaultValue = "15s", paramLabel = "DURATION", description = "How long to wait before re-reading the StatefulSets to detect an operator that reverts them (default: ${DEFAULT-VALUE}).")
    String settle;

    @Option(names = "--no-restart", description = "Patch only; do not restart the brokers (the placement takes effect at their next restart).")
    boolean noRestart;

    @Override
    protected TaskReport execute(CrosszoneConfig config, Progress progress) {
        throw NotImplemented.yet(taskName());
    }
}
