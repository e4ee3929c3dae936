package io.crosszone.cli;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.report.TaskReport;
import io.crosszone.tasks.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "verify-distribution", mixinStandardHelpOptions = true,
        description = "Prove the placement from Kubernetes and from RocketMQ, and say what a zone loss would do.")
public class VerifyDistributionCommand extends ClusterTaskCommand {
    @Option(names = "--fix-topics", description = "Create on the slaves the topics their master has and they lack.")
    boolean fixTopics;

    @Option(names = "--all-namespaces", description = "Verify every Broker CR of the cluster, one result per deployment.")
    boolean allNamespaces;

    @Option(names = "--rebalance-masters", description = "Ask the controller to elect the planned master where it is not, one group at a time, only when in sync.")
    boolean rebalanceMasters;

    @Override
    protected TaskReport execute(CrosszoneConfig config, Progress progress) {
        throw NotImplemented.yet(taskName());
    }
}
