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
}
