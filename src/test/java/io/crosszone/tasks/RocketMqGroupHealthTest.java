package io.crosszone.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.plan.OperatorNames;
import io.crosszone.rocketmq.BrokerGroup;
import io.crosszone.rocketmq.BrokerMember;
import io.crosszone.rocketmq.ClusterView;
import io.crosszone.rocketmq.ControllerMetadata;
import io.crosszone.rocketmq.ElectionResult;
import io.crosszone.rocketmq.Replica;
import io.crosszone.rocketmq.RocketMqEndpoints;
import io.crosszone.rocketmq.RocketMqException;
import io.crosszone.rocketmq.RocketMqGateway;
import io.crosszone.rocketmq.SyncStateSet;
import io.crosszone.rocketmq.TopicComparison;
import io.crosszone.rocketmq.TopicSpec;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * How {@link RocketMqGroupHealth} turns RocketMQ's answers into the task's: endpoints from the
 * Ready pods' IPs (reopened when they change), the master's address matched to a broker pod, a full
 * SyncStateSet. RocketMQ here is a scripted {@link RocketMqGateway} (what it answers is set by the
 * test); the real protocol is the adapter's own tests' business and the lead's real-cluster test.
 */
@EnableKubernetesMockClient(crud = true)
class RocketMqGroupHealthTest {
    KubernetesClient client;

    private void pod(String name, Map<String, String> labels, String ip) {
        client.pods().inNamespace("rocketmq").resource(new PodBuilder().withNewMetadata().withName(name).withLabels(labels)
                .endMetadata().withNewSpec().endSpec().withNewStatus().withPhase("Running").withPodIP(ip)
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build()).create();
    }

    /** Answers what the test put in {@code syncStateSets} and {@code masters}; records the endpoints it was opened with. */
    static final class ScriptedGateway implements RocketMqGateway {
        final RocketMqEndpoints endpoints;
        final Map<String, SyncStateSet> syncStateSets;
        final Map<String, String> masters;
        boolean closed;

        ScriptedGateway(RocketMqEndpoints endpoints, Map<String, SyncStateSet> syncStateSets, Map<String, String> masters) {
            this.endpoints = endpoints;
            this.syncStateSets = syncStateSets;
            this.masters = masters;
        }

        @Override
        public Map<String, ClusterView> clusterViewPerNameServer() {
            return Map.of("127.0.0.1:9876", clusterView());
        }

        @Override
        public ClusterView clusterView() {
            Map<String, BrokerGroup> groups = new HashMap<>();
            masters.forEach((g, addr) -> groups.put(g, new BrokerGroup("broker", g, List.of(new BrokerMember(0, addr, "V5_1_4")))));
            return new ClusterView(groups);
        }

        @Override
        public Map<String, SyncStateSet> syncStateSets(Collection<String> groups) {
            Map<String, SyncStateSet> out = new HashMap<>();
            groups.forEach(g -> {
                if (syncStateSets.containsKey(g)) {
                    out.put(g, syncStateSets.get(g));
                }
            });
            return out;
        }

        @Override
        public ControllerMetadata controllerMetadata() {
            throw new UnsupportedOperationException();
        }

        /** Records the call; the controller's answer: that broker becomes master (in the SyncStateSet and clusterList). */
        final List<String> elections = new ArrayList<>();

        @Override
        public ElectionResult electMaster(String cluster, String group, Long brokerId) {
            elections.add(cluster + "/" + group + "/" + brokerId);
            SyncStateSet s = syncStateSets.get(group);
            String address = s.inSync().stream().filter(r -> r.brokerId() == brokerId).findFirst().orElseThrow().address();
            syncStateSets.put(group, new SyncStateSet(group, brokerId, address, s.masterEpoch() + 1, s.syncStateSetEpoch(),
                    s.inSync(), s.notInSync()));
            masters.put(group, address);
            return new ElectionResult(group, brokerId, address, s.masterEpoch() + 1, s.syncStateSetEpoch(), Map.of());
        }

        @Override
        public Properties brokerConfig(String brokerAddress) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> createTopicOnGroup(String group, TopicSpec topic) {
            throw new UnsupportedOperationException();
        }

        /** broker address -> the topics it holds */
        final Map<String, List<String>> topicsAt = new HashMap<>();

        @Override
        public Map<String, TopicSpec> topics(String brokerAddress) {
            List<String> names = topicsAt.get(brokerAddress);
            if (names == null) {
                throw new RocketMqException("no answer from " + brokerAddress);
            }
            Map<String, TopicSpec> out = new HashMap<>();
            names.forEach(n -> out.put(n, TopicSpec.of(n, 1)));
            return out;
        }

        @Override
        public TopicComparison compareTopics(String group) {
            throw new UnsupportedOperationException();
        }

        /** master address -> the client addresses of its replication connections */
        final Map<String, List<String>> replicationClients = new HashMap<>();

