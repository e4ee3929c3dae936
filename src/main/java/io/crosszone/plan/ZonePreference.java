package io.crosszone.plan;

/** One weighted preferred node-affinity term: schedule into {@code zone} with {@code weight}. */
public record ZonePreference(String zone, int weight) {
}
