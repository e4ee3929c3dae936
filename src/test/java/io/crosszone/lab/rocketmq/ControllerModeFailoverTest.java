package io.crosszone.lab.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.crosszone.rocketmq.BrokerGroup;
import io.crosszone.rocketmq.BrokerMember;
import io.crosszone.rocketmq.ClusterView;
import io.crosszone.rocketmq.ControllerMetadata;
import io.crosszone.rocketmq.ElectionResult;
import io.crosszone.rocketmq.SyncStateSet;
import io.crosszone.rocketmq.TopicComparison;
import io.crosszone.rocketmq.TopicSpec;
import io.crosszone.rocketmq.probe.MessageProbe;
import io.crosszone.rocketmq.probe.ProbeResult;
import io.crosszone.rocketmq.probe.ProbeSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One real cluster (1 name server, 1 controller, 3 groups × 2 brokers, the HA broker properties,
 * shorter failure-detection timers) shared by tests that each leave it healthy again. The controller
 * losing its data leaves a cluster that does not heal by itself: {@link ControllerDataLossTest}.
 */
@Tag("process") // starts processes (RocketMQ JVMs, a lab, podman): not in the fast run (README)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControllerModeFailoverTest {
    private static final Duration HEAL = Duration.ofSeconds(90);
    private static final BenchResults bench = new BenchResults("controller-mode-failover");
    @RegisterExtension
    static final RealCluster real = RealCluster.of(LocalRocketMqCluster.builder().clusterName("fo").groups(3)
            .replicasPerGroup(2).fastFailureDetection(true), Duration.ofSeconds(3), bench);

    @AfterEach
    void heal() {
        real.heal(HEAL);
    }

    @Test
    @Order(1)
    void healthyClusterIsSeenAsStarted() {
        ClusterView view = real.gateway().clusterView();
        assertThat(view.groups().keySet()).containsExactlyInAnyOrderElementsOf(real.cluster().groupNames());
        for (int g = 0; g < real.cluster().groupCount(); g++) {
            BrokerGroup group = view.group(real.cluster().groupName(g)).orElseThrow();
            assertThat(group.cluster()).isEqualTo("fo");
            assertThat(group.members()).hasSize(2);
            assertThat(group.members()).filteredOn(BrokerMember::isMaster).hasSize(1);
            assertThat(group.members()).extracting(BrokerMember::version).containsOnly("V5_1_4");
            List<String> started = real.cluster().brokers(g).stream().map(RocketMqProcess::endpoint).toList();
            assertThat(group.members()).extracting(BrokerMember::address).containsExactlyInAnyOrderElementsOf(started);
        }
        ControllerMetadata meta = real.gateway().controllerMetadata();
        assertThat(meta.hasLeader()).isTrue();
        assertThat(meta.leaderAddress()).isEqualTo(real.cluster().controller(0).endpoint());

        Map<String, SyncStateSet> sets = real.gateway().syncStateSets(real.cluster().groupNames());
        assertThat(sets).containsOnlyKeys(real.cluster().groupNames());
        sets.forEach((name, set) -> {
            assertThat(set.hasMaster()).isTrue();
            assertThat(set.masterAddress()).isEqualTo(view.masterAddress(name).orElseThrow());
            assertThat(set.inSync()).hasSize(2).allMatch(r -> r.alive());
            assertThat(set.notInSync()).isEmpty();
        });

        String master = view.masterAddress(real.cluster().groupName(0)).orElseThrow();
        assertThat(real.gateway().brokerConfig(master)).containsEntry("allAckInSyncStateSet", "true")
                .containsEntry("enableControllerMode", "true").containsEntry("inSyncReplicas", "2");
    }

    @Test
    @Order(2)
    void killingAZoneElectsNewMastersAndLosesNoAcknowledgedMessage() {
        String topic = "probe-kill";
        real.createTopicOnEveryGroup(topic, 4);
        ProbeSpec spec = ProbeSpec.of(real.cluster().nameServerList(), topic).withInterval(Duration.ofMillis(50))
                .withRouteRefresh(Duration.ofSeconds(3));
        try (MessageProbe probe = MessageProbe.start(spec)) {
            sleep(2_000);
            ZoneA zone = zoneA();
            long t0 = System.nanoTime();
            zone.members.forEach(RocketMqProcess::kill);
            Optional<Duration> elected = ClusterWatch.awaitNewElectedMasters(real.gateway(), zone.oldMasters,
                    t0, Duration.ofSeconds(30));
            Optional<Duration> seen = ClusterWatch.awaitNewMasters(real.gateway(), zone.oldMasters,
                    t0, Duration.ofSeconds(30));
            bench.put("kill.zoneMembers", zone.describe());
            bench.put("kill.toControllerElectedMs", ClusterWatch.millis(elected));
            bench.put("kill.toNameServerShowsNewMastersMs", ClusterWatch.millis(seen));
            assertThat(seen).as("new masters in clusterList").isPresent();
            ClusterView after = real.gateway().clusterView(false);
            zone.oldMasters.forEach((group, old) -> assertThat(after.masterAddress(group)).get().isNotEqualTo(old));

            sleep(8_000); // let the probe's client learn the new routes and write again
            ProbeResult result = probe.finish(Duration.ofSeconds(60));
            bench.put("kill.probe", result.summary());
            bench.put("kill.probe.outages", result.outages().stream()
                    .map(w -> w.group() + ":" + w.duration().toMillis() + "ms/" + w.failedSends() + " sends").toList());
            assertThat(result.acked()).isGreaterThan(100);
            assertThat(result.lostKeys()).as("acknowledged but lost").isEmpty();
            // after the failover every group takes writes again
            assertThat(result.outages()).allMatch(w -> w.closed());
        }
    }

    @Test
    @Order(3)
    void freezingAZoneElectsNewMastersAfterTheHeartbeatTimeout() {
        ZoneA zone = zoneA();
        long t0 = System.nanoTime();
        zone.members.forEach(RocketMqProcess::freeze);
        Optional<Duration> elected = ClusterWatch.awaitNewElectedMasters(real.gateway(), zone.oldMasters,
                t0, Duration.ofSeconds(60));
        Optional<Duration> seen = ClusterWatch.awaitNewMasters(real.gateway(), zone.oldMasters, t0, Duration.ofSeconds(60));
        bench.put("freeze.toControllerElectedMs", ClusterWatch.millis(elected));
        bench.put("freeze.toNameServerShowsNewMastersMs", ClusterWatch.millis(seen));
        bench.put("freeze.timers", "controllerHeartBeatTimeoutMills=3000 brokerHeartbeatInterval=500 scanNotActiveBrokerInterval=1000");
        assertThat(zone.members).allMatch(RocketMqProcess::isFrozen);
        assertThat(seen).as("new masters in clusterList while the old ones are frozen").isPresent();
    }

    @Test
    @Order(4)
    void aSlavePromotedBeforeItCopiedTheTopicsDoesNotKnowThemUntilTheyAreCreatedOnEveryBroker() throws Exception {
        String groupName = real.cluster().groupName(0);
        String topic = "only-on-master-" + System.currentTimeMillis();
        BrokerGroup group = real.gateway().clusterView(false).group(groupName).orElseThrow();
        String master = group.master().orElseThrow().address();
        BrokerMember slave = group.slaves().get(0);

        DefaultMQAdminExt admin = new DefaultMQAdminExt(3_000);
        admin.setNamesrvAddr(real.cluster().nameServerList());
        admin.setInstanceName("topic-test-" + System.nanoTime());
        admin.start();
        try {
            // what `updateTopic -c` does: masters only
            admin.createAndUpdateTopicConfig(master, new TopicConfig(topic, 2, 2, 6));
            TopicComparison before = real.gateway().compareTopics(groupName);
            assumeTrue(before.missingOnSlave().get(slave.address()).contains(topic),
                    "the slave already copied the topic (its 60 s sync ran just now)");

            long slaveControllerId = real.gateway().syncStateSet(groupName).orElseThrow().inSync().stream()
                    .filter(r -> r.address().equals(slave.address())).findFirst().orElseThrow().brokerId();
            ElectionResult elected = real.gateway().electMaster("fo", groupName, slaveControllerId);
            assertThat(elected.masterAddress()).isEqualTo(slave.address());
            assertThat(ClusterWatch.awaitNewMasters(real.gateway(), Map.of(groupName, master), System.nanoTime(),
                    Duration.ofSeconds(20))).isPresent();

            TopicComparison promoted = real.gateway().compareTopics(groupName);
            assertThat(promoted.masterAddress()).isEqualTo(slave.address());
            assertThat(promoted.missingOnMaster().get(master)).contains(topic);
            assertThat(promoted.consistent()).isFalse();
            String sendBefore = sendOnce(topic, groupName);
            bench.put("topicOnPromotedSlave.sendBeforeFix", sendBefore);
            assertThat(sendBefore).isNotEqualTo("SEND_OK");

            List<String> written = real.gateway().createTopicOnGroup(groupName, new TopicSpec(topic, 2, 2, 6));
            assertThat(written).containsExactlyInAnyOrder(master, slave.address());
            assertThat(real.gateway().compareTopics(groupName).missingOnMaster().get(master)).doesNotContain(topic);
            assertThat(real.gateway().compareTopics(groupName).missingOnSlave().get(master)).doesNotContain(topic);
            String sendAfter = sendOnce(topic, groupName);
            bench.put("topicOnPromotedSlave.sendAfterFix", sendAfter);
            assertThat(sendAfter).isEqualTo("SEND_OK");
        } finally {
            admin.shutdown();
        }
    }

    @Test
    @Order(5)
    void withTheControllerDownNoMasterIsElectedUntilItIsBack() {
        String groupName = real.cluster().groupName(1);
        ClusterView view = real.gateway().clusterView(false);
        String master = view.masterAddress(groupName).orElseThrow();
        RocketMqProcess controller = real.cluster().controller(0);
        controller.kill();
        real.memberAt(master).kill();
        Duration window = Duration.ofSeconds(10);
        boolean noMaster = ClusterWatch.noNewMasterDuring(real.gateway(), Map.of(groupName, master), window);
        bench.put("controllerDown.noPromotionWindowMs", window.toMillis());
        assertThat(noMaster).as("no master elected while the controller is down").isTrue();

        long t0 = System.nanoTime();
        controller.start();
        assertThat(controller.awaitListening(Duration.ofSeconds(30))).isTrue();
        long listening = (System.nanoTime() - t0) / 1_000_000;
        Optional<Duration> seen = ClusterWatch.awaitNewMasters(real.gateway(), Map.of(groupName, master),
                t0, Duration.ofSeconds(60));
        bench.put("controllerDown.controllerRestartToListeningMs", listening);
        bench.put("controllerDown.controllerRestartToNewMasterMs", ClusterWatch.millis(seen));
        assertThat(seen).isPresent();
    }

    private String sendOnce(String topic, String groupName) throws Exception {
        DefaultMQProducer producer = real.startProducer("topic-test-");
        try {
            SendResult r = producer.send(new Message(topic, "x".getBytes(StandardCharsets.UTF_8)),
                    new MessageQueue(topic, groupName, 0), 3_000);
            return r.getSendStatus() == SendStatus.SEND_OK ? "SEND_OK" : r.getSendStatus().name();
        } catch (Exception e) {
            return e.getClass().getSimpleName() + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        } finally {
            producer.shutdown();
        }
    }

    /** "Zone A": the masters of groups 0 and 1 and the slave of group 2, as the placement puts them. */
    private static ZoneA zoneA() {
        ClusterView view = real.gateway().clusterView(false);
        Map<String, String> oldMasters = new LinkedHashMap<>();
        List<RocketMqProcess> members = new ArrayList<>();
        for (int g = 0; g < 2; g++) {
            String addr = view.masterAddress(real.cluster().groupName(g)).orElseThrow();
            oldMasters.put(real.cluster().groupName(g), addr);
            members.add(real.memberAt(addr));
        }
        BrokerGroup third = view.group(real.cluster().groupName(2)).orElseThrow();
        members.add(real.memberAt(third.slaves().get(0).address()));
        return new ZoneA(oldMasters, members);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private record ZoneA(Map<String, String> oldMasters, List<RocketMqProcess> members) {
        String describe() {
            return members.stream().map(RocketMqProcess::endpoint).toList().toString();
        }
    }
}
