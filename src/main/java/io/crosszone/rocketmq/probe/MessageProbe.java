package io.crosszone.rocketmq.probe;

import io.crosszone.rocketmq.ClientLogging;
import io.crosszone.rocketmq.RocketMqException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.MQVersion;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.remoting.netty.NettySystemConfig;

/**
 * A write probe: keyed messages sent with synchronous sends at a fixed rate, every acknowledgement
 * and failure (with its cause) recorded; then a consumer reads the topic back from the beginning,
 * so that "acknowledged but lost" and duplicates are counted by key, and write outages are
 * measured per group. Used by the failover drill (RTO/RPO, the client's longest write outage).
 *
 * <pre>{@code
 * try (MessageProbe probe = MessageProbe.start(ProbeSpec.of(nameServers, topic))) {
 *     ... fail something over ...
 *     ProbeResult result = probe.finish(Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class MessageProbe implements AutoCloseable {
    static {
        ClientLogging.configure();
    }

    private static final String ANY_GROUP = "*";

    private final ProbeSpec spec;
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final DefaultMQProducer producer;
    private final ConcurrentLinkedQueue<SendRecord> records = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> senders = new ArrayList<>();
    private final long startMillis = System.currentTimeMillis();
    private volatile long stopMillis;

    private MessageProbe(ProbeSpec spec) {
        this.spec = spec;
        producer = new DefaultMQProducer("crosszone-probe-" + runId);
        producer.setNamesrvAddr(spec.nameServers());
        producer.setInstanceName("crosszone-probe-" + runId);
        producer.setSendMsgTimeout((int) spec.sendTimeout().toMillis());
        producer.setRetryTimesWhenSendFailed(spec.retries());
        producer.setPollNameServerInterval((int) spec.routeRefresh().toMillis());
        producer.setMqClientApiTimeout((int) spec.apiTimeout().toMillis());
        producer.setVipChannelEnabled(false);
    }

    /**
     * The client settings the probe's producer runs with, by their RocketMQ names (for reports):
     * what decides how long a client stays on a stale route or a frozen name server.
     */
    public Map<String, String> clientSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("rocketmq-client", MQVersion.getVersionDesc(MQVersion.CURRENT_VERSION));
        s.put("pollNameServerInterval", producer.getPollNameServerInterval() + "ms");
        s.put("mqClientApiTimeout", producer.getMqClientApiTimeout() + "ms");
        s.put("sendMsgTimeout", producer.getSendMsgTimeout() + "ms");
        s.put("retryTimesWhenSendFailed", String.valueOf(producer.getRetryTimesWhenSendFailed()));
        s.put("sendLatencyFaultEnable", String.valueOf(producer.isSendLatencyFaultEnable()));
        s.put(NettySystemConfig.COM_ROCKETMQ_REMOTING_CLIENT_CLOSE_SOCKET_IF_TIMEOUT,
                String.valueOf(NettySystemConfig.clientCloseSocketIfTimeout));
        return s;
    }

    /**
     * The name server the producer sends its route lookups to now, if it can be read. RocketMQ 5.1.x
     * keeps one chosen name server and has no getter for it: this reads the remoting client's
     * private field (a diagnostic: empty when another client version lays it out differently).
     */
    public Optional<String> nameServerInUse() {
        try {
            Object remoting = producer.getDefaultMQProducerImpl().getMqClientFactory().getMQClientAPIImpl()
                    .getRemotingClient();
            Field f = remoting.getClass().getDeclaredField("namesrvAddrChoosed");
            f.setAccessible(true);
            return Optional.ofNullable((String) ((AtomicReference<?>) f.get(remoting)).get());
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Starts the producer and the senders; throws {@link RocketMqException} if the topic has no route. */
    public static MessageProbe start(ProbeSpec spec) {
        MessageProbe probe = new MessageProbe(spec);
        try {
            probe.producer.start();
            probe.startSenders();
            return probe;
        } catch (Exception e) {
            probe.close();
            throw new RocketMqException("probe could not start on topic " + spec.topic() + ": " + e.getMessage(), e);
        }
    }

    private void startSenders() throws MQClientException {
        if (!spec.perGroup()) {
            senders.add(sender(ANY_GROUP, List.of()));
        } else {
            Map<String, List<MessageQueue>> byGroup = new TreeMap<>();
            for (MessageQueue mq : producer.fetchPublishMessageQueues(spec.topic())) {
                byGroup.computeIfAbsent(mq.getBrokerName(), g -> new ArrayList<>()).add(mq);
            }
            if (byGroup.isEmpty()) {
                throw new MQClientException("no writable queue for topic " + spec.topic(), null);
            }
            byGroup.forEach((group, queues) -> senders.add(sender(group, queues)));
        }
        senders.forEach(Thread::start);
    }

    private Thread sender(String group, List<MessageQueue> queues) {
        Thread t = new Thread(() -> {
            long interval = spec.interval().toMillis();
            long next = System.currentTimeMillis();
            long seq = 0;
            while (running.get()) {
                String key = runId + "-" + group + "-" + seq;
                MessageQueue mq = queues.isEmpty() ? null : queues.get((int) (seq % queues.size()));
                records.add(sendOne(key, group, mq));
                seq++;
                next += interval;
                long wait = next - System.currentTimeMillis();
                if (wait > 0) {
                    try {
                        Thread.sleep(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                } else {
                    next = System.currentTimeMillis(); // a slow send: keep the rate, do not burst to catch up
                }
            }
        }, "probe-sender-" + group);
        t.setDaemon(true);
        return t;
    }

    private SendRecord sendOne(String key, String group, MessageQueue mq) {
        Message msg = new Message(spec.topic(), "probe", key, key.getBytes(StandardCharsets.UTF_8));
        long start = System.currentTimeMillis();
        try {
            SendResult result = mq == null ? producer.send(msg) : producer.send(msg, mq, spec.sendTimeout().toMillis());
            long end = System.currentTimeMillis();
            String storedBy = result.getMessageQueue() == null ? group : result.getMessageQueue().getBrokerName();
            boolean ok = result.getSendStatus() == SendStatus.SEND_OK;
            return new SendRecord(key, group, start, end, ok, ok ? null : result.getSendStatus().name(), storedBy);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new SendRecord(key, group, start, System.currentTimeMillis(), false, cause(e), null);
        }
    }

    public ProbeSpec spec() {
        return spec;
    }

    /** The records so far (sends still go on). */
    public List<SendRecord> sendsSoFar() {
        return List.copyOf(records);
    }

    /** Stops sending and waits for the senders' last sends to return. */
    public void stop() {
        if (running.getAndSet(false)) {
            for (Thread t : senders) {
                try {
                    t.join(spec.sendTimeout().toMillis() * (spec.retries() + 1) + 5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            stopMillis = System.currentTimeMillis();
        }
    }

    /**
     * Stops sending, reads the topic back from the beginning of every queue until every
     * acknowledged key is seen and nothing new arrives for 3 s (or {@code readTimeout} passes),
     * and returns the counts.
     */
    public ProbeResult finish(Duration readTimeout) {
        stop();
        List<SendRecord> sends = List.copyOf(records);
        Set<String> ackedKeys = new TreeSet<>();
        sends.stream().filter(SendRecord::acked).forEach(r -> ackedKeys.add(r.key()));
        Map<String, Integer> readCounts = readBack(ackedKeys, readTimeout);

        List<String> lost = ackedKeys.stream().filter(k -> !readCounts.containsKey(k)).toList();
        Map<String, Integer> duplicates = new TreeMap<>();
        readCounts.forEach((k, n) -> {
            if (n > 1) {
                duplicates.put(k, n);
            }
        });
        int storedDespiteFailure = (int) sends.stream().filter(r -> !r.acked() && readCounts.containsKey(r.key())).count();
        Map<String, Integer> causes = new TreeMap<>();
        sends.stream().filter(r -> !r.acked()).forEach(r -> causes.merge(r.cause(), 1, Integer::sum));
        int failed = (int) sends.stream().filter(r -> !r.acked()).count();
        return new ProbeResult(startMillis, stopMillis, sends.size(), sends.size() - failed, failed, lost,
                duplicates, readCounts.values().stream().mapToInt(Integer::intValue).sum(), storedDespiteFailure,
                causes, ProbeOutages.of(sends), sends);
    }

    /**
     * Reads the topic back. Right after a drill's restore a name server may not list every broker
     * yet (brokers register every 30 s), and the reader's queue set-up then fails with "broker not
     * exist": it is tried again with a new reader (another name server may be chosen) until the
     * timeout, so a lagging name server does not leave the messages uncounted.
     */
    private Map<String, Integer> readBack(Set<String> mustSee, Duration timeout) {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        for (int attempt = 1; ; attempt++) {
            try {
                return readBackOnce(mustSee, deadline, attempt);
            } catch (MQClientException e) {
                if (System.currentTimeMillis() + 2_000 >= deadline) {
                    throw new RocketMqException("probe could not read back topic " + spec.topic() + ": " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new RocketMqException("probe read-back interrupted", ie);
                }
            }
        }
    }

    private Map<String, Integer> readBackOnce(Set<String> mustSee, long deadline, int attempt) throws MQClientException {
        Map<String, Integer> counts = new HashMap<>();
        String name = "crosszone-probe-reader-" + runId + "-" + attempt;
        DefaultLitePullConsumer consumer = new DefaultLitePullConsumer(name);
        consumer.setNamesrvAddr(spec.nameServers());
        consumer.setInstanceName(name);
        consumer.setAutoCommit(false);
        consumer.setPullBatchSize(256);
        consumer.setVipChannelEnabled(false);
        try {
            consumer.start();
            Collection<MessageQueue> queues = consumer.fetchMessageQueues(spec.topic());
            consumer.assign(queues);
            for (MessageQueue mq : queues) {
                consumer.seekToBegin(mq);
            }
            long lastNew = System.currentTimeMillis();
            int seen = 0;
            while (System.currentTimeMillis() < deadline) {
                List<MessageExt> batch = consumer.poll(500);
                for (MessageExt m : batch) {
                    if (m.getKeys() != null && m.getKeys().startsWith(runId)) {
                        counts.merge(m.getKeys(), 1, Integer::sum);
                    }
                }
                if (!batch.isEmpty()) {
                    lastNew = System.currentTimeMillis();
                }
                if (seen == 0 || !batch.isEmpty()) {
                    seen = (int) mustSee.stream().filter(counts::containsKey).count();
                }
                if (seen == mustSee.size() && System.currentTimeMillis() - lastNew > 3_000) {
                    break;
                }
            }
            return counts;
        } finally {
            consumer.shutdown();
        }
    }

    static String cause(Throwable e) {
        if (e instanceof MQBrokerException b) {
            return "BROKER_" + b.getResponseCode() + ": " + firstLine(b.getErrorMessage());
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = e instanceof MQClientException c ? c.getErrorMessage() : e.getMessage();
        String name = root == e ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + "/" + root.getClass().getSimpleName();
        return name + ": " + firstLine(msg);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String line = s.lines().findFirst().orElse("");
        // RocketMQ appends a FAQ URL to messages: keep causes comparable
        int faq = line.indexOf("\nSee http");
        line = faq >= 0 ? line.substring(0, faq) : line;
        int see = line.indexOf(", see http");
        return (see >= 0 ? line.substring(0, see) : line).trim();
    }

    @Override
    public void close() {
        running.set(false);
        senders.forEach(Thread::interrupt);
        producer.shutdown();
    }
}
