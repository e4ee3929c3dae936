package io.crosszone.cli;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.report.TaskReport;
import io.crosszone.tasks.Progress;
import picocli.CommandLine.Command;

@Command(name = "switch-to-controller-mode", mixinStandardHelpOptions = true,
        description = "Move a RocketMQ operator deployment from STATIC to CONTROLLER (DLedger controller) mode.")
public class SwitchToControllerModeCommand extends MutatingTaskCommand {
    @Override
    protected TaskReport execute(CrosszoneConfig config, Progress progress) {
        throw NotImplemented.yet(taskName());
    }
}
