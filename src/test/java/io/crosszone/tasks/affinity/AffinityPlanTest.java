package io.crosszone.tasks.affinity;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.config.ZoneSeparation;
import io.crosszone.config.ZoneSpec;
import io.crosszone.core.Json;
import io.crosszone.core.JsonMaps;
import io.crosszone.k8s.BrokerCr;
import io.crosszone.plan.BrokerPlacement;
import io.crosszone.plan.PlacementPlan;
import io.crosszone.plan.PlacementPlanner;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure parts: what differs, the JSON patch operations, the hold, the order, the diff text. */
class AffinityPlanTest {

    static PlacementPlan plan() {
        CrosszoneConfig c = new CrosszoneConfig();
        ZoneSpec a = new ZoneSpec();
        a.setName("az1");
        ZoneSpec b = new ZoneSpec();
        b.setName("az2");
        c.setZones(List.of(a, b));
        c.getBrokers().setGroups(3);
        c.getBrokers().setReplicasPerGroup(2);
        c.getBrokers().setZoneSeparation(ZoneSeparation.REQUIRED);
        return PlacementPlanner.plan(c);
    }

    static StatefulSet sts(String name, Affinity affinity, Map<String, String> extraLabels) {
        Map<String, String> labels = new LinkedHashMap<>(Map.of("app", "broker", "broker_cr", "broker"));
        labels.putAll(extraLabels);
        return new StatefulSetBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(1).withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().withAffinity(affinity).endSpec().endTemplate().endSpec().build();
    }

    static GenericKubernetesResource cr(String kind, String name, Object affinity) {
        Map<String, Object> spec = new LinkedHashMap<>(Map.of("size", 3, "replicaPerGroup", 1, "clusterMode", "CONTROLLER"));
        if (affinity != null) {
            // as read back from the API: plain maps, numbers as Integer
            spec.put("affinity", Json.MAPPER.convertValue(affinity, Map.class));
        }
        return new GenericKubernetesResourceBuilder().withApiVersion("rocketmq.apache.org/v1alpha1").withKind(kind)
                .withNewMetadata().withName(name).endMetadata().addToAdditionalProperties("spec", spec).build();
    }

    static ObservedState state(PlacementPlan p, boolean placed) {
        Map<String, StatefulSet> brokers = new LinkedHashMap<>();
        for (BrokerPlacement b : p.brokers()) {
            brokers.put(b.statefulSet(), placed ? sts(b.statefulSet(), b.affinity(), b.podLabels())
                    : sts(b.statefulSet(), null, Map.of()));
        }
        return new ObservedState(new BrokerCr(cr("Broker", "broker", placed ? p.brokerCommon() : null)),
                cr("NameService", "namesrv", placed ? p.nameServer() : null),
                cr("Controller", "controller", placed ? p.controller() : null), brokers,
                sts("namesrv", placed ? p.nameServer() : null, Map.of()),
                sts("controller", placed ? p.controller() : null, Map.of()), java.util.Set.of());
    }

    /** A broker StatefulSet as the operator makes it: NAMESRV_ADDR second in its container's env. */
    static StatefulSet withNameServers(StatefulSet sts, String nameServers) {
        return new StatefulSetBuilder(sts).editSpec().editTemplate().editSpec().addNewContainer().withName("broker")
                .addNewEnv().withName("BROKER_ID").withValue("0").endEnv()
                .addNewEnv().withName("NAMESRV_ADDR").withValue(nameServers).endEnv().endContainer()
                .endSpec().endTemplate().endSpec().build();
    }

    @Test
    void aBrokerWhoseNameServersMovedGetsTheRunningOnes_andOnlyWhenEveryNameServerRuns() {
        PlacementPlan p = plan();
        BrokerPlacement b = p.broker("broker-0-1").orElseThrow();
        StatefulSet placed = withNameServers(sts("broker-0-1", b.affinity(), b.podLabels()), "10.0.0.1:9876;10.0.0.2:9876");
        java.util.Set<String> running = java.util.Set.of("10.0.0.9:9876", "10.0.0.1:9876");

        ObjectChange c = AffinityPlan.statefulSet(ObjectChange.Target.BROKER_STATEFULSET, placed, b.affinity(), b.podLabels(), b,
                running);
        assertThat(c.changes()).isTrue();
        assertThat(c.placementChanges()).isFalse();
        assertThat(c.patch()).containsExactly(Map.of("op", "add", "path", "/spec/template/spec/containers/0/env/1/value",
                "value", "10.0.0.1:9876;10.0.0.9:9876"));
        assertThat(TextDiff.diff(c.before(), c.after())).contains("- NAMESRV_ADDR: 10.0.0.1:9876;10.0.0.2:9876",
                "+ NAMESRV_ADDR: 10.0.0.1:9876;10.0.0.9:9876");
        assertThat(AffinityReport.summary(c)).isEqualTo("NAMESRV_ADDR 10.0.0.1:9876;10.0.0.2:9876 -> 10.0.0.1:9876;10.0.0.9:9876"
                + " (planned zone az1)");

        // the same addresses in another order: nothing to write
        assertThat(AffinityPlan.statefulSet(ObjectChange.Target.BROKER_STATEFULSET,
                withNameServers(sts("broker-0-1", b.affinity(), b.podLabels()), "10.0.0.9:9876;10.0.0.1:9876"),
                b.affinity(), b.podLabels(), b, running).changes()).isFalse();
        // not every name server runs (ObservedState then carries none): the template is left alone
        assertThat(AffinityPlan.statefulSet(ObjectChange.Target.BROKER_STATEFULSET, placed, b.affinity(), b.podLabels(), b,
                java.util.Set.of()).changes()).isFalse();
    }

