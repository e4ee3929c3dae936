package io.crosszone.tasks;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.core.RuntimeFailure;
import io.crosszone.k8s.K8sStatus;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.plan.OperatorNames;
import io.crosszone.rocketmq.RocketMqEndpoints;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds the name servers and controllers of a deployment the way a task outside the cluster
 * network can: by the IPs of their Ready pods (the Services' DNS names resolve only inside it).
 * The one place that does: {@code <ip>:<port>} of every Ready, not terminating pod with an IP, sorted.
 */
public final class RocketMqDiscovery {
    private RocketMqDiscovery() {
    }

    /** Where a deployment's name servers and controllers run: the namespace and the NameService and Controller CRs. */
    public record Where(String namespace, String nameServiceCr, String controllerCr) {
        public static Where of(CrosszoneConfig config) {
            return new Where(config.getNamespace(), config.getResources().getNameService(),
                    config.getResources().getController());
        }
    }

    public static List<String> nameServers(KubernetesGateway k8s, CrosszoneConfig config) {
        return nameServers(k8s, Where.of(config));
    }

    public static List<String> controllers(KubernetesGateway k8s, CrosszoneConfig config) {
        return controllers(k8s, Where.of(config));
    }

    public static List<String> nameServers(KubernetesGateway k8s, Where where) {
        return addresses(k8s.pods(where.namespace(), OperatorNames.nameServiceLabels(where.nameServiceCr())),
                OperatorNames.NAME_SERVER_PORT);
    }

    public static List<String> controllers(KubernetesGateway k8s, Where where) {
        return addresses(k8s.pods(where.namespace(), OperatorNames.controllerLabels(where.controllerCr())),
                OperatorNames.CONTROLLER_PORT);
    }

    /** Both, or empty when no name server is Ready (RocketMQ cannot be asked yet; a caller that polls asks again). */
    public static Optional<RocketMqEndpoints> find(KubernetesGateway k8s, Where where, Duration callTimeout) {
        List<String> ns = nameServers(k8s, where);
        return ns.isEmpty() ? Optional.empty() : Optional.of(new RocketMqEndpoints(ns, controllers(k8s, where), callTimeout));
    }

    /** Both, or a {@link RuntimeFailure} naming what is missing when no name server is Ready. */
    public static RocketMqEndpoints endpoints(KubernetesGateway k8s, CrosszoneConfig config, Duration callTimeout) {
        return endpoints(k8s, Where.of(config), callTimeout, RuntimeFailure::new);
    }

    /** Both, or what {@code missing} makes of a message naming what is missing when no name server is Ready. */
    public static RocketMqEndpoints endpoints(KubernetesGateway k8s, Where where, Duration callTimeout,
                                              Function<String, ? extends RuntimeException> missing) {
        return find(k8s, where, callTimeout).orElseThrow(() -> missing.apply("no Ready name-server pod of NameService '"
                + where.nameServiceCr() + "' in namespace " + where.namespace() + ": RocketMQ cannot be asked"));
    }

    static List<String> addresses(List<Pod> pods, int port) {
        return pods.stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null && K8sStatus.podReady(p))
                .map(p -> p.getStatus().getPodIP()).filter(ip -> ip != null && !ip.isEmpty())
                .sorted().map(ip -> ip + ":" + port).toList();
    }
}
