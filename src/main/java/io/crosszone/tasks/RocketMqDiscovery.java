package io.crosszone.tasks;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.k8s.K8sStatus;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.plan.OperatorNames;
import io.crosszone.rocketmq.RocketMqEndpoints;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Finds the name servers and controllers of a deployment the way a task outside the cluster
 * network can: by the IPs of their Ready pods (the Services' DNS names resolve only inside it).
 */
public final class RocketMqDiscovery {
    private RocketMqDiscovery() {
    }

    public static List<String> nameServers(KubernetesGateway k8s, CrosszoneConfig config) {
        return addresses(k8s.pods(config.getNamespace(),
                OperatorNames.nameServiceLabels(config.getResources().getNameService())), OperatorNames.NAME_SERVER_PORT);
    }

    public static List<String> controllers(KubernetesGateway k8s, CrosszoneConfig config) {
        return addresses(k8s.pods(config.getNamespace(),
                OperatorNames.controllerLabels(config.getResources().getController())), OperatorNames.CONTROLLER_PORT);
    }

    /** Both, or a {@link RuntimeFailure} naming what is missing when no name server is Ready. */
    public static RocketMqEndpoints endpoints(KubernetesGateway k8s, CrosszoneConfig config, Duration callTimeout) {
        List<String> ns = nameServers(k8s, config);
        if (ns.isEmpty()) {
            throw new RuntimeFailure("no Ready name-server pod of NameService '" + config.getResources().getNameService()
                    + "' in namespace " + config.getNamespace() + ": RocketMQ cannot be asked");
        }
        return new RocketMqEndpoints(ns, controllers(k8s, config), callTimeout);
    }

    static List<String> addresses(List<Pod> pods, int port) {
        return pods.stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && K8sStatus.podReady(p))
                .map(p -> p.getStatus().getPodIP()).filter(Objects::nonNull)
                .sorted().map(ip -> ip + ":" + port).toList();
    }
}
