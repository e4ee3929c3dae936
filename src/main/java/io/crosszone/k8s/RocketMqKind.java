package io.crosszone.k8s;

import io.crosszone.plan.OperatorNames;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * The RocketMQ operator's custom resources (group {@code rocketmq.apache.org}, version
 * {@code v1alpha1}, all namespaced), with the plurals of the operator's CRDs. An explicit
 * {@link ResourceDefinitionContext} lets fabric8 reach them without API discovery, which the
 * mock API server does not offer for CRDs it has not seen.
 */
public enum RocketMqKind {
    BROKER("Broker", "brokers"),
    NAME_SERVICE("NameService", "nameservices"),
    CONTROLLER("Controller", "controllers"),
    CONSOLE("Console", "consoles");

    public static final String VERSION = "v1alpha1";

    private final String kind;
    private final String plural;

    RocketMqKind(String kind, String plural) {
        this.kind = kind;
        this.plural = plural;
    }

    public String kind() {
        return kind;
    }

    public String plural() {
        return plural;
    }

    public String apiVersion() {
        return OperatorNames.API_VERSION;
    }

    public ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder()
                .withGroup(OperatorNames.API_GROUP)
                .withVersion(VERSION)
                .withKind(kind)
                .withPlural(plural)
                .withNamespaced(true)
                .build();
    }
}
