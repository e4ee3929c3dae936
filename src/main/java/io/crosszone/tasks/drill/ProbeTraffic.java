package io.crosszone.tasks.drill;

import io.crosszone.core.Progress;
import io.crosszone.core.RuntimeFailure;
import io.crosszone.core.TimeSource;
import io.crosszone.plan.OperatorNames;
import io.crosszone.rocketmq.RocketMqGateway;
import io.crosszone.rocketmq.TopicSpec;
import io.crosszone.rocketmq.probe.MessageProbe;
import io.crosszone.rocketmq.probe.ProbeResult;
import io.crosszone.rocketmq.probe.ProbeSpec;
import io.crosszone.tasks.BrokerShape;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The drill's probe traffic: a topic on every group, one synchronous send to each group every
 * probe interval from before the cut until after the restore, then every acknowledged message read
 * back (the RPO).
 */
final class ProbeTraffic {
    public static final String PROBE_TOPIC = "crosszone-drill-probe";

    private final RocketMqLink link;
    private final BrokerShape shape;
    private final String brokerCr;
    private final DrillOptions o;
    /** the zone's name servers (host:port): every mode cuts them off with the zone */
    private final List<String> zoneNameServers;
    private final Progress progress;
    private final TimeSource time;

    ProbeTraffic(RocketMqLink link, BrokerShape shape, String brokerCr, DrillOptions o, List<String> zoneNameServers,
                 Progress progress, TimeSource time) {
        this.link = link;
        this.shape = shape;
        this.brokerCr = brokerCr;
        this.o = o;
        this.zoneNameServers = zoneNameServers;
        this.progress = progress;
        this.time = time;
    }

    MessageProbe start() {
        RocketMqGateway g = link.gateway().orElseThrow(() -> new RuntimeFailure("RocketMQ cannot be asked"));
        TopicSpec topic = TopicSpec.of(PROBE_TOPIC, 2);
        for (int group = 0; group < shape.groups(); group++) {
            g.createTopicOnGroup(OperatorNames.brokerName(brokerCr, group), topic);
        }
        ProbeSpec spec = spec(o.probeRouteRefresh());
        progress.info("probe: one synchronous send every " + o.probeInterval().toMillis() + " ms to each group, topic "
                + PROBE_TOPIC + " created on every broker");
        return MessageProbe.start(spec);
    }

    /**
     * The second producer, beside the ordinary one: the same traffic with the client settings README
     * recommends for 5.1.x clients (route refresh shorter than the API timeout), so the report shows
     * what those settings buy. Call after {@link #start()} (the topic).
     */
    MessageProbe startTuned() {
        ProbeSpec spec = spec(ProbeSpec.RECOMMENDED_ROUTE_REFRESH);
        progress.info("tuned probe: the same sends with pollNameServerInterval " + spec.routeRefresh().toMillis() + " ms");
        return MessageProbe.start(spec);
    }

    /** The drill's traffic (every group, each probe interval) with the client's route refresh. */
    private ProbeSpec spec(Duration routeRefresh) {
        return ProbeSpec.of(link.endpoints().nameServerList(), PROBE_TOPIC).withInterval(o.probeInterval())
                .withRouteRefresh(routeRefresh);
    }

    static String settings(MessageProbe probe) {
        return probe.clientSettings().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    StuckClientCheck.ProbeClient describeClient(MessageProbe probe) {
        String inUse = probe.nameServerInUse().orElse(null);
        String settings = settings(probe)
                + (inUse == null ? "" : "; route lookups on name server " + inUse
                + (zoneNameServers.contains(inUse) ? " (in zone " + o.zone() + ")" : ""));
        progress.info("probe client: " + settings);
        ProbeSpec spec = probe.spec();
        return new StuckClientCheck.ProbeClient(settings, spec.routeRefresh().toMillis(), spec.sendTimeout().toMillis(), inUse);
    }

    /** Every group takes the probe's writes before the zone goes: otherwise there is nothing to measure. */
    void awaitFirstWrites(MessageProbe probe) throws InterruptedException {
        long deadline = time.currentMillis() + 60_000;
        while (true) {
            Set<String> written = new TreeSet<>();
            probe.sendsSoFar().stream().filter(r -> r.acked()).forEach(r -> written.add(r.group()));
            List<String> missing = OperatorNames.brokerNames(brokerCr, shape.groups()).stream().filter(g -> !written.contains(g)).toList();
            if (missing.isEmpty()) {
                return;
            }
            if (time.currentMillis() > deadline) {
                throw new RuntimeFailure("the probe could not write to " + missing + " within 60 s before the injection"
                        + " (nothing was taken offline)");
            }
            time.sleep(Duration.ofMillis(100));
        }
    }

    /** Stops {@code probe} and reads it back; null (and a problem naming {@code which} probe) when it cannot. */
    ProbeResult finish(String which, MessageProbe probe, List<String> problems) {
        try {
            return probe.finish(Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            problems.add("the " + which + " probe could not read its messages back: " + e.getMessage());
            return null;
        }
    }
}
