package io.crosszone.cli;

import io.crosszone.config.ConfigException;
import io.crosszone.config.Durations;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Where the Kubernetes API is: a kubeconfig file and context (default: the usual discovery). */
public class ClusterOptions {
    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "kubeconfig to use (default: $KUBECONFIG, ~/.kube/config or in-cluster).")
    Path kubeconfig;

    @Option(names = "--context", description = "kubeconfig context to use (default: the current one).")
    String context;

    @Option(names = "--api-timeout", defaultValue = "30s", paramLabel = "DURATION",
            description = "How long one Kubernetes API request may take; a request that times out, is refused or gets a 429/5xx is"
                    + " tried 4 more times (about 4 s of backoff), then the task ends with exit 3 (default: ${DEFAULT-VALUE}).")
    String apiTimeout;

    /** {@code --api-timeout}, checked: bad input before anything is read. */
    public Duration apiTimeout() {
        Duration d = Durations.parse("--api-timeout", apiTimeout);
        if (d.isZero() || d.isNegative()) {
            throw new ConfigException("--api-timeout must be above zero, not " + apiTimeout);
        }
        return d;
    }

    public Path kubeconfig() {
        return kubeconfig;
    }

    public String context() {
        return context;
    }
}
