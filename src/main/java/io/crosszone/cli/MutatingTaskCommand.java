package io.crosszone.cli;

import picocli.CommandLine.Option;

/** A task that writes to the cluster: it has --dry-run and lists its changes. */
public abstract class MutatingTaskCommand extends ClusterTaskCommand {
    @Option(names = "--dry-run", description = "Print what would change and write nothing.")
    protected boolean dryRun;
}
