package io.crosszone.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What RBAC manifests (Role, ClusterRole, RoleBinding, ClusterRoleBinding) grant one
 * ServiceAccount, evaluated the way Kubernetes' RBAC authorizer does: a RoleBinding grants its
 * role's rules in its own namespace, a ClusterRoleBinding grants them everywhere (cluster-scoped
 * objects and every namespace); a rule matches a verb, API group and resource (or "*", or
 * "*&#47;SUB" for a subresource), and, when it lists resourceNames, only requests for those names.
 * Each rule is flattened into {@link Grant}s (one verb, group and resource each) so that a
 * grant no request used can be named.
 */
public final class RbacPolicy {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One verb on one resource of one group, from a role, in a namespace or ({@code null}) everywhere. */
    public record Grant(String source, String verb, String apiGroup, String resource, String namespace, Set<String> resourceNames) {
        public boolean matches(ApiRequest r) {
            if (namespace != null && !namespace.equals(r.namespace())) {
                return false;
            }
            if (!resourceNames.isEmpty() && (r.name() == null || !resourceNames.contains(r.name()))) {
                return false;
            }
            return (verb.equals("*") || verb.equals(r.verb()))
                    && (apiGroup.equals("*") || apiGroup.equals(r.apiGroup()))
                    && resourceMatches(r.resource());
        }

        private boolean resourceMatches(String requested) {
            if (resource.equals("*") || resource.equals(requested)) {
                return true;
            }
            int slash = requested.indexOf('/');
            return resource.startsWith("*/") && slash > 0 && resource.substring(2).equals(requested.substring(slash + 1));
        }

        @Override
        public String toString() {
            return verb + " " + (apiGroup.isEmpty() ? "" : apiGroup + "/") + resource
                    + (resourceNames.isEmpty() ? "" : " " + resourceNames)
                    + (namespace == null ? " (cluster-wide)" : " in " + namespace) + " from " + source;
        }
    }

    private final String subject;
    private final String home;
    private final List<Grant> grants;

    private RbacPolicy(String subject, String home, List<Grant> grants) {
        this.subject = subject;
        this.home = home;
        this.grants = List.copyOf(grants);
    }

    /** The grants of ServiceAccount {@code namespace/name} in these manifest files. */
    public static RbacPolicy forServiceAccount(String namespace, String name, Collection<Path> manifests) {
        List<JsonNode> docs = new ArrayList<>();
        for (Path f : manifests) {
            try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(Files.readString(f))) {
                while (it.hasNext()) {
                    JsonNode d = it.next();
                    if (d != null && d.isObject()) {
                        docs.add(d);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + f, e);
            }
        }
        return forServiceAccount(namespace, name, docs);
    }

    public static RbacPolicy forServiceAccount(String namespace, String name, List<JsonNode> docs) {
        Map<String, JsonNode> roles = new HashMap<>();
        for (JsonNode d : docs) {
            String kind = d.path("kind").asText();
            if (kind.equals("Role")) {
                roles.put("Role " + requireNamespace(d) + "/" + d.path("metadata").path("name").asText(), d);
            } else if (kind.equals("ClusterRole")) {
                if (d.has("aggregationRule")) {
                    throw new IllegalArgumentException("aggregated ClusterRoles are not supported: " + d.path("metadata").path("name"));
                }
                roles.put("ClusterRole " + d.path("metadata").path("name").asText(), d);
            }
        }
        List<Grant> grants = new ArrayList<>();
        for (JsonNode d : docs) {
            String kind = d.path("kind").asText();
            if (!kind.equals("RoleBinding") && !kind.equals("ClusterRoleBinding")) {
                continue;
            }
            if (!bindsServiceAccount(d, namespace, name)) {
                continue;
            }
            String scope = kind.equals("RoleBinding") ? requireNamespace(d) : null;
            JsonNode ref = d.path("roleRef");
            String key = ref.path("kind").asText().equals("Role")
                    ? "Role " + scope + "/" + ref.path("name").asText()
                    : "ClusterRole " + ref.path("name").asText();
            JsonNode role = roles.get(key);
            if (role == null) {
                throw new IllegalArgumentException(kind + " " + d.path("metadata").path("name").asText() + " refers to a missing " + key);
            }
            for (JsonNode rule : role.path("rules")) {
                if (rule.has("nonResourceURLs")) {
                    throw new IllegalArgumentException(key + ": nonResourceURLs rules are not supported");
                }
                Set<String> names = new LinkedHashSet<>();
                rule.path("resourceNames").forEach(n -> names.add(n.asText()));
                for (JsonNode g : rule.path("apiGroups")) {
                    for (JsonNode r : rule.path("resources")) {
                        for (JsonNode v : rule.path("verbs")) {
                            grants.add(new Grant(key + " via " + kind + " " + d.path("metadata").path("name").asText(),
                                    v.asText(), g.asText(), r.asText(), scope, Set.copyOf(names)));
                        }
                    }
                }
            }
        }
        return new RbacPolicy("ServiceAccount " + namespace + "/" + name, namespace, grants);
    }

    private static boolean bindsServiceAccount(JsonNode binding, String namespace, String name) {
        for (JsonNode s : binding.path("subjects")) {
            if (s.path("kind").asText().equals("ServiceAccount") && s.path("name").asText().equals(name)
                    && s.path("namespace").asText(binding.path("metadata").path("namespace").asText()).equals(namespace)) {
                return true;
            }
        }
        return false;
    }

    private static String requireNamespace(JsonNode d) {
        String ns = d.path("metadata").path("namespace").asText();
        if (ns.isEmpty()) {
            throw new IllegalArgumentException(d.path("kind").asText() + " " + d.path("metadata").path("name").asText()
                    + " names no namespace");
        }
        return ns;
    }

    public String subject() {
        return subject;
    }

    public List<Grant> grants() {
        return grants;
    }

    public boolean allows(ApiRequest request) {
        return grants.stream().anyMatch(g -> g.matches(request));
    }

    /**
     * Whether {@code verb} on {@code apiGroup/resource} is allowed in {@code namespace}
     * ({@code null}: cluster-scoped, or across all namespaces).
     */
    public boolean allows(String verb, String apiGroup, String resource, String namespace) {
        return allows(new ApiRequest(verb, apiGroup, resource, namespace, null));
    }

    /**
     * Whether {@code verb} on {@code apiGroup/resource} is allowed in the ServiceAccount's own
     * namespace ({@code namespaced}) or cluster-wide (not {@code namespaced}).
     */
    public boolean allows(String verb, String apiGroup, String resource, boolean namespaced) {
        return allows(verb, apiGroup, resource, namespaced ? home : null);
    }

    /** The requests these manifests do not allow, in order, each once. */
    public List<ApiRequest> denied(Collection<ApiRequest> requests) {
        return requests.stream().filter(r -> !allows(r)).distinct().toList();
    }

    /** The grants that none of the requests used: what the manifests give and nobody needs. */
    public List<Grant> unusedRules(Collection<ApiRequest> requests) {
        return grants.stream().filter(g -> requests.stream().noneMatch(g::matches)).toList();
    }
}
