package io.crosszone.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the Kubernetes API is: a kubeconfig file and context (default: the usual discovery). */
public class ClusterOptions {
    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "kubeconfig to use (default: $KUBECONFIG, ~/.kube/config or in-cluster).")
    Path kubeconfig;

    @Option(names = "--context", description = "kubeconfig context to use (default: the current one).")
    String context;

    public Path kubeconfig() {
        return kubeconfig;
    }

    public String context() {
        return context;
    }
}
