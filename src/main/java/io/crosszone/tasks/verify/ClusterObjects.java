package io.crosszone.tasks.verify;

import static io.crosszone.tasks.verify.Concurrently.get;

import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.k8s.RocketMqKind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Objects;

/**
 * The Kubernetes objects verify-distribution reads, each kind listed once (for one namespace, or
 * for the whole cluster with --all-namespaces), never once per pod.
 */
public record ClusterObjects(List<Node> nodes, List<Pod> pods, List<StatefulSet> statefulSets,
                             List<PersistentVolumeClaim> pvcs, List<PersistentVolume> pvs,
                             List<GenericKubernetesResource> brokerCrs, List<GenericKubernetesResource> controllerCrs) {

    /** Reads one namespace, the kinds at once. */
    public static ClusterObjects read(KubernetesGateway k8s, String namespace) {
        KubernetesClient c = k8s.client();
        try (Concurrently reads = new Concurrently("k8s-read", KINDS)) {
            var nodes = reads.submit(() -> c.nodes().list().getItems());
            var pods = reads.submit(() -> c.pods().inNamespace(namespace).list().getItems());
            var sets = reads.submit(() -> c.apps().statefulSets().inNamespace(namespace).list().getItems());
            var pvcs = reads.submit(() -> c.persistentVolumeClaims().inNamespace(namespace).list().getItems());
            var pvs = reads.submit(() -> c.persistentVolumes().list().getItems());
            var brokers = reads.submit(() -> k8s.crs(RocketMqKind.BROKER, namespace));
            var controllers = reads.submit(() -> k8s.crs(RocketMqKind.CONTROLLER, namespace));
            return new ClusterObjects(get(nodes), get(pods), get(sets), get(pvcs), get(pvs), get(brokers), get(controllers));
        }
    }

    /** Reads every namespace at once: one request per kind for the whole fleet, the kinds at once. */
    public static ClusterObjects readAll(KubernetesGateway k8s) {
        KubernetesClient c = k8s.client();
        try (Concurrently reads = new Concurrently("k8s-read", KINDS)) {
            var nodes = reads.submit(() -> c.nodes().list().getItems());
            var pods = reads.submit(() -> c.pods().inAnyNamespace().list().getItems());
            var sets = reads.submit(() -> c.apps().statefulSets().inAnyNamespace().list().getItems());
            var pvcs = reads.submit(() -> c.persistentVolumeClaims().inAnyNamespace().list().getItems());
            var pvs = reads.submit(() -> c.persistentVolumes().list().getItems());
            var brokers = reads.submit(() -> k8s.crsInAnyNamespace(RocketMqKind.BROKER));
            var controllers = reads.submit(() -> k8s.crsInAnyNamespace(RocketMqKind.CONTROLLER));
            return new ClusterObjects(get(nodes), get(pods), get(sets), get(pvcs), get(pvs), get(brokers), get(controllers));
        }
    }

    /** The kinds read: one list request each. */
    private static final int KINDS = 7;

    /** The same objects restricted to one namespace (nodes and PVs are cluster-wide). */
    public ClusterObjects inNamespace(String namespace) {
        return new ClusterObjects(nodes,
                pods.stream().filter(p -> Objects.equals(p.getMetadata().getNamespace(), namespace)).toList(),
                statefulSets.stream().filter(s -> Objects.equals(s.getMetadata().getNamespace(), namespace)).toList(),
                pvcs.stream().filter(s -> Objects.equals(s.getMetadata().getNamespace(), namespace)).toList(),
                pvs,
                brokerCrs.stream().filter(s -> Objects.equals(s.getMetadata().getNamespace(), namespace)).toList(),
                controllerCrs.stream().filter(s -> Objects.equals(s.getMetadata().getNamespace(), namespace)).toList());
    }
}
