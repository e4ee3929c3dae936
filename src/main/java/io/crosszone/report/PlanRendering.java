package io.crosszone.report;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.plan.BrokerPlacement;
import io.crosszone.plan.PlacementPlan;
import io.crosszone.plan.ZoneLoss;
import io.crosszone.plan.ZonePreference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The placement plan and zone-loss analysis as JSON-ready maps and as readable text. */
public final class PlanRendering {
    private PlanRendering() {
    }

    public static List<Map<String, Object>> brokersJson(PlacementPlan plan) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (BrokerPlacement b : plan.brokers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("statefulSet", b.statefulSet());
            m.put("group", b.group());
            m.put("replica", b.replica());
            m.put("likelyMaster", b.likelyMaster());
            m.put("zones", b.zones());
            m.put("podLabels", b.podLabels());
            m.put("affinity", b.affinity());
            out.add(m);
        }
        return out;
    }

    public static Map<String, Object> nameServerJson(PlacementPlan plan, CrosszoneConfig config) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cr", config.getResources().getNameService());
        m.put("replicas", plan.nameServerReplicas());
        m.put("affinity", plan.nameServer());
        return m;
    }

    public static Map<String, Object> controllerJson(PlacementPlan plan, CrosszoneConfig config) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cr", config.getResources().getController());
        m.put("zone", plan.controllerZone());
        m.put("size", config.getController().getSize());
        m.put("affinity", plan.controller());
        return m;
    }

    public static Map<String, Long> masterCountJson(PlacementPlan plan) {
        Map<String, Long> m = new LinkedHashMap<>();
        List<Long> counts = plan.masterCountPerZone();
        for (int i = 0; i < plan.zones().size(); i++) {
            m.put(plan.zones().get(i), counts.get(i));
        }
        return m;
    }

    static String prefs(List<ZonePreference> prefs) {
        return prefs.stream().map(p -> p.zone() + "=" + p.weight()).collect(Collectors.joining(" "));
    }

    public static List<String> text(PlacementPlan plan, CrosszoneConfig config, List<ZoneLoss> zoneLoss) {
        List<String> lines = new ArrayList<>();
        int groups = config.getBrokers().getGroups();
        int replicas = config.getBrokers().getReplicasPerGroup();
        lines.add("Placement plan for Broker CR '" + config.getResources().getBroker() + "': " + groups
                + " groups x " + replicas + " replicas over " + String.join(", ", plan.zones())
                + " (zone label '" + config.getZoneLabelKey() + "', group separation "
                + config.getBrokers().getZoneSeparation().name().toLowerCase() + ")");
        lines.add("");
        TextTable t = new TextTable("STATEFULSET", "GROUP", "REPLICA", "PLANNED ROLE", "ZONE PREFERENCES (weight)");
        for (BrokerPlacement b : plan.brokers()) {
            t.row(b.statefulSet(), b.group(), b.replica(), b.likelyMaster() ? "master" : "slave", prefs(b.zones()));
        }
        lines.addAll(t.lines());
        lines.add("");
        lines.add("Masters per zone: " + masterCountJson(plan).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
        lines.add("Every broker: required pod anti-affinity on kubernetes.io/hostname against broker_cr="
                + config.getResources().getBroker());
        lines.add("Name server '" + config.getResources().getNameService() + "': " + plan.nameServerReplicas()
                + " replicas, required anti-affinity on '" + config.getZoneLabelKey() + "' (one per zone)");
        lines.add("Controller '" + config.getResources().getController() + "': " + config.getController().getSize()
                + " replica(s), preferred zone " + plan.controllerZone());
        lines.add("");
        lines.addAll(zoneLossText(zoneLoss));
        return lines;
    }

    public static List<String> zoneLossText(List<ZoneLoss> zoneLoss) {
        List<String> lines = new ArrayList<>();
        lines.add("If a zone goes offline:");
        TextTable t = new TextTable("ZONE LOST", "GROUPS LOSING MASTER", "GROUPS WITHOUT REPLICA", "NAME SERVER",
                "CONTROLLER", "RECOVERY");
        for (ZoneLoss z : zoneLoss) {
            t.row(z.zone(), z.groupsLosingMaster(), z.groupsWithoutReplica(),
                    z.nameServerSurvives() ? "survives" : "LOST", z.controllerSurvives() ? "survives" : "LOST",
                    z.automaticRecovery() ? "automatic" : "NEEDS ACTION");
        }
        lines.addAll(t.lines());
        for (ZoneLoss z : zoneLoss) {
            for (String a : z.actions()) {
                lines.add("  " + z.zone() + " lost: " + a);
            }
        }
        return lines;
    }
}
