package io.crosszone.k8s;

import io.crosszone.config.ConfigException;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Opens a fabric8 client from a kubeconfig file and context, or by the usual discovery. A context
 * that is not in the kubeconfig, or a kubeconfig that is not there, is bad input: fabric8 would
 * quietly fall back to the current context, i.e. possibly another cluster.
 */
public final class KubernetesClients {
    private KubernetesClients() {
    }

    /** How tasks get their client; tests and the lab hand in one bound to their API server. */
    @FunctionalInterface
    public interface Factory {
        KubernetesClient open(Path kubeconfig, String context);

        /** With the time one request may take ({@code --api-timeout}); a factory bound to a test's API server ignores it. */
        default KubernetesClient open(Path kubeconfig, String context, Duration requestTimeout) {
            return open(kubeconfig, context);
        }
    }

    /** One request's timeout unless --api-timeout says otherwise. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

    public static final Factory DEFAULT = new Factory() {
        @Override
        public KubernetesClient open(Path kubeconfig, String context) {
            return KubernetesClients.open(kubeconfig, context, DEFAULT_REQUEST_TIMEOUT);
        }

        @Override
        public KubernetesClient open(Path kubeconfig, String context, Duration requestTimeout) {
            return KubernetesClients.open(kubeconfig, context, requestTimeout);
        }
    };

    public static KubernetesClient open(Path kubeconfig, String context, Duration requestTimeout) {
        Config config = kubeconfig != null ? fromFile(kubeconfig, context) : discovered(context);
        bounded(config, requestTimeout);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** Attempts after the first for a 429, a 5xx or a connection failure (fabric8's own retry). */
    public static final int RETRIES = 4;
    /** The first pause; each next one doubles it (250 ms, 0.5 s, 1 s, 2 s: about 4 s in all). */
    public static final int RETRY_INTERVAL_MILLIS = 250;

    /**
     * Timeouts and retries kept explicit and bounded: a 429 (honouring Retry-After) or a 5xx or a
     * refused connection is retried by fabric8 with exponential backoff, then the task ends
     * (exit 3, naming the API server).
     */
    public static Config bounded(Config config, Duration requestTimeout) {
        int millis = (int) Math.min(Integer.MAX_VALUE, requestTimeout.toMillis());
        config.setRequestTimeout(millis);
        config.setConnectionTimeout(Math.min(10_000, millis));
        config.setRequestRetryBackoffLimit(RETRIES);
        config.setRequestRetryBackoffInterval(RETRY_INTERVAL_MILLIS);
        return config;
    }

    private static Config fromFile(Path kubeconfig, String context) {
        if (!Files.isRegularFile(kubeconfig) || !Files.isReadable(kubeconfig)) {
            throw new ConfigException("kubeconfig " + kubeconfig + " does not exist or cannot be read: check --kubeconfig");
        }
        String text;
        try {
            text = Files.readString(kubeconfig);
        } catch (IOException e) {
            throw new ConfigException("cannot read kubeconfig " + kubeconfig + ": " + e.getMessage());
        }
        List<NamedContext> contexts;
        try {
            io.fabric8.kubernetes.api.model.Config parsed = KubeConfigUtils.parseConfigFromString(text);
            contexts = parsed == null || parsed.getContexts() == null ? List.of() : parsed.getContexts();
        } catch (RuntimeException e) {
            throw new ConfigException("kubeconfig " + kubeconfig + " is not a valid kubeconfig (YAML with clusters, users"
                    + " and contexts): check --kubeconfig");
        }
        requireContext(context, contexts, "kubeconfig " + kubeconfig);
        try {
            return Config.fromKubeconfig(context, text, kubeconfig.toString());
        } catch (RuntimeException e) {
            // the message may quote the file; keep only what names the problem
            throw new ConfigException("kubeconfig " + kubeconfig + " cannot be used"
                    + (context == null ? "" : " with context '" + context + "'") + ": " + e.getClass().getSimpleName());
        }
    }

    private static Config discovered(String context) {
        String env = System.getenv("KUBECONFIG");
        if (env != null && !env.isBlank()) {
            boolean any = false;
            for (String f : env.split(File.pathSeparator)) {
                any |= !f.isBlank() && Files.isReadable(Path.of(f));
            }
            if (!any) {
                throw new ConfigException("$KUBECONFIG names no readable file (" + env + "): fix it or pass --kubeconfig");
            }
        }
        Config config = Config.autoConfigure(context);
        if (context != null) {
            requireContext(context, config.getContexts() == null ? List.of() : config.getContexts(),
                    env != null && !env.isBlank() ? "$KUBECONFIG" : "~/.kube/config (or in-cluster)");
        }
        return config;
    }

    private static void requireContext(String context, List<NamedContext> contexts, String where) {
        if (context == null || contexts.stream().anyMatch(c -> context.equals(c.getName()))) {
            return;
        }
        String known = contexts.stream().map(NamedContext::getName).sorted().collect(Collectors.joining(", "));
        throw new ConfigException("context '" + context + "' is not in " + where
                + (known.isEmpty() ? " (it has no contexts)" : " (its contexts: " + known + ")") + ": check --context");
    }
}
