package io.crosszone.lab.operator;

import io.crosszone.k8s.K8sStatus;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stands in for Kubernetes' StatefulSet controller in the lab: a claim and a pod for each ordinal,
 * extra ordinals removed, and outdated pods replaced one at a time (highest ordinal first, only
 * while every other pod is Ready), as the real controller does for RollingUpdate.
 */
final class StatefulSetControllerDouble {
    private final KubernetesClient client;
    private final String namespace;

    StatefulSetControllerDouble(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** The StatefulSet controller: PVCs and pods for each ordinal, rolling replacement of outdated pods. */
    void reconcile(StatefulSet sts) {
        int replicas = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
        String hash = sts.getMetadata().getName() + "-" + StatefulSetPods.templateHash(sts);
        Map<String, Pod> pods = new HashMap<>();
        for (Pod p : client.pods().inNamespace(namespace).list().getItems()) {
            OwnerReference o = GarbageCollectorDouble.controllerOf(p);
            if (o != null && "StatefulSet".equals(o.getKind()) && o.getName().equals(sts.getMetadata().getName())) {
                pods.put(p.getMetadata().getName(), p);
            }
        }
        List<Pod> outdated = new ArrayList<>();
        for (int n = 0; n < replicas; n++) {
            for (PersistentVolumeClaim t : StatefulSetPods.claimTemplates(sts)) {
                String claim = StatefulSetPods.pvcName(t.getMetadata().getName(), sts, n);
                if (client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get() == null) {
                    client.persistentVolumeClaims().inNamespace(namespace).resource(StatefulSetPods.pvc(sts, t, n)).create();
                }
            }
            Pod pod = pods.get(StatefulSetPods.podName(sts, n));
            if (pod == null) {
                client.pods().inNamespace(namespace).resource(StatefulSetPods.pod(sts, n)).create();
            } else if (pod.getMetadata().getDeletionTimestamp() == null
                    && !hash.equals(pod.getMetadata().getLabels().get(StatefulSetPods.TEMPLATE_HASH))) {
                outdated.add(pod);
            }
        }
        for (Pod p : pods.values()) {
            if (ordinal(p) >= replicas) {
                client.pods().inNamespace(namespace).withName(p.getMetadata().getName()).delete();
            }
        }
        // rollingUpdate.partition: only ordinals at or above it are updated (not modelled: a deleted pod
        // below it comes back from the current template, where Kubernetes would use the old revision)
        int partition = partition(sts);
        outdated.removeIf(p -> ordinal(p) < partition);
        if (!outdated.isEmpty() && "RollingUpdate".equals(updateStrategy(sts))) {
            // highest ordinal first, and only when every other pod is Ready, as the real controller does
            outdated.sort((a, b) -> Integer.compare(ordinal(b), ordinal(a)));
            Pod next = outdated.get(0);
            boolean othersReady = pods.values().stream()
                    .filter(p -> p != next && ordinal(p) < replicas).allMatch(K8sStatus::podReady);
            if (othersReady) {
                client.pods().inNamespace(namespace).withName(next.getMetadata().getName()).delete();
            }
        }
    }

    private static String updateStrategy(StatefulSet sts) {
        return sts.getSpec().getUpdateStrategy() == null || sts.getSpec().getUpdateStrategy().getType() == null
                ? "RollingUpdate" : sts.getSpec().getUpdateStrategy().getType();
    }

    private static int partition(StatefulSet sts) {
        var strategy = sts.getSpec().getUpdateStrategy();
        if (strategy == null || strategy.getRollingUpdate() == null || strategy.getRollingUpdate().getPartition() == null) {
            return 0;
        }
        return strategy.getRollingUpdate().getPartition();
    }

    private static int ordinal(Pod p) {
        String name = p.getMetadata().getName();
        try {
            return Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

}
