package io.crosszone.plan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Whether the groups' masters are split across the zones: the rule behind verify-distribution's
 * masters-balanced check and apply-affinity's verdict after its fail-back. Pure.
 */
public final class MasterBalance {
    private MasterBalance() {
    }

    /** Masters per zone, in the given zone order; {@code masterZones} maps a group to its master's zone (null: unknown). */
    public static Map<String, Long> perZone(Map<Integer, String> masterZones, List<String> zones) {
        Map<String, Long> perZone = new LinkedHashMap<>();
        zones.forEach(z -> perZone.put(z, masterZones.values().stream().filter(z::equals).count()));
        return perZone;
    }

    /** "az1=1 az2=2". */
    public static String counts(Map<Integer, String> masterZones, List<String> zones) {
        return perZone(masterZones, zones).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    /**
     * Null when the masters are split: else why not (all in one zone with 2+ groups, zones differing
     * by more than one master, or a master whose zone is not known).
     */
    public static String problem(Map<Integer, String> masterZones, List<String> zones, int groups) {
        Map<String, Long> perZone = perZone(masterZones, zones);
        long max = perZone.values().stream().mapToLong(Long::longValue).max().orElse(0);
        long min = perZone.values().stream().mapToLong(Long::longValue).min().orElse(0);
        boolean allInOne = groups >= 2 && max == groups;
        boolean unknown = masterZones.values().stream().anyMatch(java.util.Objects::isNull);
        if (allInOne || max - min > 1 || unknown) {
            return "masters per zone " + counts(masterZones, zones) + (unknown ? "; some masters have no known zone" : "")
                    + (allInOne ? "; all masters are in one zone" : "");
        }
        return null;
    }
}