    @Test
    void aPlacedDeploymentNeedsNothing_evenReadBackAsPlainMaps() {
        PlacementPlan p = plan();
        // the CRs' affinities are plain maps with Integer weights, as the API returns them
        assertThat(AffinityPlan.plan(p, state(p, true))).hasSize(11).noneMatch(ObjectChange::changes).noneMatch(ObjectChange::held);
    }

    @Test
    void anUnplacedDeploymentGetsOneAddPerAffinityAndTheGroupLabel() {
        PlacementPlan p = plan();
        List<ObjectChange> changes = AffinityPlan.plan(p, state(p, false));
        assertThat(changes).allMatch(ObjectChange::changes);
        assertThat(changes).extracting(ObjectChange::target).containsExactly(ObjectChange.Target.NAME_SERVICE_CR,
                ObjectChange.Target.NAME_SERVICE_STATEFULSET, ObjectChange.Target.CONTROLLER_CR,
                ObjectChange.Target.CONTROLLER_STATEFULSET, ObjectChange.Target.BROKER_STATEFULSET,
                ObjectChange.Target.BROKER_STATEFULSET, ObjectChange.Target.BROKER_STATEFULSET,
                ObjectChange.Target.BROKER_STATEFULSET, ObjectChange.Target.BROKER_STATEFULSET,
                ObjectChange.Target.BROKER_STATEFULSET, ObjectChange.Target.BROKER_CR);
        ObjectChange b11 = changes.stream().filter(c -> c.name().equals("broker-1-1")).findFirst().orElseThrow();
        assertThat(b11.patch()).extracting(op -> op.get("path")).containsExactly(
                "/spec/template/metadata/labels/crosszone.io~1broker-group", "/spec/template/spec/affinity");
        assertThat(b11.patch().get(0)).containsEntry("op", "add").containsEntry("value", "broker-1");
        assertThat(JsonMaps.same(b11.patch().get(1).get("value"), p.broker("broker-1-1").orElseThrow().affinity())).isTrue();
        ObjectChange brokerCr = changes.get(10);
        assertThat(brokerCr.patch()).extracting(op -> op.get("path")).containsExactly("/spec/affinity");
        assertThat(JsonMaps.same(brokerCr.patch().get(0).get("value"), p.brokerCommon())).isTrue();
    }

    @Test
    void aStatefulSetRecreatedFromTheBrokerCrGetsItsOwnAffinityBack() {
        PlacementPlan p = plan();
        BrokerPlacement b = p.broker("broker-2-1").orElseThrow();
        ObjectChange c = AffinityPlan.statefulSet(ObjectChange.Target.BROKER_STATEFULSET,
                sts("broker-2-1", p.brokerCommon(), Map.of()), b.affinity(), b.podLabels(), b);
        assertThat(c.changes()).isTrue();
        String diff = TextDiff.diff(c.before(), c.after());
        assertThat(diff).contains("+           - az2", "+   crosszone.io/broker-group: broker-2", "      topologyKey: kubernetes.io/hostname");
        assertThat(AffinityReport.summary(c)).isEqualTo("affinity, pod labels {crosszone.io/broker-group=broker-2} (planned zone az2)");
    }

    @Test
    void holdAndRelease() {
        PlacementPlan p = plan();
        BrokerPlacement b = p.broker("broker-0-0").orElseThrow();
        StatefulSet bare = sts("broker-0-0", null, Map.of());
        ObjectChange c = AffinityPlan.statefulSet(ObjectChange.Target.BROKER_STATEFULSET, bare, b.affinity(), b.podLabels(), b);
        List<Map<String, Object>> held = Holds.statefulSetPatch(c, bare, true, 1, false);
        assertThat(held).extracting(op -> op.get("path")).containsExactly("/metadata/annotations", "/spec/updateStrategy",
                "/spec/template/metadata/labels/crosszone.io~1broker-group", "/spec/template/spec/affinity");
        assertThat(held.get(0).get("value")).isEqualTo(Map.of(AffinityPlan.HELD_ANNOTATION, "true"));
        assertThat(Holds.statefulSetPatch(c, bare, false, 1, false)).isEqualTo(c.patch());
        assertThat(Holds.statefulSetPatch(c, bare, true, 1, true)).as("OnDelete needs no hold").isEqualTo(c.patch());

        StatefulSet placedAndHeld = new StatefulSetBuilder(sts("broker-0-0", b.affinity(), b.podLabels()))
                .editMetadata().addToAnnotations(AffinityPlan.HELD_ANNOTATION, "true").endMetadata().build();
        ObjectChange h = AffinityPlan.statefulSet(ObjectChange.Target.BROKER_STATEFULSET, placedAndHeld, b.affinity(), b.podLabels(), b);
        assertThat(h.changes()).isFalse();
        assertThat(h.held()).isTrue();
        assertThat(Holds.statefulSetPatch(h, placedAndHeld, true, 1, false)).as("still held: nothing to write").isEmpty();
        assertThat(Holds.statefulSetPatch(h, placedAndHeld, false, 1, false)).extracting(op -> op.get("value"))
                .containsExactly(Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("partition", 0)), "false");
    }
}
