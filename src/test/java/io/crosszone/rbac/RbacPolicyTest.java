package io.crosszone.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The authorizer's rules, on small hand-written manifests. */
class RbacPolicyTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final String MANIFESTS = """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: app, namespace: prod}
            rules:
              - apiGroups: [""]
                resources: ["pods"]
                verbs: ["get", "list"]
              - apiGroups: ["coordination.k8s.io"]
                resources: ["leases"]
                resourceNames: ["drill-lock"]
                verbs: ["update"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: app, namespace: prod}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: app}
            subjects: [{kind: ServiceAccount, name: runner, namespace: prod}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: nodes}
            rules:
              - apiGroups: [""]
                resources: ["nodes"]
                verbs: ["get", "patch"]
              - apiGroups: ["apps"]
                resources: ["*/scale"]
                verbs: ["*"]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRoleBinding
            metadata: {name: nodes}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: nodes}
            subjects: [{kind: ServiceAccount, name: runner, namespace: prod}]
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: RoleBinding
            metadata: {name: nodes-in-staging, namespace: staging}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: nodes}
            subjects: [{kind: ServiceAccount, name: other, namespace: prod}]
            """;

    private static RbacPolicy policy(String sa) throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        YAML.readerFor(JsonNode.class).readValues(MANIFESTS).forEachRemaining(n -> docs.add((JsonNode) n));
        return RbacPolicy.forServiceAccount("prod", sa, docs);
    }

    @Test
    void aRoleGrantsOnlyInItsNamespaceAClusterRoleBindingEverywhere() throws Exception {
        RbacPolicy p = policy("runner");
        assertThat(p.allows("get", "", "pods", "prod")).isTrue();
        assertThat(p.allows("get", "", "pods", true)).isTrue();
        assertThat(p.allows("get", "", "pods", "staging")).isFalse();
        assertThat(p.allows("list", "", "pods", null)).as("all namespaces needs a cluster grant").isFalse();
        assertThat(p.allows("delete", "", "pods", "prod")).isFalse();
        assertThat(p.allows("patch", "", "nodes", false)).isTrue();
        assertThat(p.allows("list", "", "nodes", false)).isFalse();
        assertThat(p.allows("get", "", "nodes", "anywhere")).isTrue();
    }

    @Test
    void groupsSubresourcesWildcardsAndResourceNames() throws Exception {
        RbacPolicy p = policy("runner");
        assertThat(p.allows("get", "apps", "pods", "prod")).as("another group").isFalse();
        assertThat(p.allows("update", "apps", "statefulsets/scale", "prod")).isTrue();
        assertThat(p.allows("update", "apps", "statefulsets", "prod")).isFalse();
        assertThat(p.allows(new ApiRequest("update", "coordination.k8s.io", "leases", "prod", "drill-lock"))).isTrue();
        assertThat(p.allows(new ApiRequest("update", "coordination.k8s.io", "leases", "prod", "other"))).isFalse();
        assertThat(p.allows("update", "coordination.k8s.io", "leases", "prod")).as("no name, named rule").isFalse();
    }

    @Test
    void onlyTheBindingsOfTheServiceAccountCount() throws Exception {
        RbacPolicy other = policy("other");
        assertThat(other.allows("get", "", "nodes", "staging")).isTrue();
        assertThat(other.allows("get", "", "nodes", "prod")).isFalse();
        assertThat(other.allows("get", "", "nodes", null)).isFalse();
        assertThat(other.allows("get", "", "pods", "prod")).isFalse();
        assertThat(policy("nobody").grants()).isEmpty();
    }

    @Test
    void unusedRulesAreTheGrantsNoRequestMatched() throws Exception {
        RbacPolicy p = policy("runner");
        List<ApiRequest> used = List.of(ApiRequest.namespaced("get", "", "pods", "prod"),
                ApiRequest.cluster("patch", "", "nodes"), ApiRequest.namespaced("delete", "", "pods", "prod"));
        assertThat(p.unusedRules(used)).extracting(RbacPolicy.Grant::toString).containsExactlyInAnyOrder(
                "list pods in prod from Role prod/app via RoleBinding app",
                "update coordination.k8s.io/leases [drill-lock] in prod from Role prod/app via RoleBinding app",
                "get nodes (cluster-wide) from ClusterRole nodes via ClusterRoleBinding nodes",
                "* apps/*/scale (cluster-wide) from ClusterRole nodes via ClusterRoleBinding nodes");
        assertThat(p.denied(used)).containsExactly(ApiRequest.namespaced("delete", "", "pods", "prod"));
    }

    @Test
    void aBindingToAMissingRoleIsAnError() {
        List<JsonNode> docs = new ArrayList<>();
        docs.add(YAML.createObjectNode().put("kind", "RoleBinding")
                .<com.fasterxml.jackson.databind.node.ObjectNode>set("metadata", YAML.createObjectNode().put("name", "b").put("namespace", "prod"))
                .<com.fasterxml.jackson.databind.node.ObjectNode>set("roleRef", YAML.createObjectNode().put("kind", "Role").put("name", "gone"))
                .set("subjects", YAML.createArrayNode().add(YAML.createObjectNode().put("kind", "ServiceAccount").put("name", "runner").put("namespace", "prod"))));
        assertThatThrownBy(() -> RbacPolicy.forServiceAccount("prod", "runner", docs))
                .hasMessageContaining("missing Role prod/gone");
    }
}
