package io.crosszone.support;

import io.crosszone.cli.Crosszone;
import io.crosszone.k8s.KubernetesClients;
import io.crosszone.rocketmq.RocketMqAccess;

/**
 * The crosszone CLI as its own process (real kubeconfig, real HTTP to the API server) for tests
 * that SIGKILL it, minus RocketMQ: behind the mock API's made-up pod IPs there is none to dial.
 */
public final class CrosszoneWithoutRocketMq {
    private CrosszoneWithoutRocketMq() {
    }

    public static void main(String[] args) {
        Crosszone.configureLogging(args);
        System.exit(Crosszone.commandLine(KubernetesClients.DEFAULT, RocketMqAccess.NONE).execute(args));
    }
}
