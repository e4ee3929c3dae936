package io.crosszone.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.config.ZoneSeparation;
import io.crosszone.config.ZoneSpec;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlacementPlannerTest {

    static CrosszoneConfig config(int groups, int replicas, int zones, ZoneSeparation separation) {
        CrosszoneConfig c = new CrosszoneConfig();
        List<ZoneSpec> zs = new ArrayList<>();
        for (int z = 1; z <= zones; z++) {
            zs.add(new ZoneSpec("az" + z, List.of()));
        }
        c.setZones(zs);
        c.getBrokers().setGroups(groups);
        c.getBrokers().setReplicasPerGroup(replicas);
        c.getBrokers().setZoneSeparation(separation);
        return c;
    }

    private static Map<String, Integer> weights(Affinity a) {
        Map<String, Integer> w = new java.util.LinkedHashMap<>();
        for (PreferredSchedulingTerm t : a.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()) {
            var expr = t.getPreference().getMatchExpressions().get(0);
            assertThat(expr.getKey()).isEqualTo("az");
            assertThat(expr.getOperator()).isEqualTo("In");
            w.put(expr.getValues().get(0), t.getWeight());
        }
        return w;
    }

    @Test
    void reproducesTheRunbookTable() {
        PlacementPlan plan = PlacementPlanner.plan(config(3, 2, 2, ZoneSeparation.PREFERRED));
        Map<String, Map<String, Integer>> expected = Map.of(
                "broker-0-0", Map.of("az2", 100, "az1", 90),
                "broker-1-0", Map.of("az2", 100, "az1", 90),
                "broker-2-1", Map.of("az2", 100, "az1", 90),
                "broker-0-1", Map.of("az1", 100, "az2", 90),
                "broker-1-1", Map.of("az1", 100, "az2", 90),
                "broker-2-0", Map.of("az1", 100, "az2", 90));
        assertThat(plan.brokers()).hasSize(6);
        for (BrokerPlacement b : plan.brokers()) {
            assertThat(weights(b.affinity())).as(b.statefulSet()).isEqualTo(expected.get(b.statefulSet()));
            // the first preference is the heavier one, in the order the runbook writes them
            assertThat(b.zones().get(0).weight()).isEqualTo(100);
            List<PodAffinityTerm> anti = b.affinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
            assertThat(anti).hasSize(1);
            assertThat(anti.get(0).getTopologyKey()).isEqualTo("kubernetes.io/hostname");
            assertThat(anti.get(0).getLabelSelector().getMatchLabels()).isEqualTo(Map.of("broker_cr", "broker"));
            assertThat(b.podLabels()).isEmpty();
        }
        assertThat(plan.masterCountPerZone()).containsExactly(1L, 2L);
    }

    @Test
    void strictSeparationAddsARequiredZoneAntiAffinityPerGroup() {
        PlacementPlan plan = PlacementPlanner.plan(config(3, 2, 2, ZoneSeparation.REQUIRED));
        BrokerPlacement b = plan.broker("broker-1-1").orElseThrow();
        assertThat(b.podLabels()).containsEntry(OperatorNames.GROUP_LABEL, "broker-1");
        List<PodAffinityTerm> anti = b.affinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        assertThat(anti).extracting(PodAffinityTerm::getTopologyKey).containsExactly("kubernetes.io/hostname", "az");
        assertThat(anti.get(1).getLabelSelector().getMatchLabels()).isEqualTo(Map.of(OperatorNames.GROUP_LABEL, "broker-1"));
        // the preferences are the runbook's in either mode
        assertThat(weights(b.affinity())).isEqualTo(Map.of("az1", 100, "az2", 90));
    }

    @Test
    void nameServerIsOnePerZoneAndControllerPrefersItsZone() {
        CrosszoneConfig c = config(3, 2, 2, ZoneSeparation.REQUIRED);
        PlacementPlan plan = PlacementPlanner.plan(c);
        PodAffinityTerm ns = plan.nameServer().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().get(0);
        assertThat(ns.getTopologyKey()).isEqualTo("az");
        assertThat(ns.getLabelSelector().getMatchLabels()).isEqualTo(Map.of("name_service_cr", "namesrv"));
        assertThat(plan.controllerZone()).isEqualTo("az2");
        assertThat(weights(plan.controller())).isEqualTo(Map.of("az2", 100, "az1", 90));

        c.getController().setZone("az1");
        assertThat(weights(PlacementPlanner.plan(c).controller())).isEqualTo(Map.of("az1", 100, "az2", 90));
    }

    @Test
    void holdsItsPropertiesOverManyShapes() {
        int shapes = 0;
        for (int zones = 2; zones <= 4; zones++) {
            for (int replicas = 1; replicas <= 3; replicas++) {
                for (int groups = 1; groups <= 12; groups++) {
                    for (ZoneSeparation sep : ZoneSeparation.values()) {
                        if (sep == ZoneSeparation.REQUIRED && replicas > zones) {
                            continue; // rejected by validation
                        }
                        checkShape(groups, replicas, zones, sep);
                        shapes++;
                    }
                }
            }
        }
        assertThat(shapes).isGreaterThan(150);
    }

    private static void checkShape(int groups, int replicas, int zones, ZoneSeparation sep) {
        String shape = groups + "x" + replicas + " over " + zones + " zones (" + sep + ")";
        PlacementPlan plan = PlacementPlanner.plan(config(groups, replicas, zones, sep));
        assertThat(plan.brokers()).as(shape).hasSize(groups * replicas);
        Set<String> names = new HashSet<>();
        for (int g = 0; g < groups; g++) {
            Map<String, Integer> perZone = new HashMap<>();
            for (int i = 0; i < replicas; i++) {
                BrokerPlacement b = plan.broker(g, i).orElseThrow();
                assertThat(names.add(b.statefulSet())).isTrue();
                assertThat(b.statefulSet()).isEqualTo("broker-" + g + "-" + i);
                perZone.merge(b.plannedZone(), 1, Integer::sum);
                // every zone appears once among the preferences, weights strictly decreasing
                assertThat(b.zones()).extracting(ZonePreference::zone).doesNotHaveDuplicates().hasSize(zones);
                for (int k = 1; k < b.zones().size(); k++) {
                    assertThat(b.zones().get(k).weight()).isLessThan(b.zones().get(k - 1).weight());
                }
                boolean hostname = b.affinity().getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                        .stream().anyMatch(t -> t.getTopologyKey().equals("kubernetes.io/hostname"));
                assertThat(hostname).as(shape + " " + b.statefulSet()).isTrue();
            }
            // as many distinct zones as possible: R <= Z gives R zones, R > Z uses every zone
            assertThat(perZone.size()).as(shape + " group " + g).isEqualTo(Math.min(replicas, zones));
            if (replicas <= zones) {
                assertThat(perZone.values()).as(shape).allMatch(n -> n == 1);
            }
        }
        List<Long> masters = plan.masterCountPerZone();
        long max = masters.stream().mapToLong(Long::longValue).max().orElseThrow();
        long min = masters.stream().mapToLong(Long::longValue).min().orElseThrow();
        assertThat(max - min).as(shape + " masters per zone " + masters).isLessThanOrEqualTo(1);
        if (groups >= 2) {
            assertThat(max).as(shape + ": never all masters in one zone").isLessThan(groups);
        }
    }
}
