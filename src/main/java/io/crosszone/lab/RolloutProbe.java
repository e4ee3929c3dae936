package io.crosszone.lab;

import io.crosszone.rocketmq.AdminRocketMqGateway;
import io.crosszone.rocketmq.RocketMqEndpoints;
import io.crosszone.rocketmq.TopicSpec;
import io.crosszone.rocketmq.probe.MessageProbe;
import io.crosszone.rocketmq.probe.OutageWindow;
import io.crosszone.rocketmq.probe.ProbeResult;
import io.crosszone.rocketmq.probe.ProbeSpec;
import io.crosszone.rocketmq.probe.SendRecord;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an application sees while apply-affinity rolls the brokers: one synchronous send to each
 * group every 100 ms (an ordinary 5.1.4 producer) from before the rollout until after it, then
 * every acknowledged message read back. Per group: sends, failed sends and the longest write gap
 * (first failure to the next success).
 */
public final class RolloutProbe implements AutoCloseable {
    public static final String TOPIC = "crosszone-rollout-probe";
    public static final long INTERVAL_MILLIS = 100;

    /** One group's figures. */
    /** One group's figures; {@code lostBetween}: when the first and last of its lost sends were acknowledged (by whom), or null. */
    public record GroupWrites(String group, int sent, int failed, long longestGapMillis, int lost, String lostBetween) {
    }

    /** The probe's outcome: per group, and what was acknowledged but not read back. */
    public record Outcome(List<GroupWrites> groups, int sent, int acked, int failed, int lost, int duplicates) {
        public String summary() {
            StringBuilder b = new StringBuilder("sent " + sent + ", acknowledged " + acked + ", failed " + failed
                    + ", acknowledged and lost " + lost + ", duplicates " + duplicates + ";");
            for (GroupWrites g : groups) {
                b.append(' ').append(g.group()).append(": ").append(g.failed()).append(" failed of ").append(g.sent())
                        .append(", longest gap ").append(g.longestGapMillis()).append(" ms")
                        .append(g.lost() > 0 ? ", " + g.lost() + " lost, acknowledged " + g.lostBetween() : "").append(';');
            }
            return b.toString();
        }
    }

    private final MessageProbe probe;
    private final List<String> groups;

    private RolloutProbe(MessageProbe probe, List<String> groups) {
        this.probe = probe;
        this.groups = List.copyOf(groups);
    }

    /** Creates the probe topic on every group (each must have a master now) and starts sending. */
    public static RolloutProbe start(String nameServers, String controllers, List<String> groups) {
        try (AdminRocketMqGateway admin = new AdminRocketMqGateway(RocketMqEndpoints.of(nameServers, controllers,
                RocketMqEndpoints.DEFAULT_TIMEOUT))) {
            for (String g : groups) {
                admin.createTopicOnGroup(g, TopicSpec.of(TOPIC, 2));
            }
        }
        return new RolloutProbe(MessageProbe.start(ProbeSpec.of(nameServers, TOPIC).withInterval(Duration.ofMillis(INTERVAL_MILLIS))), groups);
    }

    /** Stops sending and reads every acknowledged message back. */
    public Outcome finish() {
        ProbeResult r = probe.finish(Duration.ofSeconds(60));
        Map<String, GroupWrites> per = new LinkedHashMap<>();
        for (String g : groups) {
            List<SendRecord> sends = r.sends().stream().filter(s -> g.equals(s.group())).toList();
            long gap = r.outages().stream().filter(w -> g.equals(w.group())).map(OutageWindow::duration)
                    .mapToLong(Duration::toMillis).max().orElse(0);
            java.util.Set<String> lostKeys = new java.util.HashSet<>(r.lostKeys());
            List<SendRecord> lost = sends.stream().filter(s -> s.acked() && lostKeys.contains(s.key()))
                    .sorted(java.util.Comparator.comparingLong(SendRecord::endMillis)).toList();
            String between = lost.isEmpty() ? null : java.time.Instant.ofEpochMilli(lost.get(0).endMillis()) + " .. "
                    + java.time.Instant.ofEpochMilli(lost.get(lost.size() - 1).endMillis()) + " by "
                    + lost.stream().map(SendRecord::storedBy).distinct().toList();
            per.put(g, new GroupWrites(g, sends.size(), (int) sends.stream().filter(s -> !s.acked()).count(), gap,
                    lost.size(), between));
        }
        return new Outcome(List.copyOf(per.values()), r.sent(), r.acked(), r.failed(), r.lostKeys().size(), r.duplicates().size());
    }

    @Override
    public void close() {
        probe.close();
    }
}
