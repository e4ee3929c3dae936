package io.crosszone.lab.operator;

import io.crosszone.core.Json;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the Kubernetes StatefulSet controller makes of a StatefulSet: pods {@code <sts>-<ordinal>}
 * from its template, owned by it, and PVCs {@code <template>-<sts>-<ordinal>} labelled with its
 * selector. Pure builders; {@link OperatorDouble} does the I/O. Pods start Pending with no node:
 * binding them is a scheduler's job and Ready/Running a kubelet's.
 */
public final class StatefulSetPods {
    /** The hash of the template a pod was made from: a changed template means the pod is outdated. */
    public static final String TEMPLATE_HASH = "controller-revision-hash";
    public static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";

    private StatefulSetPods() {
    }

    public static String podName(StatefulSet sts, int ordinal) {
        return sts.getMetadata().getName() + "-" + ordinal;
    }

    public static String pvcName(String template, StatefulSet sts, int ordinal) {
        return template + "-" + podName(sts, ordinal);
    }

    /** A short, stable hash of the pod template (the real controller keeps a ControllerRevision). */
    public static String templateHash(StatefulSet sts) {
        return Integer.toHexString(Json.write(sts.getSpec().getTemplate()).hashCode());
    }

    public static Pod pod(StatefulSet sts, int ordinal) {
        ObjectMeta tm = sts.getSpec().getTemplate().getMetadata();
        Map<String, String> labels = new LinkedHashMap<>(tm == null || tm.getLabels() == null ? Map.of() : tm.getLabels());
        labels.put(POD_NAME_LABEL, podName(sts, ordinal));
        labels.put(TEMPLATE_HASH, sts.getMetadata().getName() + "-" + templateHash(sts));
        PodSpec spec = Json.MAPPER.convertValue(sts.getSpec().getTemplate().getSpec(), PodSpec.class);
        spec.setHostname(podName(sts, ordinal));
        spec.setSubdomain(sts.getSpec().getServiceName());
        List<Volume> volumes = new ArrayList<>(spec.getVolumes() == null ? List.of() : spec.getVolumes());
        for (PersistentVolumeClaim t : claimTemplates(sts)) {
            String template = t.getMetadata().getName();
            volumes.add(new VolumeBuilder().withName(template).withNewPersistentVolumeClaim()
                    .withClaimName(pvcName(template, sts, ordinal)).endPersistentVolumeClaim().build());
        }
        spec.setVolumes(volumes);
        return new PodBuilder()
                .withNewMetadata().withName(podName(sts, ordinal)).withNamespace(sts.getMetadata().getNamespace())
                .withLabels(labels)
                .withAnnotations(tm == null ? null : tm.getAnnotations())
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("StatefulSet")
                        .withName(sts.getMetadata().getName()).withUid(sts.getMetadata().getUid())
                        .withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata()
                .withSpec(spec)
                .withNewStatus().withPhase("Pending").endStatus()
                .build();
    }

    public static List<PersistentVolumeClaim> claimTemplates(StatefulSet sts) {
        return sts.getSpec().getVolumeClaimTemplates() == null ? List.of() : sts.getSpec().getVolumeClaimTemplates();
    }

    /** The PVC of one claim template for one ordinal, Pending until a provisioner binds it. */
    public static PersistentVolumeClaim pvc(StatefulSet sts, PersistentVolumeClaim template, int ordinal) {
        Map<String, String> labels = sts.getSpec().getSelector() == null ? Map.of()
                : sts.getSpec().getSelector().getMatchLabels();
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(pvcName(template.getMetadata().getName(), sts, ordinal))
                .withNamespace(sts.getMetadata().getNamespace()).withLabels(labels).endMetadata()
                .withSpec(Json.MAPPER.convertValue(template.getSpec(), io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec.class))
                .withNewStatus().withPhase("Pending").endStatus()
                .build();
    }
}
