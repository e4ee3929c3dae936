package io.crosszone.k8s;

import io.crosszone.core.JsonMaps;

import io.crosszone.core.Json;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Every Kubernetes call the tasks make, over fabric8. It keeps to what works against a real API
 * server and the fabric8 mock alike: get/list/create/delete, JSON merge patch and JSON patch,
 * equality label selectors. No server-side apply, no strategic merge patch, no field selectors.
 * A merge patch cannot remove a key on the mock (a {@code null} is kept), so removals use JSON
 * patch.
 */
public final class KubernetesGateway {
    private static final PatchContext MERGE = PatchContext.of(PatchType.JSON_MERGE);
    private static final PatchContext JSON_PATCH = PatchContext.of(PatchType.JSON);

    /** How often a write refused with 409 Conflict is made in all, and the pause before the next. */
    static final int CONFLICT_ATTEMPTS = 5;
    static final long CONFLICT_BACKOFF_MILLIS = 200;

    private final KubernetesClient client;

    public KubernetesGateway(KubernetesClient client) {
        this.client = client;
    }

    public KubernetesClient client() {
        return client;
    }

    // ---- namespaces

    /** False only when the API says the namespace is not there; true when it may not be read (403). */
    /** A pod's claim that is bound to a volume, and the zones whose nodes can attach that volume. */
    public record BoundClaim(String claim, String volume, Set<String> zones) {
    }

    /** The bound claims of {@code pod} (none if it is gone); an unbound claim is bound where its pod lands, so left out. */
    public List<BoundClaim> boundClaims(String namespace, String pod, List<Node> nodes, String zoneKey) {
        List<BoundClaim> out = new ArrayList<>();
        pod(namespace, pod).ifPresent(p -> {
            for (String claim : VolumeTopology.claims(p)) {
                String volume = pvc(namespace, claim).map(c -> c.getSpec() == null ? null : c.getSpec().getVolumeName()).orElse(null);
                Optional<PersistentVolume> pv = volume == null ? Optional.empty() : pv(volume);
                pv.ifPresent(v -> out.add(new BoundClaim(claim, volume, VolumeTopology.zones(v, nodes, zoneKey))));
            }
        });
        return out;
    }

