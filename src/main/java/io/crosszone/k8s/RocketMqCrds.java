package io.crosszone.k8s;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import java.util.Arrays;
import java.util.List;

/**
 * Minimal CustomResourceDefinitions of the operator's kinds (schema-less, unknown fields kept):
 * enough for an API server, the mock included, to serve the CRs. Not the operator's full CRDs.
 */
public final class RocketMqCrds {
    private RocketMqCrds() {
    }

    public static CustomResourceDefinition crd(RocketMqKind kind) {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(kind.plural() + "." + kind.context().getGroup()).endMetadata()
                .withNewSpec()
                .withGroup(kind.context().getGroup())
                .withScope("Namespaced")
                .withNewNames().withKind(kind.kind()).withPlural(kind.plural())
                .withSingular(kind.kind().toLowerCase()).withListKind(kind.kind() + "List").endNames()
                .addNewVersion().withName(RocketMqKind.VERSION).withServed(true).withStorage(true)
                .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
                .withNewSubresources().withNewStatus().endStatus().endSubresources()
                .endVersion()
                .endSpec()
                .build();
    }

    public static List<CustomResourceDefinition> all() {
        return Arrays.stream(RocketMqKind.values()).map(RocketMqCrds::crd).toList();
    }
}
