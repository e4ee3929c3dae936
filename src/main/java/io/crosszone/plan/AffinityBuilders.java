package io.crosszone.plan;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTermBuilder;
import java.util.List;
import java.util.Map;

/** Small builders for the affinity shapes this project uses; fabric8 objects, no I/O. */
final class AffinityBuilders {
    private AffinityBuilders() {
    }

    static List<PreferredSchedulingTerm> zonePreferences(String zoneKey, List<ZonePreference> prefs) {
        return prefs.stream().map(p -> new PreferredSchedulingTermBuilder()
                .withWeight(p.weight())
                .withNewPreference()
                .withMatchExpressions(new NodeSelectorRequirementBuilder()
                        .withKey(zoneKey).withOperator("In").withValues(p.zone()).build())
                .endPreference()
                .build()).toList();
    }

    static PodAffinityTerm antiAffinityTerm(Map<String, String> matchLabels, String topologyKey) {
        return new PodAffinityTermBuilder()
                .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(matchLabels).build())
                .withTopologyKey(topologyKey)
                .build();
    }

    static Affinity affinity(List<PreferredSchedulingTerm> preferred, List<PodAffinityTerm> requiredAnti) {
        AffinityBuilder b = new AffinityBuilder();
        if (!preferred.isEmpty()) {
            b.withNewNodeAffinity().withPreferredDuringSchedulingIgnoredDuringExecution(preferred).endNodeAffinity();
        }
        if (!requiredAnti.isEmpty()) {
            b.withNewPodAntiAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(requiredAnti)
                    .endPodAntiAffinity();
        }
        return b.build();
    }
}
