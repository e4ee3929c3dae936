package io.crosszone.cli;

import picocli.CommandLine.Option;

/** A task that writes to the cluster: it has --dry-run, lists its changes and can be pinned to one cluster. */
public abstract class MutatingTaskCommand extends ClusterTaskCommand {
    @Option(names = "--dry-run", description = "Print what would change and write nothing.")
    protected boolean dryRun;

    @Option(names = "--expect-cluster", paramLabel = "NAME|URL",
            description = "Refuse to run (exit 2, nothing written) unless the kubeconfig context or cluster is NAME,"
                    + " or the API server is URL.")
    String expectCluster;

    @Override
    protected String expectedCluster() {
        return expectCluster == null || expectCluster.isBlank() ? null : expectCluster;
    }
}
