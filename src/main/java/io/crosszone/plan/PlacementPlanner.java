package io.crosszone.plan;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.config.ZoneSeparation;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides where every broker StatefulSet, the name server and the controller should run. Pure:
 * the same configuration always gives the same plan, and nothing is read or written.
 *
 * <p>Masters: the groups are cut into one contiguous block per zone, the blocks as even as
 * possible, taken in reverse zone order; so with 3 groups over az1, az2 the masters of groups 0
 * and 1 go to az2 and that of group 2 to az1, the runbook's 1:2 split. The other replicas of a
 * group follow round the zones from the master's, so R ≤ Z replicas land in R distinct zones.
 */
public final class PlacementPlanner {
    /** The weight of the planned zone; each further zone is {@link #WEIGHT_STEP} lower (runbook: 100, 90). */
    public static final int FIRST_WEIGHT = 100;
    public static final int WEIGHT_STEP = 10;

    private PlacementPlanner() {
    }

    /** Plans a validated configuration whose broker shape is known. */
    public static PlacementPlan plan(CrosszoneConfig config) {
        int groups = config.getBrokers().getGroups();
        int replicas = config.getBrokers().getReplicasPerGroup();
        List<String> zones = config.zoneNames();
        String zoneKey = config.getZoneLabelKey();
        String brokerCr = config.getResources().getBroker();
        boolean strict = config.getBrokers().getZoneSeparation() == ZoneSeparation.REQUIRED;

        PodAffinityTerm hostnameSpread = AffinityBuilders.antiAffinityTerm(
                Map.of(OperatorNames.BROKER_CR_LABEL, brokerCr), OperatorNames.HOSTNAME_TOPOLOGY_KEY);

        List<BrokerPlacement> brokers = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            int masterZone = masterZoneIndex(g, groups, zones.size());
            String groupName = OperatorNames.brokerName(brokerCr, g);
            for (int i = 0; i < replicas; i++) {
                List<ZonePreference> prefs = preferences(zones, (masterZone + i) % zones.size());
                List<PodAffinityTerm> required = new ArrayList<>();
                required.add(hostnameSpread);
                Map<String, String> podLabels = new LinkedHashMap<>();
                if (strict) {
                    podLabels.put(OperatorNames.GROUP_LABEL, groupName);
                    required.add(AffinityBuilders.antiAffinityTerm(
                            Map.of(OperatorNames.GROUP_LABEL, groupName), zoneKey));
                }
                Affinity affinity = AffinityBuilders.affinity(
                        AffinityBuilders.zonePreferences(zoneKey, prefs), required);
                brokers.add(new BrokerPlacement(OperatorNames.brokerStatefulSet(brokerCr, g, i), g, i,
                        prefs, affinity, podLabels));
            }
        }

        Affinity brokerCommon = brokerCommon(config);
        Affinity nameServer = AffinityBuilders.affinity(List.of(), List.of(AffinityBuilders.antiAffinityTerm(
                Map.of(OperatorNames.NAME_SERVICE_CR_LABEL, config.getResources().getNameService()), zoneKey)));
        return new PlacementPlan(zones, List.copyOf(brokers), brokerCommon, nameServer, controller(config),
                config.controllerZone(), zones.size());
    }

    /** What every broker shares (the Broker CR's spec.affinity): one broker per node. */
    public static Affinity brokerCommon(CrosszoneConfig config) {
        return AffinityBuilders.affinity(List.of(), List.of(AffinityBuilders.antiAffinityTerm(
                Map.of(OperatorNames.BROKER_CR_LABEL, config.getResources().getBroker()), OperatorNames.HOSTNAME_TOPOLOGY_KEY)));
    }

    /** The controller's placement: its zone first, the others after (preferred, so that it can leave a lost zone). */
    public static Affinity controller(CrosszoneConfig config) {
        List<String> zones = config.zoneNames();
        return AffinityBuilders.affinity(AffinityBuilders.zonePreferences(config.getZoneLabelKey(),
                preferences(zones, zones.indexOf(config.controllerZone()))), List.of());
    }

    /** Zone index of group g's likely master: balanced contiguous blocks in reverse zone order. */
    static int masterZoneIndex(int group, int groups, int zones) {
        int block = (int) ((long) group * zones / groups);
        return zones - 1 - block;
    }

    /** The planned zone first, then the rest going round, weights 100, 90, 80 … (never below 1). */
    static List<ZonePreference> preferences(List<String> zones, int first) {
        List<ZonePreference> prefs = new ArrayList<>();
        for (int k = 0; k < zones.size(); k++) {
            int weight = Math.max(1, FIRST_WEIGHT - k * WEIGHT_STEP);
            prefs.add(new ZonePreference(zones.get((first + k) % zones.size()), weight));
        }
        return List.copyOf(prefs);
    }
}
