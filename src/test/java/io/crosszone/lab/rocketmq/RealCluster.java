package io.crosszone.lab.rocketmq;

import io.crosszone.rocketmq.AdminRocketMqGateway;
import io.crosszone.rocketmq.ControllerMetadata;
import io.crosszone.rocketmq.SyncStateSet;
import io.crosszone.rocketmq.TopicSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real RocketMQ cluster for a test class ({@code @RegisterExtension static final}): started and
 * healthy before the first test, an admin gateway open on it, and every member killed after the
 * last test, also when starting failed half-way (no orphan JVMs). Plus the lookups and lenient
 * reads the real-cluster tests share.
 */
final class RealCluster implements BeforeAllCallback, AfterAllCallback {
    private final LocalRocketMqCluster.Builder shape;
    private final Duration callTimeout;
    private final BenchResults startBench;
    private LocalRocketMqCluster cluster;
    private AdminRocketMqGateway gateway;

    private RealCluster(LocalRocketMqCluster.Builder shape, Duration callTimeout, BenchResults startBench) {
        this.shape = shape;
        this.callTimeout = callTimeout;
        this.startBench = startBench;
    }

    /** A cluster of this shape whose gateway calls time out after {@code callTimeout}. */
    static RealCluster of(LocalRocketMqCluster.Builder shape, Duration callTimeout) {
        return new RealCluster(shape, callTimeout, null);
    }

    /** The same, recording {@code clusterStartToHealthyMs} (measured, never asserted) in {@code bench}. */
    static RealCluster of(LocalRocketMqCluster.Builder shape, Duration callTimeout, BenchResults bench) {
        return new RealCluster(shape, callTimeout, bench);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        long t0 = System.nanoTime();
        cluster = shape.build(); // assigned before start(), so afterAll closes a cluster that failed to start
        cluster.start();
        if (startBench != null) {
            startBench.put("clusterStartToHealthyMs", (System.nanoTime() - t0) / 1_000_000);
        }
        gateway = cluster.gateway(callTimeout);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (gateway != null) {
                gateway.close();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    LocalRocketMqCluster cluster() {
        return cluster;
    }

    AdminRocketMqGateway gateway() {
        return gateway;
    }

    /** The member serving {@code endpoint} ({@code host:port}, as RocketMQ reports addresses). */
    RocketMqProcess memberAt(String endpoint) {
        String host = endpoint.substring(0, endpoint.lastIndexOf(':'));
        return cluster.memberAt(host).orElseThrow(() -> new AssertionError("no member at " + endpoint));
    }

    /** Back to healthy after a test: frozen members killed (a frozen JVM keeps its ports), stopped ones started. */
    void heal(Duration timeout) {
        for (RocketMqProcess m : cluster.members()) {
            if (m.isFrozen()) {
                m.kill();
            }
            if (!m.isRunning()) {
                m.start();
            }
        }
        cluster.awaitHealthy(timeout);
    }

    void createTopicOnEveryGroup(String topic, int queues) {
        for (String g : cluster.groupNames()) {
            gateway.createTopicOnGroup(g, TopicSpec.of(topic, queues));
        }
    }

    /** A started producer on the name servers that does not retry a failed send (the caller shuts it down). */
    DefaultMQProducer startProducer(String prefix) throws MQClientException {
        DefaultMQProducer producer = new DefaultMQProducer(prefix + System.nanoTime());
        producer.setNamesrvAddr(cluster.nameServerList());
        producer.setInstanceName(prefix + System.nanoTime());
        producer.setRetryTimesWhenSendFailed(0);
        producer.start();
        return producer;
    }

    /** The controller's metadata, or empty while no controller answers. */
    Optional<ControllerMetadata> controllerMetadata() {
        try {
            return Optional.of(gateway.controllerMetadata());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    boolean controllerHasLeader() {
        return controllerMetadata().map(ControllerMetadata::hasLeader).orElse(false);
    }

    /** Every group's SyncStateSet, or none while the controller does not answer. */
    Map<String, SyncStateSet> syncStateSetsOrEmpty() {
        try {
            return gateway.syncStateSets(cluster.groupNames());
        } catch (RuntimeException e) {
            return Map.of();
        }
    }
}
