package io.crosszone.k8s;

import io.crosszone.config.ConfigException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a fabric8 client from a kubeconfig file and context, or by the usual discovery. */
public final class KubernetesClients {
    private KubernetesClients() {
    }

    /** How tasks get their client; tests and the lab hand in one bound to their API server. */
    @FunctionalInterface
    public interface Factory {
        KubernetesClient open(Path kubeconfig, String context);
    }

    public static final Factory DEFAULT = KubernetesClients::open;

    public static KubernetesClient open(Path kubeconfig, String context) {
        Config config;
        if (kubeconfig != null) {
            if (!Files.isReadable(kubeconfig)) {
                throw new ConfigException("kubeconfig " + kubeconfig + " does not exist or cannot be read: check --kubeconfig");
            }
            try {
                config = Config.fromKubeconfig(context, Files.readString(kubeconfig), kubeconfig.toString());
            } catch (IOException e) {
                throw new ConfigException("cannot read kubeconfig " + kubeconfig + ": " + e.getMessage());
            } catch (RuntimeException e) {
                throw new ConfigException("kubeconfig " + kubeconfig + " cannot be used"
                        + (context == null ? "" : " with context '" + context + "'") + ": " + e.getMessage());
            }
        } else {
            config = context == null ? Config.autoConfigure(null) : Config.autoConfigure(context);
        }
        config.setRequestTimeout(30_000);
        config.setConnectionTimeout(10_000);
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
