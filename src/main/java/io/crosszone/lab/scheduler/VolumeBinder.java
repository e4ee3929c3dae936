package io.crosszone.lab.scheduler;

import io.crosszone.k8s.VolumeTopology;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Stands in for the volume side of kube-scheduler and for a dynamic provisioner with
 * {@code volumeBindingMode: WaitForFirstConsumer}: a pod's unbound claim is bound, once the pod is
 * scheduled, to a new PersistentVolume {@code pvc-<claim uid>} that is {@link LabStorage#ZONAL
 * zonal} (node affinity to the node's {@value #ZONE_KEY}, as a cloud's block storage) or
 * {@link LabStorage#NETWORK attachable anywhere}. A pod whose bound volume cannot be attached on a
 * node is not scheduled there ("volume node affinity conflict", kube-scheduler's words); a pod
 * whose claim does not exist is not scheduled at all. A claim that is deleted takes its volume with
 * it (reclaimPolicy Delete). Not modelled: capacity, access modes across pods, attach limits.
 */
final class VolumeBinder {
    /** The node label a zonal volume's node affinity names (set on the lab's nodes as a cloud provider does). */
    static final String ZONE_KEY = "topology.kubernetes.io/zone";
    static final String PROVISIONED_LABEL = "lab.crosszone.io/provisioned";

    private final KubernetesClient client;
    private final String namespace;
    private final LabStorage storage;

    VolumeBinder(KubernetesClient client, String namespace, LabStorage storage) {
        this.client = client;
        this.namespace = namespace;
        this.storage = storage;
    }

    /** One pass's view of the claims and volumes. */
    final class Snapshot {
        private final Map<String, PersistentVolumeClaim> claims = new HashMap<>();
        private final Map<String, PersistentVolume> volumes = new HashMap<>();

        Snapshot() {
            client.persistentVolumeClaims().inNamespace(namespace).list().getItems()
                    .forEach(c -> claims.put(c.getMetadata().getName(), c));
            client.persistentVolumes().list().getItems().forEach(v -> volumes.put(v.getMetadata().getName(), v));
        }

        /** Why no node can take the pod at all (a missing claim), or null. */
        String unschedulable(Pod pod) {
            for (String claim : VolumeTopology.claims(pod)) {
                if (!claims.containsKey(claim)) {
                    return "persistentvolumeclaim \"" + claim + "\" not found";
                }
            }
            return null;
        }

        /** Why this node cannot take the pod's volumes, or null. */
        String reject(Pod pod, Node node) {
            for (String claim : VolumeTopology.claims(pod)) {
                Optional<PersistentVolume> pv = boundVolume(claims.get(claim));
                if (pv.isPresent() && !VolumeTopology.attachable(pv.get(), node)) {
                    return "volume node affinity conflict (" + claim + " is on " + pv.get().getMetadata().getName() + ")";
                }
            }
            return null;
        }

        private Optional<PersistentVolume> boundVolume(PersistentVolumeClaim c) {
            String name = c == null || c.getSpec() == null ? null : c.getSpec().getVolumeName();
            return name == null ? Optional.empty() : Optional.ofNullable(volumes.get(name));
        }
    }

    Snapshot snapshot() {
        return new Snapshot();
    }

    /** Binds the pod's unbound claims to new volumes where {@code node} is; returns what it bound. */
    List<String> bind(Pod pod, Node node) {
        List<String> done = new ArrayList<>();
        for (String claim : VolumeTopology.claims(pod)) {
            PersistentVolumeClaim c = client.persistentVolumeClaims().inNamespace(namespace).withName(claim).get();
            if (c == null || (c.getSpec() != null && c.getSpec().getVolumeName() != null)) {
                continue;
            }
            String pvName = "pvc-" + c.getMetadata().getUid();
            client.persistentVolumes().resource(volume(pvName, c, node)).create();
            client.persistentVolumeClaims().inNamespace(namespace).withName(claim).edit(x -> {
                x.getSpec().setVolumeName(pvName);
                x.getMetadata().setAnnotations(new HashMap<>(x.getMetadata().getAnnotations() == null ? Map.of()
                        : x.getMetadata().getAnnotations()));
                x.getMetadata().getAnnotations().put("volume.kubernetes.io/selected-node", node.getMetadata().getName());
                if (x.getStatus() != null) {
                    x.getStatus().setPhase("Bound");
                }
                return x;
            });
            done.add(claim + "->" + pvName);
        }
        return done;
    }

    /** Deletes the volumes this binder made whose claim is gone (reclaimPolicy Delete); returns their names. */
    List<String> reclaim(Snapshot s) {
        List<String> gone = new ArrayList<>();
        for (PersistentVolume pv : s.volumes.values()) {
            if (pv.getMetadata().getLabels() == null || !pv.getMetadata().getLabels().containsKey(PROVISIONED_LABEL)
                    || pv.getSpec().getClaimRef() == null) {
                continue;
            }
            PersistentVolumeClaim c = s.claims.get(pv.getSpec().getClaimRef().getName());
            if (c == null || !c.getMetadata().getUid().equals(pv.getSpec().getClaimRef().getUid())) {
                client.persistentVolumes().withName(pv.getMetadata().getName()).delete();
                gone.add(pv.getMetadata().getName());
            }
        }
        return gone;
    }

    private PersistentVolume volume(String name, PersistentVolumeClaim c, Node node) {
        Quantity size = c.getSpec() != null && c.getSpec().getResources() != null && c.getSpec().getResources().getRequests() != null
                ? c.getSpec().getResources().getRequests().get("storage") : null;
        PersistentVolumeBuilder b = new PersistentVolumeBuilder()
                .withNewMetadata().withName(name).addToLabels(PROVISIONED_LABEL, storage.flag()).endMetadata()
                .withNewSpec()
                .withAccessModes(c.getSpec() == null || c.getSpec().getAccessModes() == null ? List.of("ReadWriteOnce")
                        : c.getSpec().getAccessModes())
                .addToCapacity("storage", size == null ? new Quantity("1Gi") : size)
                .withStorageClassName(c.getSpec() == null ? null : c.getSpec().getStorageClassName())
                .withPersistentVolumeReclaimPolicy("Delete")
                .withNewClaimRef().withNamespace(namespace).withName(c.getMetadata().getName())
                .withUid(c.getMetadata().getUid()).endClaimRef()
                .endSpec()
                .withNewStatus().withPhase("Bound").endStatus();
        if (storage == LabStorage.ZONAL) {
            Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
            String zone = labels.get(ZONE_KEY);
            // a node without a zone label: the disk is the node's own (a local volume)
            String key = zone != null ? ZONE_KEY : "kubernetes.io/hostname";
            String value = zone != null ? zone : node.getMetadata().getName();
            b.editSpec().withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression()
                    .withKey(key).withOperator("In").withValues(value).endMatchExpression().endNodeSelectorTerm()
                    .endRequired().endNodeAffinity().endSpec();
        }
        return b.build();
    }
}
