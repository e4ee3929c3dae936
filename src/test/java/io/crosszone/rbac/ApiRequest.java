package io.crosszone.rbac;

import java.util.Objects;

/**
 * One Kubernetes API request as the RBAC authorizer sees it: the verb (get, list, watch, create,
 * update, patch, delete, deletecollection), the API group ("" for the core group), the resource
 * (with its subresource as {@code pods/log}), the namespace ({@code null} for a cluster-scoped
 * object or a request across all namespaces) and the object's name ({@code null} for a
 * collection).
 */
public record ApiRequest(String verb, String apiGroup, String resource, String namespace, String name) {
    public ApiRequest {
        Objects.requireNonNull(verb, "verb");
        Objects.requireNonNull(apiGroup, "apiGroup");
        Objects.requireNonNull(resource, "resource");
    }

    /** A request in a namespace, any name. */
    public static ApiRequest namespaced(String verb, String apiGroup, String resource, String namespace) {
        return new ApiRequest(verb, apiGroup, resource, namespace, null);
    }

    /** A cluster-scoped request (or one across all namespaces), any name. */
    public static ApiRequest cluster(String verb, String apiGroup, String resource) {
        return new ApiRequest(verb, apiGroup, resource, null, null);
    }

    /** The same request without the object's name: what a set of requests is usually compared by. */
    public ApiRequest withoutName() {
        return new ApiRequest(verb, apiGroup, resource, namespace, null);
    }

    @Override
    public String toString() {
        return verb + " " + (apiGroup.isEmpty() ? "" : apiGroup + "/") + resource
                + (name == null ? "" : " " + name) + (namespace == null ? " (cluster-wide)" : " in " + namespace);
    }
}
