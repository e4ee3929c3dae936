package io.crosszone.rbac;

import java.util.Arrays;
import java.util.Optional;

/**
 * Turns an HTTP request to the Kubernetes API into the {@link ApiRequest} the RBAC authorizer
 * would check, the way kube-apiserver's request-info resolver does for the paths a client
 * uses: {@code /api/v1/...} and {@code /apis/GROUP/VERSION/...}, namespaced or not, with name
 * and subresource; {@code ?watch=true} makes a GET a watch. Discovery and other non-resource
 * paths ({@code /api}, {@code /apis/GROUP/VERSION}, {@code /version}) give nothing: Kubernetes
 * allows them to every authenticated identity.
 */
public final class ApiRequests {
    private ApiRequests() {
    }

    public static Optional<ApiRequest> fromHttp(String method, String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        String[] seg = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
        String group;
        String[] rest;
        if (seg.length >= 3 && seg[0].equals("api")) {
            group = "";
            rest = Arrays.copyOfRange(seg, 2, seg.length);
        } else if (seg.length >= 4 && seg[0].equals("apis")) {
            group = seg[1];
            rest = Arrays.copyOfRange(seg, 3, seg.length);
        } else {
            return Optional.empty();
        }
        String namespace = null;
        boolean namespaceSubresource = group.isEmpty() && rest.length == 3 && rest[0].equals("namespaces")
                && (rest[2].equals("status") || rest[2].equals("finalize"));
        if (rest[0].equals("namespaces") && rest.length >= 3 && !namespaceSubresource) {
            namespace = rest[1];
            rest = Arrays.copyOfRange(rest, 2, rest.length);
        }
        String resource = rest[0];
        String name = rest.length > 1 ? rest[1] : null;
        if (rest.length > 2) {
            resource += "/" + rest[2];
        }
        if (rest[0].equals("namespaces") && name != null) {
            namespace = null; // a Namespace object is cluster-scoped
        }
        String verb = verb(method, name != null, watch(query));
        return verb == null ? Optional.empty() : Optional.of(new ApiRequest(verb, group, resource, namespace, name));
    }

    private static boolean watch(String query) {
        for (String p : query.split("&")) {
            if (p.equals("watch=true") || p.equals("watch=1")) {
                return true;
            }
        }
        return false;
    }

    private static String verb(String method, boolean named, boolean watch) {
        return switch (method.toUpperCase()) {
            case "GET", "HEAD" -> watch ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> null;
        };
    }
}
