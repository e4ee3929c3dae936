package io.crosszone.tasks.labelzones;

/**
 * One node of a zone and what labelling it means.
 *
 * @param currentZone the value of the zone label now, or null
 * @param change      true when the label must be written
 */
public record NodeAssignment(String node, String zone, String currentZone, boolean change, boolean schedulable,
                             String status) {
}
