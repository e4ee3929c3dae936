package io.crosszone.plan;

import io.fabric8.kubernetes.api.model.Affinity;
import java.util.List;
import java.util.Map;

/**
 * Where one CONTROLLER-mode broker StatefulSet should run.
 *
 * @param zones         the zone preferences in order, the first being the planned zone
 * @param podLabels     labels the pod template must carry for {@code affinity} to work
 * @param plannedMaster the member planned into its group's master zone (replica 0, unless the
 *                      plan keeps a group where it runs: {@link PlacementPlan#keepingMembersWhereTheyRun})
 */
public record BrokerPlacement(String statefulSet, int group, int replica, List<ZonePreference> zones,
                              Affinity affinity, Map<String, String> podLabels, boolean plannedMaster) {

    public BrokerPlacement(String statefulSet, int group, int replica, List<ZonePreference> zones, Affinity affinity,
                           Map<String, String> podLabels) {
        this(statefulSet, group, replica, zones, affinity, podLabels, replica == 0);
    }

    public String plannedZone() {
        return zones.get(0).zone();
    }

    /** The planned master: the member in its group's master zone (replica 0 as first planned). */
    public boolean likelyMaster() {
        return plannedMaster;
    }
}
