package io.crosszone.tasks.labelzones;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.config.ZoneSeparation;
import io.crosszone.config.ZoneSpec;
import io.crosszone.tasks.BrokerShape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ZoneLabelPlannerTest {
    private static final Optional<BrokerShape> RUNBOOK = Optional.of(new BrokerShape(3, 2, "test"));

    private static CrosszoneConfig config(List<String> az1, List<String> az2) {
        CrosszoneConfig c = new CrosszoneConfig();
        c.setZones(List.of(new ZoneSpec("az1", az1), new ZoneSpec("az2", az2)));
        return c;
    }

    private static List<NodeInfo> nodes(int n) {
        List<NodeInfo> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(new NodeInfo(String.format("k8s-node-%02d", i), Map.of(), true, false));
        }
        return out;
    }

    private static NodeInfo withLabel(NodeInfo n, String k, String v) {
        Map<String, String> labels = new HashMap<>(n.labels());
        labels.put(k, v);
        return new NodeInfo(n.name(), labels, n.ready(), n.cordoned());
    }

    private static final CrosszoneConfig RUNBOOK_ZONES = config(List.of("k8s-node-01", "k8s-node-02", "k8s-node-03"),
            List.of("k8s-node-04", "k8s-node-05", "k8s-node-06"));

    @Test
    void theRunbookLabelsSixNodesAndNeedsThreePerZone() {
        LabelZonesPlan plan = ZoneLabelPlanner.plan(RUNBOOK_ZONES, nodes(6), false, RUNBOOK);
        assertThat(plan.errors()).isEmpty();
        assertThat(plan.changes()).extracting(NodeAssignment::node, NodeAssignment::zone).containsExactly(
                org.assertj.core.groups.Tuple.tuple("k8s-node-01", "az1"), org.assertj.core.groups.Tuple.tuple("k8s-node-02", "az1"),
                org.assertj.core.groups.Tuple.tuple("k8s-node-03", "az1"), org.assertj.core.groups.Tuple.tuple("k8s-node-04", "az2"),
                org.assertj.core.groups.Tuple.tuple("k8s-node-05", "az2"), org.assertj.core.groups.Tuple.tuple("k8s-node-06", "az2"));
        assertThat(plan.neededPerZone()).containsEntry("az1", 3).containsEntry("az2", 3);
    }

    @Test
    void nodesAlreadyLabelledAreNotChanges() {
        List<NodeInfo> nodes = new ArrayList<>(nodes(6));
        nodes.set(0, withLabel(nodes.get(0), "az", "az1"));
        LabelZonesPlan plan = ZoneLabelPlanner.plan(RUNBOOK_ZONES, nodes, false, RUNBOOK);
        assertThat(plan.changes()).extracting(NodeAssignment::node).doesNotContain("k8s-node-01").hasSize(5);
    }

    @Test
    void anUnknownNodeIsAnError() {
        CrosszoneConfig c = config(List.of("k8s-node-01", "k8s-node-02", "k8s-node-09"), List.of("k8s-node-04"));
        LabelZonesPlan plan = ZoneLabelPlanner.plan(c, nodes(6), false, Optional.empty());
        assertThat(plan.errors()).anyMatch(e -> e.contains("node 'k8s-node-09' of zone 'az1' does not exist"));
    }

    @Test
    void aNodeSelectedByTwoZonesIsAnError() {
        CrosszoneConfig c = new CrosszoneConfig();
        ZoneSpec a = new ZoneSpec("az1", List.of());
        a.setNodeSelector(Map.of("rack", "r1"));
        ZoneSpec b = new ZoneSpec("az2", List.of("k8s-node-01", "k8s-node-02"));
        c.setZones(List.of(a, b));
        List<NodeInfo> nodes = new ArrayList<>(nodes(3));
        nodes.set(0, withLabel(nodes.get(0), "rack", "r1"));
        LabelZonesPlan plan = ZoneLabelPlanner.plan(c, nodes, false, Optional.empty());
        assertThat(plan.errors()).anyMatch(e -> e.contains("node 'k8s-node-01' is in two zones, 'az1' and 'az2'"));
    }

    @Test
    void anotherZoneLabelIsRefusedUnlessOverwrite() {
        List<NodeInfo> nodes = new ArrayList<>(nodes(6));
        nodes.set(3, withLabel(nodes.get(3), "az", "az1"));
        assertThat(ZoneLabelPlanner.plan(RUNBOOK_ZONES, nodes, false, RUNBOOK).errors())
                .anyMatch(e -> e.contains("'k8s-node-04' is already labelled az=az1") && e.contains("--overwrite"));
        LabelZonesPlan overwrite = ZoneLabelPlanner.plan(RUNBOOK_ZONES, nodes, true, RUNBOOK);
        assertThat(overwrite.errors()).isEmpty();
        assertThat(overwrite.changes()).filteredOn(a -> a.node().equals("k8s-node-04"))
                .extracting(NodeAssignment::currentZone).containsExactly("az1");
    }

    @Test
    void cordonedAndNotReadyNodesAreReportedAndDoNotCount() {
        List<NodeInfo> nodes = new ArrayList<>(nodes(6));
        nodes.set(1, new NodeInfo("k8s-node-02", Map.of(), true, true));
        nodes.set(2, new NodeInfo("k8s-node-03", Map.of(), false, false));
        LabelZonesPlan plan = ZoneLabelPlanner.plan(RUNBOOK_ZONES, nodes, false, RUNBOOK);
        assertThat(plan.warnings()).anyMatch(w -> w.contains("k8s-node-02") && w.contains("SchedulingDisabled"))
                .anyMatch(w -> w.contains("k8s-node-03") && w.contains("NotReady"));
        assertThat(plan.schedulablePerZone()).containsEntry("az1", 1).containsEntry("az2", 3);
        assertThat(plan.errors()).anyMatch(e -> e.startsWith("zone 'az1' has 1 schedulable node(s) but 3 broker StatefulSets"));
    }

    @Test
    void preferredSeparationOnlyWarnsAboutTheTotal() {
        CrosszoneConfig c = config(List.of("k8s-node-01", "k8s-node-02"), List.of("k8s-node-03", "k8s-node-04"));
        c.getBrokers().setZoneSeparation(ZoneSeparation.PREFERRED);
        LabelZonesPlan plan = ZoneLabelPlanner.plan(c, nodes(4), false, RUNBOOK);
        assertThat(plan.errors()).isEmpty();
        assertThat(plan.warnings()).anyMatch(w -> w.contains("4 schedulable nodes for 6 brokers"));
    }

    @Test
    void aStrayNodeWithAZoneLabelIsWarnedAbout() {
        List<NodeInfo> nodes = new ArrayList<>(nodes(7));
        nodes.set(6, withLabel(nodes.get(6), "az", "az2"));
        LabelZonesPlan plan = ZoneLabelPlanner.plan(RUNBOOK_ZONES, nodes, false, RUNBOOK);
        assertThat(plan.warnings()).anyMatch(w -> w.contains("'k8s-node-07' carries az=az2 but is not in the configuration"));
    }

    @Test
    void anUnknownShapeSkipsTheCapacityCheckWithAWarning() {
        LabelZonesPlan plan = ZoneLabelPlanner.plan(RUNBOOK_ZONES, nodes(6), false, Optional.empty());
        assertThat(plan.neededPerZone()).isEmpty();
        assertThat(plan.warnings()).anyMatch(w -> w.contains("broker shape is unknown"));
    }
}
