package io.crosszone.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/** A read-only view of a Controller CR (the DLedger controllers of RocketMQ 5). */
public record ControllerCr(GenericKubernetesResource resource) {

    public String name() {
        return resource.getMetadata().getName();
    }

    public int size() {
        Integer size = Fields.integer(resource.getAdditionalProperties(), "spec", "size");
        return size == null ? 0 : size;
    }

    /** The Service the operator gives brokers as {@code controllerAddr}: {@code <cr>-svc:9878}. */
    public static String serviceName(String cr) {
        return cr + "-svc";
    }

    /** The headless Service of the controller pods: {@code <cr>-svc-headless}. */
    public static String headlessServiceName(String cr) {
        return cr + "-svc-headless";
    }
}
