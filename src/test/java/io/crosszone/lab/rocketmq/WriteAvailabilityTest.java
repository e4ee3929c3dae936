package io.crosszone.lab.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.rocketmq.AdminRocketMqGateway;
import io.crosszone.rocketmq.BrokerGroup;
import io.crosszone.rocketmq.SyncStateSet;
import io.crosszone.rocketmq.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Writes to a group that lost its slave: group 0 runs the runbook's broker properties
 * (inSyncReplicas=2, no allAckInSyncStateSet), group 1 adds allAckInSyncStateSet=true. The lint
 * rule and the configuration defaults rest on the difference staying true for this RocketMQ version.
 */
class WriteAvailabilityTest {
    private static LocalRocketMqCluster cluster;
    private static AdminRocketMqGateway gateway;
    private static final BenchResults bench = new BenchResults("write-availability");

    @BeforeAll
    static void startCluster() {
        cluster = LocalRocketMqCluster.builder().clusterName("wa").groups(2).replicasPerGroup(2)
                .brokerProperties(LocalRocketMqCluster.RUNBOOK_BROKER_PROPERTIES)
                .groupProperties(1, Map.of("allAckInSyncStateSet", "true"))
                .fastFailureDetection(true).build().start();
        gateway = cluster.gateway(Duration.ofSeconds(3));
    }

    @AfterAll
    static void stopCluster() {
        if (gateway != null) {
            gateway.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void runbookPropertiesTimeOutWhileAllAckInSyncStateSetKeepsWriting() throws Exception {
        String topic = "availability";
        for (String g : cluster.groupNames()) {
            gateway.createTopicOnGroup(g, TopicSpec.of(topic, 2));
        }
        assertThat(gateway.brokerConfig(cluster.broker(0, 0).endpoint())).containsEntry("allAckInSyncStateSet", "false");
        assertThat(gateway.brokerConfig(cluster.broker(1, 0).endpoint())).containsEntry("allAckInSyncStateSet", "true");

        long t0 = System.nanoTime();
        for (String g : cluster.groupNames()) {
            BrokerGroup group = gateway.clusterView(false).group(g).orElseThrow();
            String slave = group.slaves().get(0).address();
            cluster.memberAt(slave.substring(0, slave.lastIndexOf(':'))).orElseThrow().kill();
        }
        boolean shrunk = LocalRocketMqCluster.poll(Duration.ofSeconds(60), Duration.ofMillis(200), () -> {
            try {
                Map<String, SyncStateSet> sets = gateway.syncStateSets(cluster.groupNames());
                return cluster.groupNames().stream().allMatch(g -> sets.containsKey(g) && sets.get(g).inSync().size() == 1);
            } catch (RuntimeException e) {
                return false;
            }
        });
        bench.put("slaveKilledToSyncStateSetShrunkMs", (System.nanoTime() - t0) / 1_000_000);
        assertThat(shrunk).as("SyncStateSets shrink to the master").isTrue();

        DefaultMQProducer producer = new DefaultMQProducer("availability-" + System.nanoTime());
        producer.setNamesrvAddr(cluster.nameServerList());
        producer.setInstanceName("availability-" + System.nanoTime());
        producer.setRetryTimesWhenSendFailed(0);
        producer.start();
        try {
            String runbook = send(producer, topic, cluster.groupName(0), "runbook");
            String allAck = send(producer, topic, cluster.groupName(1), "allAck");
            assertThat(runbook).isEqualTo("FLUSH_SLAVE_TIMEOUT");
            assertThat(allAck).isEqualTo("SEND_OK");
        } finally {
            producer.shutdown();
        }
    }

    /** A 10 s client timeout: longer than the broker's own wait for the slave, so its answer arrives. */
    private static String send(DefaultMQProducer producer, String topic, String group, String label) throws Exception {
        long s = System.nanoTime();
        SendResult r = producer.send(new Message(topic, "x".getBytes(StandardCharsets.UTF_8)),
                new MessageQueue(topic, group, 0), 10_000);
        bench.put(label + ".sendStatus", r.getSendStatus().name());
        bench.put(label + ".sendMs", (System.nanoTime() - s) / 1_000_000);
        return r.getSendStatus().name();
    }
}
