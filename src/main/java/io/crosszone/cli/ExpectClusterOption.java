package io.crosszone.cli;

import picocli.CommandLine.Option;

/** {@code --expect-cluster}: pins a task to one cluster, checked before anything is read or written. */
public class ExpectClusterOption {
    @Option(names = "--expect-cluster", paramLabel = "NAME|URL|uid:UID",
            description = "Refuse to run (exit 2, nothing read or written) unless the kubeconfig context or cluster is NAME,"
                    + " the API server is URL, or the kube-system namespace's UID is UID (the one that holds in a pod).")
    String expectCluster;

    /** The expected cluster, or null: any. */
    public String expected() {
        return expectCluster == null || expectCluster.isBlank() ? null : expectCluster;
    }
}
