package io.crosszone.tasks.controllermode;

import io.crosszone.config.ControllerSpec;
import io.crosszone.k8s.RocketMqKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Controller CR to create from the configuration: the runbook's CR, parameterised. Pure. */
public final class ControllerCrBuilder {
    private ControllerCrBuilder() {
    }

    public static GenericKubernetesResource build(String namespace, String name, ControllerSpec c) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("controllerImage", c.getImage());
        spec.put("imagePullPolicy", c.getImagePullPolicy());
        spec.put("size", c.getSize());
        spec.put("storageMode", c.getStorageMode());
        spec.put("hostPath", c.getHostPath());
        spec.put("resources", Map.of("limits", Map.of("memory", c.getMemory()), "requests", Map.of("memory", c.getMemory())));
        Map<String, Object> claimSpec = new LinkedHashMap<>();
        claimSpec.put("accessModes", List.of("ReadWriteOnce"));
        if (c.getStorageClassName() != null) {
            claimSpec.put("storageClassName", c.getStorageClassName());
        }
        claimSpec.put("resources", Map.of("requests", Map.of("storage", c.getStorageSize())));
        spec.put("volumeClaimTemplates", List.of(Map.of("metadata", Map.of("name", "controller-storage"),
                "spec", claimSpec)));
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(RocketMqKind.CONTROLLER.apiVersion()).withKind(RocketMqKind.CONTROLLER.kind())
                .withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels("app.kubernetes.io/managed-by", "crosszone").endMetadata()
                .addToAdditionalProperties("spec", spec)
                .build();
    }
}
