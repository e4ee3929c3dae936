package io.crosszone.cli;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.report.TaskReport;
import io.crosszone.tasks.Progress;
import picocli.CommandLine.Command;

@Command(name = "failover-drill", mixinStandardHelpOptions = true,
        description = "Take a zone offline on purpose, measure RTO and RPO, repair, and always restore.")
public class FailoverDrillCommand extends MutatingTaskCommand {
    @Override
    protected TaskReport execute(CrosszoneConfig config, Progress progress) {
        throw NotImplemented.yet(taskName());
    }
}
