package io.crosszone.lab.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.config.ZoneSeparation;
import io.crosszone.config.ZoneSpec;
import io.crosszone.plan.BrokerPlacement;
import io.crosszone.plan.PlacementPlan;
import io.crosszone.plan.PlacementPlanner;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodPlacementTest {

    static Node node(String name, String zone) {
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(Map.of("az", zone, "kubernetes.io/hostname", name))
                .endMetadata().withNewSpec().endSpec()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition()
                .withAllocatable(Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"))).endStatus().build();
    }

    static List<Node> sixNodes() {
        List<Node> nodes = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            nodes.add(node(String.format("k8s-node-%02d", i), i <= 3 ? "az1" : "az2"));
        }
        return nodes;
    }

    static Pod brokerPod(BrokerPlacement p) {
        Map<String, String> labels = new HashMap<>(p.podLabels());
        labels.put("app", "broker");
        labels.put("broker_cr", "broker");
        return new PodBuilder().withNewMetadata().withName(p.statefulSet() + "-0").withNamespace("rocketmq").withLabels(labels)
                .endMetadata().withNewSpec().withAffinity(p.affinity()).addNewContainer().withName("broker")
                .withNewResources().withRequests(Map.of("memory", new Quantity("2Gi"))).endResources().endContainer()
                .endSpec().build();
    }

    static PlacementPlan runbookPlan(ZoneSeparation separation) {
        CrosszoneConfig c = new CrosszoneConfig();
        c.setZones(List.of(new ZoneSpec("az1", List.of()), new ZoneSpec("az2", List.of())));
        c.getBrokers().setGroups(3);
        c.getBrokers().setReplicasPerGroup(2);
        c.getBrokers().setZoneSeparation(separation);
        return PlacementPlanner.plan(c);
    }

    static Pod bind(Pod pod, String node) {
        return new PodBuilder(pod).editSpec().withNodeName(node).endSpec().build();
    }

    @Test
    void thePlannedBrokersLandInTheirZonesOnDistinctNodes() {
        List<Node> nodes = sixNodes();
        List<Pod> bound = new ArrayList<>();
        Map<String, String> zoneOf = Map.of("k8s-node-01", "az1", "k8s-node-02", "az1", "k8s-node-03", "az1",
                "k8s-node-04", "az2", "k8s-node-05", "az2", "k8s-node-06", "az2");
        for (BrokerPlacement p : runbookPlan(ZoneSeparation.REQUIRED).brokers()) {
            PodPlacement.Decision d = PodPlacement.choose(brokerPod(p), nodes, bound);
            assertThat(d.scheduled()).as(d.reason()).isTrue();
            assertThat(zoneOf.get(d.node())).as(p.statefulSet()).isEqualTo(p.plannedZone());
            assertThat(bound).noneMatch(b -> b.getSpec().getNodeName().equals(d.node()));
            bound.add(bind(brokerPod(p), d.node()));
        }
    }

    @Test
    void aLostZoneKeepsTheReplacementPendingWithStrictSeparation() {
        List<Node> nodes = sixNodes();
        nodes.add(node("k8s-node-07", "az1")); // a free node in the surviving zone: only the zone rule stops it
        PlacementPlan plan = runbookPlan(ZoneSeparation.REQUIRED);
        List<Pod> bound = new ArrayList<>();
        for (BrokerPlacement p : plan.brokers()) {
            bound.add(bind(brokerPod(p), PodPlacement.choose(brokerPod(p), nodes, bound).node()));
        }
        // zone az2 goes: its nodes are cordoned, its pods deleted and recreated by their StatefulSets
        nodes.replaceAll(n -> n.getMetadata().getLabels().get("az").equals("az2")
                ? new NodeBuilder(n).editSpec().withUnschedulable(true).endSpec().build() : n);
        String lostNode = bound.stream().filter(b -> b.getMetadata().getName().equals("broker-0-0-0")).findFirst()
                .orElseThrow().getSpec().getNodeName();
        bound.removeIf(b -> b.getSpec().getNodeName().equals(lostNode));
        PodPlacement.Decision d = PodPlacement.choose(brokerPod(plan.broker("broker-0-0").orElseThrow()), nodes, bound);
        assertThat(d.scheduled()).isFalse();
        assertThat(d.reason()).contains("k8s-node-04: cordoned").contains("k8s-node-07: pod anti-affinity on az with broker-0-1-0");
    }

    @Test
    void preferredSeparationLetsItFallBackIntoTheSameZone() {
        List<Node> nodes = sixNodes();
        nodes.add(node("k8s-node-07", "az1"));
        PlacementPlan plan = runbookPlan(ZoneSeparation.PREFERRED);
        List<Pod> bound = new ArrayList<>();
        for (BrokerPlacement p : plan.brokers()) {
            bound.add(bind(brokerPod(p), PodPlacement.choose(brokerPod(p), nodes, bound).node()));
        }
        nodes.replaceAll(n -> n.getMetadata().getLabels().get("az").equals("az2")
                ? new NodeBuilder(n).editSpec().withUnschedulable(true).endSpec().build() : n);
        String lostNode = bound.stream().filter(b -> b.getMetadata().getName().equals("broker-0-0-0")).findFirst()
                .orElseThrow().getSpec().getNodeName();
        bound.removeIf(b -> b.getSpec().getNodeName().equals(lostNode));
        PodPlacement.Decision d = PodPlacement.choose(brokerPod(plan.broker("broker-0-0").orElseThrow()), nodes, bound);
        assertThat(d.node()).isEqualTo("k8s-node-07");
    }

    @Test
    void resourcesAndReadinessAndSelectors() {
        Node small = new NodeBuilder(node("small", "az1")).editStatus()
                .withAllocatable(Map.of("memory", new Quantity("1Gi"))).endStatus().build();
        Node notReady = new NodeBuilder(node("down", "az1")).editStatus().withConditions(List.of()).addNewCondition()
                .withType("Ready").withStatus("False").endCondition().endStatus().build();
        Pod pod = brokerPod(runbookPlan(ZoneSeparation.REQUIRED).brokers().get(0));
        PodPlacement.Decision d = PodPlacement.choose(pod, List.of(small, notReady), List.of());
        assertThat(d.reason()).contains("small: insufficient memory", "down: NotReady");
        Pod selective = new PodBuilder(pod).editSpec().withNodeSelector(Map.of("az", "az9")).endSpec().build();
        assertThat(PodPlacement.choose(selective, sixNodes(), List.of()).reason()).contains("does not match nodeSelector");
    }
}
