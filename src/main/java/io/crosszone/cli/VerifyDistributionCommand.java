package io.crosszone.cli;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.report.TaskReport;
import io.crosszone.tasks.Progress;
import picocli.CommandLine.Command;

@Command(name = "verify-distribution", mixinStandardHelpOptions = true,
        description = "Prove the placement from Kubernetes and from RocketMQ, and say what a zone loss would do.")
public class VerifyDistributionCommand extends ClusterTaskCommand {
    @Override
    protected TaskReport execute(CrosszoneConfig config, Progress progress) {
        throw NotImplemented.yet(taskName());
    }
}
