package io.crosszone.plan;

import io.fabric8.kubernetes.api.model.Affinity;
import java.util.List;
import java.util.Map;

/**
 * Where one CONTROLLER-mode broker StatefulSet should run.
 *
 * @param zones      the zone preferences in order, the first being the planned zone
 * @param podLabels  labels the pod template must carry for {@code affinity} to work
 */
public record BrokerPlacement(String statefulSet, int group, int replica, List<ZonePreference> zones,
                              Affinity affinity, Map<String, String> podLabels) {

    public String plannedZone() {
        return zones.get(0).zone();
    }

    /** Index 0 of each group starts first and usually becomes the master. */
    public boolean likelyMaster() {
        return replica == 0;
    }
}
