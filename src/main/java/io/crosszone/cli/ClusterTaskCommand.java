package io.crosszone.cli;

import io.crosszone.k8s.KubernetesClients;
import io.crosszone.rocketmq.RocketMqAccess;
import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Mixin;

/** A task that talks to a Kubernetes cluster. */
public abstract class ClusterTaskCommand extends TaskCommand {
    @Mixin
    protected ClusterOptions clusterOptions;

    /** Set by {@link Crosszone}; tests and the lab hand in a factory bound to their API server. */
    KubernetesClients.Factory clientFactory = KubernetesClients.DEFAULT;

    /** Set by {@link Crosszone}; mock-API tests hand in {@link RocketMqAccess#NONE}. */
    RocketMqAccess rocketMqAccess = RocketMqAccess.ADMIN_API;

    protected KubernetesClient openClient() {
        return clientFactory.open(clusterOptions.kubeconfig(), clusterOptions.context());
    }
}
