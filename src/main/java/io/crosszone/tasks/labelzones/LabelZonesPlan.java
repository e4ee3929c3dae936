package io.crosszone.tasks.labelzones;

import java.util.List;
import java.util.Map;

/**
 * What label-zones would do. With any error nothing may be written.
 *
 * @param schedulablePerZone schedulable nodes each zone will have
 * @param neededPerZone      nodes each zone needs for the placement plan; empty when the broker
 *                           shape is unknown
 */
public record LabelZonesPlan(List<NodeAssignment> assignments, Map<String, Integer> schedulablePerZone,
                             Map<String, Integer> neededPerZone, List<String> errors, List<String> warnings) {

    public List<NodeAssignment> changes() {
        return assignments.stream().filter(NodeAssignment::change).toList();
    }
}
