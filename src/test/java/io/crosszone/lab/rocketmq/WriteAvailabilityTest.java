package io.crosszone.lab.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.rocketmq.BrokerGroup;
import io.crosszone.rocketmq.SyncStateSet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Writes to a group that lost its slave: group 0 runs the runbook's broker properties
 * (inSyncReplicas=2, no allAckInSyncStateSet), group 1 adds allAckInSyncStateSet=true. The lint
 * rule and the configuration defaults rest on the difference staying true for this RocketMQ version.
 */
@Tag("process") // starts processes (RocketMQ JVMs, a lab, podman): not in the fast run (README)
class WriteAvailabilityTest {
    private static final BenchResults bench = new BenchResults("write-availability");
    @RegisterExtension
    static final RealCluster real = RealCluster.of(LocalRocketMqCluster.builder().clusterName("wa").groups(2)
            .replicasPerGroup(2).brokerProperties(LocalRocketMqCluster.RUNBOOK_BROKER_PROPERTIES)
            .groupProperties(1, Map.of("allAckInSyncStateSet", "true")).fastFailureDetection(true), Duration.ofSeconds(3));

    @Test
    void runbookPropertiesTimeOutWhileAllAckInSyncStateSetKeepsWriting() throws Exception {
        String topic = "availability";
        real.createTopicOnEveryGroup(topic, 2);
        assertThat(real.gateway().brokerConfig(real.cluster().broker(0, 0).endpoint()))
                .containsEntry("allAckInSyncStateSet", "false");
        assertThat(real.gateway().brokerConfig(real.cluster().broker(1, 0).endpoint()))
                .containsEntry("allAckInSyncStateSet", "true");

        long t0 = System.nanoTime();
        for (String g : real.cluster().groupNames()) {
            BrokerGroup group = real.gateway().clusterView(false).group(g).orElseThrow();
            String slave = group.slaves().get(0).address();
            real.memberAt(slave).kill();
        }
        boolean shrunk = LocalRocketMqCluster.poll(Duration.ofSeconds(60), Duration.ofMillis(200), () -> {
            try {
                Map<String, SyncStateSet> sets = real.gateway().syncStateSets(real.cluster().groupNames());
                return real.cluster().groupNames().stream().allMatch(g -> sets.containsKey(g) && sets.get(g).inSync().size() == 1);
            } catch (RuntimeException e) {
                return false;
            }
        });
        bench.put("slaveKilledToSyncStateSetShrunkMs", (System.nanoTime() - t0) / 1_000_000);
        assertThat(shrunk).as("SyncStateSets shrink to the master").isTrue();

        DefaultMQProducer producer = real.startProducer("availability-");
        try {
            String runbook = send(producer, topic, real.cluster().groupName(0), "runbook");
            String allAck = send(producer, topic, real.cluster().groupName(1), "allAck");
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