        @Override
        public List<String> replicationClients(String masterAddress) {
            return replicationClients.getOrDefault(masterAddress, List.of());
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void mastersByPodIp_fullSyncStateSets_andEndpointsFollowThePods() throws Exception {
        pod("namesrv-0", OperatorNames.nameServiceLabels("namesrv"), "10.0.0.1");
        pod("namesrv-1", OperatorNames.nameServiceLabels("namesrv"), "10.0.1.1");
        pod("controller-0", OperatorNames.controllerLabels("controller"), "10.0.0.9");
        pod("broker-1-0-0", OperatorNames.brokerLabels("broker"), "10.0.0.20");
        pod("broker-1-1-0", OperatorNames.brokerLabels("broker"), "10.0.1.21");
        Map<String, SyncStateSet> sss = new HashMap<>();
        sss.put("broker-1", new SyncStateSet("broker-1", 2L, "10.0.1.21:10911", 3, 5,
                List.of(new Replica(2, "10.0.1.21:10911", true), new Replica(1, "10.0.0.20:10911", true)), List.of()));
        sss.put("broker-2", new SyncStateSet("broker-2", 1L, "10.0.0.30:10911", 1, 2,
                List.of(new Replica(1, "10.0.0.30:10911", true)), List.of(new Replica(2, "10.0.1.31:10911", false))));
        List<ScriptedGateway> opened = new ArrayList<>();
        RocketMqGroupHealth h = new RocketMqGroupHealth(new KubernetesGateway(client),
                new GroupHealth.Target("rocketmq", "broker", "namesrv", "controller"), Duration.ofSeconds(1), e -> {
                    ScriptedGateway g = new ScriptedGateway(e, sss, Map.of("broker-0", "10.0.0.10:10911"));
                    opened.add(g);
                    return g;
                });

        assertThat(h.masterReplica("broker-1")).contains(1);
        assertThat(h.fullyInSync("broker-1", 2)).isTrue();
        assertThat(h.fullyInSync("broker-2", 2)).isFalse();
        assertThat(h.fullyInSync("broker-3", 2)).as("unknown to the controller").isFalse();
        assertThatThrownBy(() -> h.masterReplica("broker-0")).as("clusterList's master, no such pod")
                .isInstanceOf(RocketMqException.class).hasMessageContaining("10.0.0.10:10911");
        assertThat(opened).hasSize(1);
        assertThat(opened.get(0).endpoints.nameServers()).containsExactly("10.0.0.1:9876", "10.0.1.1:9876");
        assertThat(opened.get(0).endpoints.controllers()).containsExactly("10.0.0.9:9878");

        // a name server restarted with a new IP: a new client, the old one closed
        client.pods().inNamespace("rocketmq").withName("namesrv-1").delete();
        pod("namesrv-1b", OperatorNames.nameServiceLabels("namesrv"), "10.0.1.7");
        assertThat(h.fullyInSync("broker-1", 2)).isTrue();
        assertThat(opened).hasSize(2);
        assertThat(opened.get(0).closed).isTrue();
        assertThat(opened.get(1).endpoints.nameServers()).containsExactly("10.0.0.1:9876", "10.0.1.7:9876");
        h.close();
        assertThat(opened.get(1).closed).isTrue();
    }

    @Test
    void failBack_electsTheReplicaByItsControllerId_foundByPodIpInTheSyncStateSet() throws Exception {
        pod("namesrv-0", OperatorNames.nameServiceLabels("namesrv"), "10.0.0.1");
        pod("controller-0", OperatorNames.controllerLabels("controller"), "10.0.0.9");
        pod("broker-1-0-0", OperatorNames.brokerLabels("broker"), "10.0.0.20");
        pod("broker-1-1-0", OperatorNames.brokerLabels("broker"), "10.0.1.21");
        pod("broker-2-0-0", OperatorNames.brokerLabels("broker"), "10.0.0.30");
        pod("broker-2-1-0", OperatorNames.brokerLabels("broker"), "10.0.1.31");
        Map<String, SyncStateSet> sss = new HashMap<>();
        sss.put("broker-1", new SyncStateSet("broker-1", 2L, "10.0.1.21:10911", 3, 5,
                List.of(new Replica(2, "10.0.1.21:10911", true), new Replica(1, "10.0.0.20:10911", true)), List.of()));
        sss.put("broker-2", new SyncStateSet("broker-2", 2L, "10.0.1.31:10911", 1, 2,
                List.of(new Replica(2, "10.0.1.31:10911", true)), List.of(new Replica(1, "10.0.0.30:10911", false))));
        Map<String, String> masters = new HashMap<>(Map.of("broker-1", "10.0.1.21:10911", "broker-2", "10.0.1.31:10911"));
        List<ScriptedGateway> opened = new ArrayList<>();
        RocketMqGroupHealth h = new RocketMqGroupHealth(new KubernetesGateway(client),
                new GroupHealth.Target("rocketmq", "broker", "namesrv", "controller"), Duration.ofSeconds(1), e -> {
                    ScriptedGateway g = new ScriptedGateway(e, sss, masters);
                    opened.add(g);
                    return g;
                });

        assertThat(h.listedMasterReplica("broker-1")).contains(1);
        assertThat(h.inSyncAndAlive("broker-1", 0)).isTrue();
        assertThat(h.inSyncAndAlive("broker-2", 0)).as("not in the SyncStateSet").isFalse();
        assertThat(h.inSyncAndAlive("broker-2", 1)).isTrue();

        h.electReplica("broker-1", 0);
        assertThat(opened.get(0).elections).containsExactly("broker/broker-1/1");
        assertThat(h.masterReplica("broker-1")).contains(0);
        assertThat(h.listedMasterReplica("broker-1")).contains(0);
        assertThatThrownBy(() -> h.electReplica("broker-2", 0)).isInstanceOf(RocketMqException.class)
                .hasMessageContaining("not alive in its SyncStateSet");
        assertThat(opened.get(0).elections).hasSize(1);
        h.close();
    }

    /**
     * A slave outside the set is "not replicating" only when its master has fewer replication
     * connections than running slaves, and none from its IP; behind a shared source address (the
     * lab's zone networks: connections come from the zone's address, not the pod's) the count decides.
     */
    @Test
    void aSlaveOutsideTheSetIsStrayOnlyWhenTheMasterLacksAConnectionForIt() throws Exception {
        pod("namesrv-0", OperatorNames.nameServiceLabels("namesrv"), "10.0.0.1");
        pod("controller-0", OperatorNames.controllerLabels("controller"), "10.0.0.9");
        pod("broker-0-0-0", OperatorNames.brokerLabels("broker"), "10.0.0.20");
        pod("broker-0-1-0", OperatorNames.brokerLabels("broker"), "10.0.1.21");
        pod("broker-0-2-0", OperatorNames.brokerLabels("broker"), "10.0.2.22");
        Map<String, SyncStateSet> sss = new HashMap<>();
        sss.put("broker-0", new SyncStateSet("broker-0", 1L, "10.0.0.20:10911", 3, 5,
                List.of(new Replica(1, "10.0.0.20:10911", true), new Replica(2, "10.0.1.21:10911", true)),
                List.of(new Replica(3, "10.0.2.22:10911", true))));
        ScriptedGateway[] gw = {null};
        RocketMqGroupHealth h = new RocketMqGroupHealth(new KubernetesGateway(client),
                new GroupHealth.Target("rocketmq", "broker", "namesrv", "controller"), Duration.ofSeconds(1), e -> {
                    gw[0] = new ScriptedGateway(e, sss, new HashMap<>(Map.of("broker-0", "10.0.0.20:10911")));
                    return gw[0];
                });
        h.fullyInSync("broker-0", 3); // opens the gateway
        // both running slaves connected (from their zones' shared addresses): replica 2 is catching up
        gw[0].replicationClients.put("10.0.0.20:10911", List.of("10.0.1.3:40001", "10.0.2.3:40002"));
        assertThat(h.replicasNotReplicating("broker-0", 3)).isEmpty();
        // one connection for two running slaves, none from replica 2's IP: replica 2 replicates from elsewhere
        gw[0].replicationClients.put("10.0.0.20:10911", List.of("10.0.1.3:40001"));
        assertThat(h.replicasNotReplicating("broker-0", 3)).containsExactly(2);
        // pods with their own network: the connection from replica 2's IP says it is connected
        gw[0].replicationClients.put("10.0.0.20:10911", List.of("10.0.2.22:40002"));
        assertThat(h.replicasNotReplicating("broker-0", 3)).isEmpty();
        h.close();
    }

    /** Master and slaves as the controller has them: right after an election the name server may list no master. */
    @Test
    void topicsASlaveLacks_masterAndSlavesFromTheController() throws Exception {
        pod("namesrv-0", OperatorNames.nameServiceLabels("namesrv"), "10.0.0.1");
        pod("controller-0", OperatorNames.controllerLabels("controller"), "10.0.0.9");
        Map<String, SyncStateSet> sss = new HashMap<>();
        sss.put("broker-0", new SyncStateSet("broker-0", 1L, "10.0.0.20:10911", 3, 5,
                List.of(new Replica(1, "10.0.0.20:10911", true), new Replica(2, "10.0.1.21:10911", true),
                        new Replica(3, "10.0.2.22:10911", false)), List.of()));
        ScriptedGateway[] gw = {null};
        RocketMqGroupHealth h = new RocketMqGroupHealth(new KubernetesGateway(client),
                new GroupHealth.Target("rocketmq", "broker", "namesrv", "controller"), Duration.ofSeconds(1), e -> {
                    gw[0] = new ScriptedGateway(e, sss, new HashMap<>()); // the name server lists no master
                    return gw[0];
                });
        h.fullyInSync("broker-0", 3); // opens the gateway
        gw[0].topicsAt.put("10.0.0.20:10911", List.of("orders", "%RETRY%reader"));
        gw[0].topicsAt.put("10.0.1.21:10911", List.of("orders"));
        assertThat(h.topicsMissingOnSlaves("broker-0")).containsExactly("10.0.1.21:10911 lacks [%RETRY%reader]");
        gw[0].topicsAt.put("10.0.1.21:10911", List.of("orders", "%RETRY%reader"));
        assertThat(h.topicsMissingOnSlaves("broker-0")).as("the replica not alive is not asked").isEmpty();
        h.close();
    }
}
