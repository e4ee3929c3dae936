package io.crosszone.cli;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.report.TaskReport;
import io.crosszone.tasks.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "failover-drill", mixinStandardHelpOptions = true,
        description = "Take a zone offline on purpose, measure RTO and RPO, repair, and always restore.")
public class FailoverDrillCommand extends MutatingTaskCommand {
    @Option(names = "--zone", paramLabel = "ZONE", description = "The zone to take offline.")
    String zone;

    @Option(names = "--mode", defaultValue = "kill", paramLabel = "kill|partition|chaos-mesh", description = "How the zone is taken offline (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--max-duration", defaultValue = "15m", paramLabel = "DURATION", description = "Abort and restore after this long (default: ${DEFAULT-VALUE}).")
    String maxDuration;

    @Option(names = "--rto-objective", paramLabel = "DURATION", description = "Fail the drill when a group is without master longer than this.")
    String rtoObjective;

    @Option(names = "--rpo-objective", defaultValue = "0", paramLabel = "MESSAGES", description = "Fail the drill when more acknowledged messages are lost (default: ${DEFAULT-VALUE}).")
    int rpoObjective;

    @Option(names = "--poll-interval", defaultValue = "250ms", paramLabel = "DURATION", description = "How often the controller and name servers are polled (default: ${DEFAULT-VALUE}).")
    String pollInterval;

    @Option(names = "--fail-back", description = "After restoring, move masters back to the planned placement.")
    boolean failBack;

    @Option(names = "--recover", description = "Undo a drill whose process died, from what its lock recorded.")
    boolean recover;

    @Override
    protected TaskReport execute(CrosszoneConfig config, Progress progress) {
        throw NotImplemented.yet(taskName());
    }
}
