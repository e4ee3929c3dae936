package io.crosszone.tasks;

import io.crosszone.config.ConfigException;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.k8s.BrokerCr;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.k8s.RocketMqKind;
import java.util.Optional;
import java.util.stream.Collectors;

/** The Broker CR a task acts on, or bad input naming what exists instead (exit 2, nothing written). */
public final class BrokerCrs {
    private BrokerCrs() {
    }

    public static BrokerCr require(KubernetesGateway k8s, CrosszoneConfig config) {
        String ns = config.getNamespace();
        String name = config.getResources().getBroker();
        if (!k8s.namespaceExists(ns)) {
            throw new ConfigException("namespace '" + ns + "' does not exist: check --namespace");
        }
        Optional<BrokerCr> broker = k8s.brokerCr(ns, name);
        if (broker.isEmpty()) {
            String elsewhere = k8s.crsInAnyNamespace(RocketMqKind.BROKER).stream()
                    .map(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName())
                    .collect(Collectors.joining(", "));
            throw new ConfigException("Broker CR '" + name + "' not found in namespace '" + ns + "'"
                    + (elsewhere.isEmpty() ? ": check --broker-cr and --namespace"
                    : "; Broker CRs found: " + elsewhere + " (check --namespace and --broker-cr)"));
        }
        return broker.get();
    }
}
