package io.crosszone.tasks.controllermode;

import io.crosszone.k8s.BrokerCr;
import io.crosszone.plan.OperatorNames;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What STATIC mode left of one Broker CR, chosen so that nothing else can be caught: an object
 * must carry (or, for a StatefulSet, select) {@code broker_cr=<this CR>} <em>and</em> have a
 * STATIC name of this CR: StatefulSet {@code <cr>-<g>-master} / {@code <cr>-<g>-replica-<n>},
 * pod {@code <that>-<ordinal>}, PVC {@code <claim template>-<that>-<ordinal>} for a claim
 * template of this CR or of one of its STATIC StatefulSets. CONTROLLER-mode names
 * ({@code <cr>-<g>-<i>}) never match. Pure.
 */
public record StaticLeftovers(List<StatefulSet> statefulSets, List<Pod> pods, List<PersistentVolumeClaim> pvcs) {

    public boolean isEmpty() {
        return statefulSets.isEmpty() && pods.isEmpty() && pvcs.isEmpty();
    }

    public static StaticLeftovers find(BrokerCr cr, List<StatefulSet> statefulSets, List<Pod> pods,
                                       List<PersistentVolumeClaim> pvcs) {
        String name = cr.name();
        List<StatefulSet> sts = statefulSets.stream()
                .filter(s -> selects(s, name) && OperatorNames.isStaticBrokerStatefulSet(name, s.getMetadata().getName()))
                .toList();
        Set<String> claimTemplates = new LinkedHashSet<>();
        if (cr.volumeClaimTemplateName() != null) {
            claimTemplates.add(cr.volumeClaimTemplateName());
        }
        for (StatefulSet s : sts) {
            if (s.getSpec().getVolumeClaimTemplates() != null) {
                s.getSpec().getVolumeClaimTemplates().forEach(t -> claimTemplates.add(t.getMetadata().getName()));
            }
        }
        List<Pod> staticPods = pods.stream()
                .filter(p -> labelled(p.getMetadata().getLabels(), name)
                        && isStaticPodName(name, p.getMetadata().getName()))
                .toList();
        List<PersistentVolumeClaim> staticClaims = pvcs.stream()
                .filter(c -> labelled(c.getMetadata().getLabels(), name)
                        && claimTemplates.stream().anyMatch(t -> isStaticClaimName(name, t, c.getMetadata().getName())))
                .toList();
        return new StaticLeftovers(sts, staticPods, staticClaims);
    }

    private static boolean selects(StatefulSet s, String cr) {
        return s.getSpec() != null && s.getSpec().getSelector() != null
                && labelled(s.getSpec().getSelector().getMatchLabels(), cr);
    }

    private static boolean labelled(Map<String, String> labels, String cr) {
        return labels != null && cr.equals(labels.get(OperatorNames.BROKER_CR_LABEL));
    }

    /** {@code <static sts>-<ordinal>}. */
    static boolean isStaticPodName(String cr, String pod) {
        int dash = pod.lastIndexOf('-');
        return dash > 0 && pod.substring(dash + 1).matches("\\d+")
                && OperatorNames.isStaticBrokerStatefulSet(cr, pod.substring(0, dash));
    }

    /** {@code <template>-<static sts>-<ordinal>}. */
    static boolean isStaticClaimName(String cr, String template, String claim) {
        return claim.startsWith(template + "-") && isStaticPodName(cr, claim.substring(template.length() + 1));
    }
}
