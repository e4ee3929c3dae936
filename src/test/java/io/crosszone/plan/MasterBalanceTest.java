package io.crosszone.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MasterBalanceTest {
    private static final List<String> ZONES = List.of("az1", "az2");

    @Test
    void mastersSplitAcrossZonesPass_allInOneZoneAnImbalanceOrAnUnknownZoneFail() {
        assertThat(MasterBalance.problem(Map.of(0, "az2", 1, "az2", 2, "az1"), ZONES, 3)).isNull();
        assertThat(MasterBalance.counts(Map.of(0, "az2", 1, "az2", 2, "az1"), ZONES)).isEqualTo("az1=1 az2=2");
        assertThat(MasterBalance.problem(Map.of(0, "az2", 1, "az2", 2, "az2"), ZONES, 3))
                .contains("all masters are in one zone", "az1=0 az2=3");
        assertThat(MasterBalance.problem(Map.of(0, "az1", 1, "az1", 2, "az1", 3, "az2"), ZONES, 4)).contains("az1=3 az2=1");
        Map<Integer, String> unknown = new HashMap<>(Map.of(0, "az1"));
        unknown.put(1, null);
        assertThat(MasterBalance.problem(unknown, ZONES, 2)).contains("no known zone");
        assertThat(MasterBalance.problem(Map.of(0, "az1"), ZONES, 1)).as("one group: one zone").isNull();
    }
}