    /**
     * The kube-system namespace's UID: a cluster's identity that survives renamed contexts and
     * in-cluster URLs. Empty when the namespace is absent or may not be read (403).
     */
    public java.util.Optional<String> kubeSystemUid() {
        try {
            var ns = client.namespaces().withName("kube-system").get();
            return java.util.Optional.ofNullable(ns == null ? null : ns.getMetadata().getUid());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                return java.util.Optional.empty();
            }
            throw e;
        }
    }

    public boolean namespaceExists(String namespace) {
        try {
            return client.namespaces().withName(namespace).get() != null;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                return true;
            }
            throw e;
        }
    }

    // ---- nodes

    public List<Node> nodes() {
        return client.nodes().list().getItems();
    }

    public Optional<Node> node(String name) {
        return Optional.ofNullable(client.nodes().withName(name).get());
    }

    /** Sets one label on a node (JSON merge patch: other labels are kept). */
    public Node labelNode(String name, String key, String value) {
        return onConflict(() -> client.nodes().withName(name).patch(MERGE,
                Json.write(Map.of("metadata", Map.of("labels", Map.of(key, value))))));
    }

    /** Removes one label from a node, if it is there (JSON patch). */
    public void unlabelNode(String name, String key) {
        onConflict(() -> {
            unlabelNodeOnce(name, key);
            return null;
        });
    }

    private void unlabelNodeOnce(String name, String key) {
        Node n = client.nodes().withName(name).get();
        if (n == null || n.getMetadata().getLabels() == null || !n.getMetadata().getLabels().containsKey(key)) {
            return;
        }
        client.nodes().withName(name).patch(JSON_PATCH, Json.write(List.of(
                Map.of("op", "remove", "path", "/metadata/labels/" + escapePointer(key)))));
    }

    /** Cordons or uncordons a node ({@code spec.unschedulable}); fabric8 has no cordon(). */
    public Node setUnschedulable(String name, boolean unschedulable) {
        return onConflict(() -> client.nodes().withName(name).patch(MERGE,
                Json.write(Map.of("spec", Map.of("unschedulable", unschedulable)))));
    }

    // ---- RocketMQ custom resources

    public Optional<GenericKubernetesResource> cr(RocketMqKind kind, String namespace, String name) {
        return Optional.ofNullable(client.genericKubernetesResources(kind.context())
                .inNamespace(namespace).withName(name).get());
    }

    public List<GenericKubernetesResource> crs(RocketMqKind kind, String namespace) {
        return client.genericKubernetesResources(kind.context()).inNamespace(namespace).list().getItems();
    }

    /** Every CR of a kind in the cluster; empty when that may not be listed. */
    public List<GenericKubernetesResource> crsInAnyNamespace(RocketMqKind kind) {
        try {
            return client.genericKubernetesResources(kind.context()).inAnyNamespace().list().getItems();
        } catch (KubernetesClientException e) {
            return List.of();
        }
    }

    public Optional<BrokerCr> brokerCr(String namespace, String name) {
        return cr(RocketMqKind.BROKER, namespace, name).map(BrokerCr::new);
    }

    public Optional<ControllerCr> controllerCr(String namespace, String name) {
        return cr(RocketMqKind.CONTROLLER, namespace, name).map(ControllerCr::new);
    }

    public GenericKubernetesResource createCr(RocketMqKind kind, GenericKubernetesResource resource) {
        return client.genericKubernetesResources(kind.context())
                .inNamespace(resource.getMetadata().getNamespace()).resource(resource).create();
    }

    /** A JSON merge patch of a CR, e.g. {@code {"spec":{"clusterMode":"CONTROLLER"}}}. */
    public GenericKubernetesResource mergePatchCr(RocketMqKind kind, String namespace, String name,
                                                  Map<String, Object> patch) {
        return onConflict(() -> client.genericKubernetesResources(kind.context()).inNamespace(namespace).withName(name)
                .patch(MERGE, Json.write(patch)));
    }

    /** A JSON patch (RFC 6902) of a CR: exact, also where a merge patch would merge lists (the mock does). */
    public GenericKubernetesResource jsonPatchCr(RocketMqKind kind, String namespace, String name, List<Map<String, Object>> ops) {
        return onConflict(() -> client.genericKubernetesResources(kind.context()).inNamespace(namespace).withName(name)
                .patch(JSON_PATCH, Json.write(ops)));
    }

    // ---- StatefulSets

    public Optional<StatefulSet> statefulSet(String namespace, String name) {
        return Optional.ofNullable(client.apps().statefulSets().inNamespace(namespace).withName(name).get());
    }

    /** StatefulSets by their own labels. The operator's StatefulSets carry none: see {@link #statefulSetsSelecting}. */
    public List<StatefulSet> statefulSets(String namespace, Map<String, String> labels) {
        return client.apps().statefulSets().inNamespace(namespace).withLabels(labels).list().getItems();
    }

    /**
     * StatefulSets whose pod selector includes all these labels. The operator puts no labels on
     * its StatefulSets' metadata, only on their selector and pods ({@code app=broker,
     * broker_cr=<cr>}), so a label selector on StatefulSets finds nothing: list and filter.
     */
    public List<StatefulSet> statefulSetsSelecting(String namespace, Map<String, String> labels) {
        return client.apps().statefulSets().inNamespace(namespace).list().getItems().stream()
                .filter(s -> s.getSpec() != null && s.getSpec().getSelector() != null
                        && s.getSpec().getSelector().getMatchLabels() != null
                        && s.getSpec().getSelector().getMatchLabels().entrySet().containsAll(labels.entrySet()))
                .toList();
    }

    /** A JSON merge patch of a StatefulSet (lists such as affinity terms are replaced whole). */
    public StatefulSet mergePatchStatefulSet(String namespace, String name, Map<String, Object> patch) {
        return onConflict(() -> client.apps().statefulSets().inNamespace(namespace).withName(name).patch(MERGE, Json.write(patch)));
    }

    /** A JSON patch (RFC 6902) of a StatefulSet, e.g. {@code add} of a whole pod-template affinity. */
    public StatefulSet jsonPatchStatefulSet(String namespace, String name, List<Map<String, Object>> ops) {
        return onConflict(() -> client.apps().statefulSets().inNamespace(namespace).withName(name)
                .patch(JSON_PATCH, Json.write(ops)));
    }

    /** A rolling restart (a pod-template annotation), which keeps the StatefulSet and its spec. */
    public StatefulSet restartStatefulSet(String namespace, String name) {
        return onConflict(() -> client.apps().statefulSets().inNamespace(namespace).withName(name).rolling().restart());
    }

    /** Deletes a StatefulSet; true when something was deleted. */
    public boolean deleteStatefulSet(String namespace, String name) {
        return !client.apps().statefulSets().inNamespace(namespace).withName(name).delete().isEmpty();
    }

    // ---- pods

    public List<Pod> pods(String namespace, Map<String, String> labels) {
        return client.pods().inNamespace(namespace).withLabels(labels).list().getItems();
    }

    public Optional<Pod> pod(String namespace, String name) {
        return Optional.ofNullable(client.pods().inNamespace(namespace).withName(name).get());
    }

    public boolean deletePod(String namespace, String name) {
        return !client.pods().inNamespace(namespace).withName(name).delete().isEmpty();
    }

    /** Deletes a pod at once (grace period 0), as for a pod on a node that is gone. */
    public boolean forceDeletePod(String namespace, String name) {
        return !client.pods().inNamespace(namespace).withName(name).withGracePeriod(0).delete().isEmpty();
    }

    /** Sets one label on a pod (JSON merge patch: other labels are kept). */
    public void labelPod(String namespace, String name, String key, String value) {
        onConflict(() -> client.pods().inNamespace(namespace).withName(name).patch(MERGE,
                Json.write(Map.of("metadata", Map.of("labels", Map.of(key, value))))));
    }

    /** Removes one label from a pod, if the pod and the label are there (JSON patch). */
    public void unlabelPod(String namespace, String name, String key) {
        onConflict(() -> {
            unlabelPodOnce(namespace, name, key);
            return null;
        });
    }

    private void unlabelPodOnce(String namespace, String name, String key) {
        Pod p = client.pods().inNamespace(namespace).withName(name).get();
        if (p == null || p.getMetadata().getLabels() == null || !p.getMetadata().getLabels().containsKey(key)) {
            return;
        }
        client.pods().inNamespace(namespace).withName(name).patch(JSON_PATCH, Json.write(List.of(
                Map.of("op", "remove", "path", "/metadata/labels/" + escapePointer(key)))));
    }

    // ---- NetworkPolicies (the partition drill)

    public List<NetworkPolicy> networkPolicies(String namespace, Map<String, String> labels) {
        return client.network().v1().networkPolicies().inNamespace(namespace).withLabels(labels).list().getItems();
    }

    /** Creates the policy; one of the same name already there is kept (a re-run after a kill). */
    public void createNetworkPolicy(NetworkPolicy policy) {
        String ns = policy.getMetadata().getNamespace();
        if (client.network().v1().networkPolicies().inNamespace(ns).withName(policy.getMetadata().getName()).get() == null) {
            client.network().v1().networkPolicies().inNamespace(ns).resource(policy).create();
        }
    }

    public boolean deleteNetworkPolicy(String namespace, String name) {
        return !client.network().v1().networkPolicies().inNamespace(namespace).withName(name).delete().isEmpty();
    }

    // ---- Deployments

    /**
     * A rolling restart of a Deployment (a pod-template annotation). Returns the Deployment as it
     * was before, or empty when there is no such Deployment.
     */
    public Optional<Deployment> restartDeployment(String namespace, String name) {
        Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
        if (d == null) {
            return Optional.empty();
        }
        onConflict(() -> client.apps().deployments().inNamespace(namespace).withName(name).rolling().restart());
        return Optional.of(d);
    }

    // ---- other APIs' objects (Chaos Mesh)

    /** Whether the API server serves {@code kind} in {@code groupVersion} (e.g. a CRD is installed). */
    public boolean servesKind(String groupVersion, String kind) {
        try {
            APIResourceList list = client.getApiResources(groupVersion);
            return list != null && list.getResources() != null
                    && list.getResources().stream().anyMatch(r -> kind.equals(r.getKind()));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    public GenericKubernetesResource createGeneric(ResourceDefinitionContext context, GenericKubernetesResource r) {
        return client.genericKubernetesResources(context).inNamespace(r.getMetadata().getNamespace()).resource(r).create();
    }

    public List<GenericKubernetesResource> listGeneric(ResourceDefinitionContext context, String namespace,
                                                       Map<String, String> labels) {
        return client.genericKubernetesResources(context).inNamespace(namespace).withLabels(labels).list().getItems();
    }

    public boolean deleteGeneric(ResourceDefinitionContext context, String namespace, String name) {
        return !client.genericKubernetesResources(context).inNamespace(namespace).withName(name).delete().isEmpty();
    }

    // ---- volumes

    public List<PersistentVolumeClaim> pvcs(String namespace, Map<String, String> labels) {
        return client.persistentVolumeClaims().inNamespace(namespace).withLabels(labels).list().getItems();
    }

    public Optional<PersistentVolumeClaim> pvc(String namespace, String name) {
        return Optional.ofNullable(client.persistentVolumeClaims().inNamespace(namespace).withName(name).get());
    }

    public boolean deletePvc(String namespace, String name) {
        return !client.persistentVolumeClaims().inNamespace(namespace).withName(name).delete().isEmpty();
    }

    public Optional<PersistentVolume> pv(String name) {
        return Optional.ofNullable(client.persistentVolumes().withName(name).get());
    }

    // ---- ConfigMaps

    public Optional<ConfigMap> configMap(String namespace, String name) {
        return Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get());
    }

    public ConfigMap createConfigMap(String namespace, String name, Map<String, String> labels,
                                     Map<String, String> data) {
        return client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
                .withData(data).build()).create();
    }

    public boolean deleteConfigMap(String namespace, String name) {
        return !client.configMaps().inNamespace(namespace).withName(name).delete().isEmpty();
    }

    /** Sets some keys of a ConfigMap's data, keeping the others (JSON merge patch). */
    public ConfigMap mergeConfigMapData(String namespace, String name, Map<String, String> data) {
        return onConflict(() -> client.configMaps().inNamespace(namespace).withName(name)
                .patch(MERGE, Json.write(Map.of("data", data))));
    }

    /**
     * A write the API server refused with 409 Conflict (the object changed between the task's
     * read and this write) is made again; a write that reads first reads again. 429 and 5xx are
     * retried below this, by the client itself with bounded backoff ({@link KubernetesClients}).
     * An AlreadyExists 409 of a create is not a conflict and is left to the caller.
     */
    static <T> T onConflict(Supplier<T> write) {
        for (int attempt = 1; ; attempt++) {
            try {
                return write.get();
            } catch (KubernetesClientException e) {
                boolean conflict = e.getCode() == 409 && (e.getStatus() == null
                        || !"AlreadyExists".equals(e.getStatus().getReason()));
                if (!conflict || attempt >= CONFLICT_ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(CONFLICT_BACKOFF_MILLIS * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** A short {@code Kind namespace/name} for messages. */
    public static String describe(HasMetadata o) {
        String ns = o.getMetadata().getNamespace();
        return o.getKind() + " " + (ns == null ? "" : ns + "/") + o.getMetadata().getName();
    }

    /** RFC 6901: '~' and '/' in a key become '~0' and '~1'. */
    public static String escapePointer(String key) {
        return JsonMaps.escapePointer(key);
    }
}
