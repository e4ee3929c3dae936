package io.crosszone.cli;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.report.TaskReport;
import io.crosszone.tasks.Progress;
import picocli.CommandLine.Command;

@Command(name = "label-zones", mixinStandardHelpOptions = true,
        description = "Label the nodes of each data centre with their zone (az=az1|az2).")
public class LabelZonesCommand extends MutatingTaskCommand {
    @Override
    protected TaskReport execute(CrosszoneConfig config, Progress progress) {
        throw NotImplemented.yet(taskName());
    }
}
