package io.crosszone.cli;

import io.crosszone.config.ConfigException;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.k8s.ClusterIdentity;
import io.crosszone.k8s.KubernetesClients;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.rocketmq.RocketMqAccess;
import io.crosszone.core.Progress;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import picocli.CommandLine.Mixin;

/**
 * A task that talks to a Kubernetes cluster. Before the task itself runs it learns the cluster
 * (API server, context, namespace), which its summary and report name, refuses a cluster other than
 * {@code --expect-cluster}, and checks that the namespace, CR and nodes the flags name exist.
 */
public abstract class ClusterTaskCommand extends TaskCommand {
    @Mixin
    protected ClusterOptions clusterOptions;

    /** Set by {@link Crosszone}; tests and the lab hand in a factory bound to their API server. */
    KubernetesClients.Factory clientFactory = KubernetesClients.DEFAULT;

    /** Set by {@link Crosszone}; mock-API tests hand in {@link RocketMqAccess#NONE}. */
    RocketMqAccess rocketMqAccess = RocketMqAccess.ADMIN_API;

    private ClusterIdentity cluster;

    protected KubernetesClient openClient() {
        return clientFactory.open(clusterOptions.kubeconfig(), clusterOptions.context(), clusterOptions.apiTimeout());
    }

    /** The cluster this task must act on ({@code --expect-cluster}); null: any. */
    protected String expectedCluster() {
        return null;
    }

    /** What must exist in the cluster before the task runs; tasks that may run earlier narrow it. */
    protected ClusterPreflight.Scope preflightScope() {
        return ClusterPreflight.Scope.DEPLOYMENT;
    }

    /** The namespace recorded as acted on ({@code *} for every namespace). */
    protected String namespaceActedOn(CrosszoneConfig config) {
        return config.getNamespace();
    }

    @Override
    protected void preflight(CrosszoneConfig config, Progress progress) {
        try (KubernetesClient client = openClient()) {
            cluster = ClusterIdentity.of(client, namespaceActedOn(config));
            String expected = expectedCluster();
            if (ClusterIdentity.namesUid(expected)) {
                cluster = cluster.withUid(new KubernetesGateway(client).kubeSystemUid().orElseThrow(() -> new ConfigException(
                        "--expect-cluster " + expected + ": the kube-system namespace of " + cluster.describe()
                                + " cannot be read (absent, or no get on namespaces): nothing was read or written")));
            }
            if (expected != null && !cluster.matches(expected)) {
                throw new ConfigException("--expect-cluster " + expected + " does not match the cluster this run would act on, "
                        + cluster.describe() + ": nothing was read or written");
            }
            ClusterPreflight.check(new KubernetesGateway(client), config, preflightScope());
        } catch (ConfigException e) {
            throw e.getMessage().contains("nothing was") ? e : new ConfigException(e.getMessage() + " (nothing was changed)", e);
        }
    }

    @Override
    protected Map<String, Object> clusterJson() {
        return cluster == null ? null : cluster.json();
    }

    @Override
    protected String clusterLine() {
        return cluster == null ? null : "cluster: " + cluster.describe();
    }

    @Override
    protected String apiServer() {
        return cluster == null ? null : cluster.server();
    }
}
