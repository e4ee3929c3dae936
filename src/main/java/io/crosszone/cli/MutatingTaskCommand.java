package io.crosszone.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A task that writes to the cluster: it has --dry-run, lists its changes and can be pinned to one cluster. */
public abstract class MutatingTaskCommand extends ClusterTaskCommand {
    @Option(names = "--dry-run", description = "Print what would change and write nothing.")
    protected boolean dryRun;

    @Mixin
    ExpectClusterOption expectCluster;

    @Override
    protected String expectedCluster() {
        return expectCluster.expected();
    }
}
