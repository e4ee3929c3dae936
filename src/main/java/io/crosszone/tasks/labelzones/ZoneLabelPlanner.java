package io.crosszone.tasks.labelzones;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.config.ZoneSeparation;
import io.crosszone.config.ZoneSpec;
import io.crosszone.plan.BrokerPlacement;
import io.crosszone.plan.PlacementPlanner;
import io.crosszone.tasks.BrokerShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Decides which node gets which zone label, and refuses a plan that would leave the cluster
 * wrong. Pure: nodes in, plan out.
 */
public final class ZoneLabelPlanner {
    private ZoneLabelPlanner() {
    }

    public static LabelZonesPlan plan(CrosszoneConfig config, List<NodeInfo> nodes, boolean overwrite,
                                      Optional<BrokerShape> shape) {
        String key = config.getZoneLabelKey();
        Map<String, NodeInfo> byName = nodes.stream().collect(Collectors.toMap(NodeInfo::name, Function.identity(),
                (a, b) -> a, LinkedHashMap::new));
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Map<String, String> zoneOf = new LinkedHashMap<>();
        List<NodeAssignment> assignments = new ArrayList<>();
        Map<String, Integer> schedulable = new LinkedHashMap<>();

        for (ZoneSpec zone : config.getZones()) {
            List<String> members = new ArrayList<>();
            if (zone.selectsBySelector()) {
                for (NodeInfo n : nodes) {
                    if (n.labels().entrySet().containsAll(zone.getNodeSelector().entrySet())) {
                        members.add(n.name());
                    }
                }
                if (members.isEmpty()) {
                    errors.add("zone '" + zone.getName() + "': no node carries " + zone.getNodeSelector());
                }
            } else {
                for (String name : zone.getNodes()) {
                    if (byName.containsKey(name)) {
                        members.add(name);
                    } else {
                        errors.add("node '" + name + "' of zone '" + zone.getName() + "' does not exist in the cluster");
                    }
                }
            }
            int count = 0;
            for (String name : members) {
                String other = zoneOf.putIfAbsent(name, zone.getName());
                if (other != null) {
                    errors.add("node '" + name + "' is in two zones, '" + other + "' and '" + zone.getName()
                            + "': a node belongs to one data centre");
                    continue;
                }
                NodeInfo n = byName.get(name);
                String current = n.labels().get(key);
                if (current != null && !current.equals(zone.getName()) && !overwrite) {
                    errors.add("node '" + name + "' is already labelled " + key + "=" + current + ", not "
                            + zone.getName() + ": pass --overwrite to relabel it");
                }
                if (!n.schedulable()) {
                    warnings.add("node '" + name + "' of zone '" + zone.getName() + "' is " + n.status()
                            + ": counted as unschedulable");
                } else {
                    count++;
                }
                assignments.add(new NodeAssignment(name, zone.getName(), current, !zone.getName().equals(current),
                        n.schedulable(), n.status()));
            }
            schedulable.put(zone.getName(), count);
        }

        for (NodeInfo n : nodes) {
            String value = n.labels().get(key);
            if (value != null && !zoneOf.containsKey(n.name()) && config.zoneNames().contains(value)) {
                warnings.add("node '" + n.name() + "' carries " + key + "=" + value + " but is not in the configuration:"
                        + " brokers of that zone may be scheduled on it");
            }
        }

        Map<String, Integer> needed = new LinkedHashMap<>();
        if (shape.isEmpty()) {
            warnings.add("the broker shape is unknown (no Broker CR, no --groups/--replicas-per-group):"
                    + " the number of nodes per zone was not checked");
        } else {
            checkCapacity(config, shape.get(), schedulable, needed, errors, warnings);
        }
        return new LabelZonesPlan(List.copyOf(assignments), schedulable, needed, List.copyOf(errors), List.copyOf(warnings));
    }

    /**
     * Every broker has a required anti-affinity on the hostname. With strict separation the
     * members of a group must be in different zones, so each zone needs a node per broker planned
     * into it; with preferred separation only the total has to suffice.
     */
    private static void checkCapacity(CrosszoneConfig config, BrokerShape shape, Map<String, Integer> schedulable,
                                      Map<String, Integer> needed, List<String> errors, List<String> warnings) {
        CrosszoneConfig planned = shape.applyTo(copyZonesAndKeys(config));
        for (String z : config.zoneNames()) {
            needed.put(z, 0);
        }
        for (BrokerPlacement b : PlacementPlanner.plan(planned).brokers()) {
            needed.merge(b.plannedZone(), 1, Integer::sum);
        }
        boolean strict = config.getBrokers().getZoneSeparation() == ZoneSeparation.REQUIRED;
        if (strict) {
            for (String z : config.zoneNames()) {
                int have = schedulable.getOrDefault(z, 0);
                if (have < needed.get(z)) {
                    errors.add("zone '" + z + "' has " + have + " schedulable node(s) but " + needed.get(z)
                            + " broker StatefulSets are planned into it (" + shape.groups() + " groups x "
                            + shape.brokersPerGroup() + " from the " + shape.source()
                            + "): add nodes, uncordon them, or use --zone-separation preferred");
                }
            }
        } else {
            int have = schedulable.values().stream().mapToInt(Integer::intValue).sum();
            int total = shape.groups() * shape.brokersPerGroup();
            if (have < total) {
                warnings.add("the zones have " + have + " schedulable nodes for " + total
                        + " brokers that each need their own node: some brokers will stay Pending");
            }
        }
    }

    private static CrosszoneConfig copyZonesAndKeys(CrosszoneConfig c) {
        CrosszoneConfig copy = new CrosszoneConfig();
        copy.setZones(c.getZones());
        copy.setZoneLabelKey(c.getZoneLabelKey());
        copy.setResources(c.getResources());
        copy.getBrokers().setZoneSeparation(c.getBrokers().getZoneSeparation());
        copy.getController().setZone(c.getController().getZone());
        return copy;
    }
}
