package io.crosszone.cli;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.report.TaskReport;
import io.crosszone.tasks.Progress;
import picocli.CommandLine.Command;

@Command(name = "apply-affinity", mixinStandardHelpOptions = true,
        description = "Give each broker StatefulSet, the name server and the controller their cross-zone placement.")
public class ApplyAffinityCommand extends MutatingTaskCommand {
    @Override
    protected TaskReport execute(CrosszoneConfig config, Progress progress) {
        throw NotImplemented.yet(taskName());
    }
}
