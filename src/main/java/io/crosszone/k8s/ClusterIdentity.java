package io.crosszone.k8s;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which cluster a task acts on: the API server's URL, the kubeconfig context (and its cluster
 * entry) and the namespace. Printed and recorded by every task, and matched against
 * {@code --expect-cluster} before a mutating task reads or writes anything else.
 * {@code uid} is the {@code kube-system} namespace's UID, read only when asked for
 * ({@code --expect-cluster uid:...}): the one name a cluster keeps that a kubeconfig cannot
 * borrow. In a pod the context is absent and every API server is {@code kubernetes.default.svc},
 * so neither a context nor a URL tells one cluster from another there.
 */
public record ClusterIdentity(String server, String context, String clusterName, String namespace, String uid) {
    /** The prefix of an {@code --expect-cluster} value that names the kube-system namespace's UID. */
    public static final String UID_PREFIX = "uid:";

    public static ClusterIdentity of(KubernetesClient client, String namespace) {
        Config c = client.getConfiguration();
        NamedContext ctx = c.getCurrentContext();
        String cluster = ctx == null || ctx.getContext() == null ? null : ctx.getContext().getCluster();
        return new ClusterIdentity(withoutUserInfo(stripSlash(c.getMasterUrl())), ctx == null ? null : ctx.getName(), cluster,
                namespace, null);
    }

    /** Whether matching {@code expected} needs the kube-system UID. */
    public static boolean namesUid(String expected) {
        return expected != null && expected.trim().toLowerCase(Locale.ROOT).startsWith(UID_PREFIX);
    }

    /** This identity with the kube-system namespace's UID (null: the namespace could not be read). */
    public ClusterIdentity withUid(String kubeSystemUid) {
        return new ClusterIdentity(server, context, clusterName, namespace, kubeSystemUid);
    }

    /** {@code https://user:password@host} is printed as {@code https://host}: a URL may carry a secret. */
    static String withoutUserInfo(String url) {
        return url == null ? null : url.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", "$1");
    }

    /**
     * Whether {@code expected} names this cluster: a URL is compared with the API server's (scheme,
     * host and port, case-insensitive host, no trailing slash); {@code uid:U} with the kube-system
     * namespace's UID; anything else with the context's name or its cluster entry's name.
     */
    public boolean matches(String expected) {
        String e = expected.trim();
        if (namesUid(e)) {
            return uid != null && uid.equalsIgnoreCase(e.substring(UID_PREFIX.length()).trim());
        }
        if (e.contains("://")) {
            return sameUrl(e, server);
        }
        return e.equals(context) || e.equals(clusterName);
    }

    private static boolean sameUrl(String a, String b) {
        if (b == null) {
            return false;
        }
        try {
            URI x = URI.create(stripSlash(a));
            URI y = URI.create(stripSlash(b));
            return x.getScheme().equalsIgnoreCase(y.getScheme()) && x.getHost().toLowerCase(Locale.ROOT)
                    .equals(y.getHost().toLowerCase(Locale.ROOT)) && port(x) == port(y)
                    && String.valueOf(x.getPath()).equals(String.valueOf(y.getPath()));
        } catch (RuntimeException ex) {
            return false;
        }
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : "http".equalsIgnoreCase(u.getScheme()) ? 80 : 443;
    }

    private static String stripSlash(String url) {
        return url != null && url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** One line for people: {@code https://host:6443 (context prod, namespace rocketmq)}. */
    public String describe() {
        return server + " (context " + (context == null ? "none" : context)
                + (clusterName != null && !clusterName.equals(context) ? ", cluster " + clusterName : "")
                + ", namespace " + namespace + (uid != null ? ", kube-system uid " + uid : "") + ")";
    }

    /** The {@code cluster} object of JSON output and reports. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("server", server);
        m.put("context", context);
        m.put("namespace", namespace);
        if (uid != null) {
            m.put("uid", uid);
        }
        return m;
    }
}
