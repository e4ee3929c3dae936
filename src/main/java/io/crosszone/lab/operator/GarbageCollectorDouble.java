package io.crosszone.lab.operator;

import io.crosszone.k8s.RocketMqKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Stands in for Kubernetes' garbage collector in the lab: deletes the StatefulSets and Deployments
 * whose controlling RocketMQ CR is gone, and the pods whose controlling StatefulSet is gone or was
 * made again (another uid). Run by {@link OperatorDouble} on each pass.
 */
final class GarbageCollectorDouble {
    private final KubernetesClient client;
    private final String namespace;

    GarbageCollectorDouble(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** Background garbage collection of objects whose controlling owner is gone. */
    void collect() {
        Map<String, Set<String>> owners = new HashMap<>();
        for (RocketMqKind kind : RocketMqKind.values()) {
            owners.put(kind.kind(), client.genericKubernetesResources(kind.context()).inNamespace(namespace).list().getItems().stream().map(r -> r.getMetadata().getName()).collect(Collectors.toSet()));
        }
        List<StatefulSet> statefulSets = client.apps().statefulSets().inNamespace(namespace).list().getItems();
        for (StatefulSet sts : statefulSets) {
            OwnerReference o = controllerOf(sts);
            if (o != null && owners.containsKey(o.getKind()) && !owners.get(o.getKind()).contains(o.getName())) {
                client.apps().statefulSets().inNamespace(namespace).withName(sts.getMetadata().getName()).delete();
            }
        }
        for (Deployment d : client.apps().deployments().inNamespace(namespace).list().getItems()) {
            OwnerReference o = controllerOf(d);
            if (o != null && owners.containsKey(o.getKind()) && !owners.get(o.getKind()).contains(o.getName())) {
                client.apps().deployments().inNamespace(namespace).withName(d.getMetadata().getName()).delete();
            }
        }
        Map<String, String> stsUids = new HashMap<>();
        for (StatefulSet sts : client.apps().statefulSets().inNamespace(namespace).list().getItems()) {
            stsUids.put(sts.getMetadata().getName(), String.valueOf(sts.getMetadata().getUid()));
        }
        for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
            OwnerReference o = controllerOf(pod);
            if (o != null && "StatefulSet".equals(o.getKind())
                    && (!stsUids.containsKey(o.getName())
                        || (o.getUid() != null && !o.getUid().equals(stsUids.get(o.getName()))))) {
                client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).delete();
            }
        }
    }

    static OwnerReference controllerOf(HasMetadata o) {
        List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
        if (refs == null) {
            return null;
        }
        return refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst().orElse(null);
    }

}
