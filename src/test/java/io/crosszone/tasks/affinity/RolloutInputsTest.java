package io.crosszone.tasks.affinity;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.config.ZoneSpec;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.plan.OperatorNames;
import io.crosszone.plan.PlacementPlan;
import io.crosszone.plan.PlacementPlanner;
import io.crosszone.plan.rollout.RolloutInput;
import io.crosszone.plan.rollout.RolloutPlan;
import io.crosszone.plan.rollout.RolloutPlanner;
import io.crosszone.plan.rollout.RolloutStep;
import io.crosszone.tasks.MasterFailBack;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The rollout planner's input as apply-affinity would read it from the mock API server (CRUD
 * mode): the runbook's six nodes full of brokers, plus a tainted and a NotReady node, and a
 * health view where one group's master cannot be told.
 */
@EnableKubernetesMockClient(crud = true)
class RolloutInputsTest {
    private static final String NS = "rocketmq";
    KubernetesClient client;

    private void node(String name, String zone, boolean ready, String taint) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).withLabels(Map.of("az", zone)).endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition().endStatus();
        if (taint != null) {
            b.withNewSpec().addNewTaint().withKey(taint).withValue("x").withEffect("NoSchedule").endTaint().endSpec();
        }
        client.nodes().resource(b.build()).create();
    }

    private void pod(String statefulSet, String node) {
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(OperatorNames.podOf(statefulSet))
                .withLabels(OperatorNames.brokerLabels("broker")).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("broker").withImage("b").endContainer().endSpec()
                .build()).create();
    }

    @Test
    void runbookClusterRead_fromTheApi_isPlannedAsASwap() {
        for (int i = 1; i <= 6; i++) {
            node(String.format("k8s-node-%02d", i), i <= 3 ? "az1" : "az2", true, null);
        }
        node("k8s-node-07", "az1", true, "dedicated");
        node("k8s-node-08", "az2", false, null);
        pod("broker-0-0", "k8s-node-01");
        pod("broker-0-1", "k8s-node-02");
        pod("broker-2-0", "k8s-node-03");
        pod("broker-1-0", "k8s-node-04");
        pod("broker-1-1", "k8s-node-05");
        pod("broker-2-1", "k8s-node-06");
        CrosszoneConfig config = new CrosszoneConfig();
        config.setZones(List.of(new ZoneSpec("az1", List.of()), new ZoneSpec("az2", List.of())));
        config.getBrokers().setGroups(3);
        config.getBrokers().setReplicasPerGroup(2);
        PlacementPlan plan = PlacementPlanner.plan(config);
        KubernetesGateway k8s = new KubernetesGateway(client);
        PodSpec template = new PodSpecBuilder().addNewToleration().withKey("other").withOperator("Exists").endToleration().build();
        Set<String> changes = Set.of("broker-0-0", "broker-0-1", "broker-1-0", "broker-1-1", "broker-2-0", "broker-2-1");

        RolloutInput in = RolloutInputs.read(k8s.nodes(), k8s.pods(NS, OperatorNames.brokerLabels("broker")), template, plan,
                "broker", "az", changes, new Health());

        assertThat(in.nodes()).filteredOn(RolloutInput.Node::schedulable).hasSize(6);
        assertThat(in.nodes()).filteredOn(n -> !n.schedulable()).extracting(RolloutInput.Node::unschedulableReason)
                .containsExactlyInAnyOrder("untolerated taint [dedicated:NoSchedule]", "NotReady");
        RolloutInput.Broker b00 = in.brokers().stream().filter(b -> b.name().equals("broker-0-0")).findFirst().orElseThrow();
        assertThat(b00).isEqualTo(new RolloutInput.Broker("broker-0-0", "broker-0", 0, "k8s-node-01", "az2", true, true, true, false));
        assertThat(in.brokers()).filteredOn(RolloutInput.Broker::master).extracting(RolloutInput.Broker::name)
                .containsExactlyInAnyOrder("broker-0-0", "broker-1-0"); // broker-2's master could not be told
        assertThat(in.brokers()).filteredOn(b -> !b.inSync()).extracting(RolloutInput.Broker::name).containsExactly("broker-1-1");

        RolloutPlan rollout = RolloutPlanner.plan(in);
        assertThat(rollout.refusals()).isEmpty();
        assertThat(rollout.steps()).filteredOn(RolloutStep::swap).singleElement()
                .satisfies(s -> assertThat(s.brokers()).containsExactlyInAnyOrder("broker-0-0", "broker-1-1"));
    }

    /** broker-0 and broker-1: replica 0 is master; broker-2: RocketMQ cannot tell; broker-1-1 out of the SyncStateSet. */
    private static final class Health implements MasterFailBack.Replicas {
        @Override
        public Optional<Integer> masterReplica(String group) throws Exception {
            if (group.equals("broker-2")) {
                throw new Exception("name server restarting");
            }
            return Optional.of(0);
        }

        @Override
        public Optional<Integer> listedMasterReplica(String group) {
            return Optional.of(0);
        }

        @Override
        public boolean inSyncAndAlive(String group, int replica) {
            return !(group.equals("broker-1") && replica == 1);
        }

        @Override
        public boolean fullyInSync(String group, int replicas) {
            return true;
        }

        @Override
        public void electReplica(String group, int replica) {
            throw new UnsupportedOperationException("the mapping only reads");
        }
    }
}
