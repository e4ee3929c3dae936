package io.crosszone.lab.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.config.ZoneSeparation;
import io.crosszone.plan.BrokerPlacement;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class SchedulerDoubleTest {
    KubernetesClient client;

    @Test
    void bindsPendingPodsAndExplainsThoseThatFitNowhere() {
        for (Node n : PodPlacementTest.sixNodes()) {
            client.nodes().resource(n).create();
        }
        for (BrokerPlacement p : PodPlacementTest.runbookPlan(ZoneSeparation.REQUIRED).brokers()) {
            client.pods().inNamespace("rocketmq").resource(PodPlacementTest.brokerPod(p)).create();
        }
        List<String> log = new ArrayList<>();
        try (SchedulerDouble scheduler = new SchedulerDouble(client, "rocketmq", 3_600_000, log::add)) {
            List<String> bound = scheduler.schedulePending();
            assertThat(bound).hasSize(6);
            assertThat(client.pods().inNamespace("rocketmq").list().getItems())
                    .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isNotNull());
            assertThat(client.pods().inNamespace("rocketmq").withName("broker-0-0-0").get().getSpec().getNodeName())
                    .isIn("k8s-node-04", "k8s-node-05", "k8s-node-06");

            // az1 cordoned; broker-2-0 (az1) is deleted and recreated by its StatefulSet
            for (String n : List.of("k8s-node-01", "k8s-node-02", "k8s-node-03")) {
                client.nodes().withName(n).edit(x -> new NodeBuilder(x).editSpec().withUnschedulable(true).endSpec().build());
            }
            client.pods().inNamespace("rocketmq").withName("broker-2-0-0").delete();
            Pod again = PodPlacementTest.brokerPod(PodPlacementTest.runbookPlan(ZoneSeparation.REQUIRED).broker("broker-2-0").orElseThrow());
            client.pods().inNamespace("rocketmq").resource(again).create();
            assertThat(scheduler.schedulePending()).isEmpty();
            Pod pending = client.pods().inNamespace("rocketmq").withName("broker-2-0-0").get();
            assertThat(pending.getSpec().getNodeName()).isNull();
            assertThat(pending.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("PodScheduled");
                assertThat(c.getStatus()).isEqualTo("False");
                assertThat(c.getMessage()).contains("cordoned");
            });
        }
    }

    /** A zonal disk stays where its first pod was; network storage follows the pod; a new claim is bound anew. */
    @Test
    void aZonalVolumeKeepsItsPodInItsZone_aNetworkVolumeDoesNot_aNewClaimIsBoundWhereThePodLands() {
        for (Node n : PodPlacementTest.sixNodes()) {
            client.nodes().resource(new NodeBuilder(n).editMetadata()
                    .addToLabels("topology.kubernetes.io/zone", n.getMetadata().getLabels().get("az")).endMetadata().build()).create();
        }
        for (LabStorage storage : LabStorage.values()) {
            String ns = "s-" + storage.flag();
            client.persistentVolumeClaims().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                    .withNewMetadata().withName("data-ctl-0").withNamespace(ns).endMetadata()
                    .withNewSpec().withAccessModes("ReadWriteOnce").endSpec().build()).create();
            List<String> log = new ArrayList<>();
            try (SchedulerDouble scheduler = new SchedulerDouble(client, ns, 3_600_000, log::add, storage)) {
                client.pods().inNamespace(ns).resource(podWithClaim(ns)).create();
                assertThat(scheduler.schedulePending()).hasSize(1);
                String first = client.pods().inNamespace(ns).withName("ctl-0").get().getSpec().getNodeName();
                String volume = client.persistentVolumeClaims().inNamespace(ns).withName("data-ctl-0").get().getSpec().getVolumeName();
                var pv = client.persistentVolumes().withName(volume).get();
                assertThat(pv).as(log.toString()).isNotNull();
                assertThat(pv.getSpec().getNodeAffinity() != null).as("only a zonal volume has node affinity").isEqualTo(storage == LabStorage.ZONAL);

                // its zone is lost (cordoned) and the pod deleted: its StatefulSet makes it again
                String lostZone = Integer.parseInt(first.substring(first.length() - 2)) <= 3 ? "az1" : "az2";
                cordonZone(lostZone, true);
                client.pods().inNamespace(ns).withName("ctl-0").delete();
                client.pods().inNamespace(ns).resource(podWithClaim(ns)).create();
                scheduler.schedulePending();
                Pod again = client.pods().inNamespace(ns).withName("ctl-0").get();
                if (storage == LabStorage.ZONAL) {
                    assertThat(again.getSpec().getNodeName()).as("a zonal volume cannot follow it").isNull();
                    assertThat(again.getStatus().getConditions()).anySatisfy(c ->
                            assertThat(c.getMessage()).contains("volume node affinity conflict", "cordoned"));
                    // the claim replaced: the pod lands in the other zone, on a new volume there; the old one is reclaimed
                    client.persistentVolumeClaims().inNamespace(ns).withName("data-ctl-0").delete();
                    client.persistentVolumeClaims().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder()
                            .withNewMetadata().withName("data-ctl-0").withNamespace(ns).endMetadata()
                            .withNewSpec().withAccessModes("ReadWriteOnce").endSpec().build()).create();
                    assertThat(scheduler.schedulePending()).hasSize(1);
                    assertThat(client.persistentVolumes().withName(volume).get()).as("reclaimed with its claim").isNull();
                    assertThat(client.persistentVolumeClaims().inNamespace(ns).withName("data-ctl-0").get().getSpec().getVolumeName())
                            .isNotEqualTo(volume);
                } else {
                    assertThat(again.getSpec().getNodeName()).as("network storage follows the pod").isNotNull();
                }
                cordonZone(lostZone, false);
            }
        }
    }

    private void cordonZone(String zone, boolean cordoned) {
        for (Node n : client.nodes().list().getItems()) {
            if (zone.equals(n.getMetadata().getLabels().get("az"))) {
                client.nodes().withName(n.getMetadata().getName())
                        .edit(x -> new NodeBuilder(x).editSpec().withUnschedulable(cordoned).endSpec().build());
            }
        }
    }

    private static Pod podWithClaim(String ns) {
        return new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName("ctl-0").withNamespace(ns).endMetadata()
                .withNewSpec().addNewContainer().withName("controller").endContainer()
                .addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("data-ctl-0").endPersistentVolumeClaim()
                .endVolume().endSpec().build();
    }
}
