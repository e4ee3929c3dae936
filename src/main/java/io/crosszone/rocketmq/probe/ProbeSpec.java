package io.crosszone.rocketmq.probe;

import java.time.Duration;
import java.util.Objects;

/**
 * What the probe does.
 *
 * @param nameServers   RocketMQ's notation, {@code host:port;host:port}
 * @param topic         an existing topic (create it on every broker of every group first)
 * @param interval      time between two sends of one sender (the fixed rate)
 * @param sendTimeout   timeout of each synchronous send
 * @param perGroup      true: one sender per group, each writing to its group's queues, so each
 *                      group's write outage is measured on its own; false: one sender using the
 *                      client's own queue selection and retries, i.e. what an application sees
 * @param retries       the producer's retries of a failed synchronous send (0 in per-group mode
 *                      keeps each attempt visible; RocketMQ's default is 2)
 * @param routeRefresh  the client's name-server poll interval ({@code pollNameServerInterval},
 *                      RocketMQ's default 30 s): how soon it learns of a new master
 * @param apiTimeout    timeout of the client's own calls, route lookups included
 *                      ({@code mqClientApiTimeout}, RocketMQ's default 3 s)
 */
public record ProbeSpec(String nameServers, String topic, Duration interval, Duration sendTimeout,
                        boolean perGroup, int retries, Duration routeRefresh, Duration apiTimeout) {
    /** RocketMQ's default route refresh ({@code pollNameServerInterval}). */
    public static final Duration DEFAULT_ROUTE_REFRESH = Duration.ofSeconds(30);
    /** RocketMQ's default {@code mqClientApiTimeout}. */
    public static final Duration DEFAULT_API_TIMEOUT = Duration.ofSeconds(3);
    /**
     * The route refresh recommended for 5.1.x clients that must survive a cut-off name server: shorter
     * than the API timeout, so that the refresh after a timed-out lookup starts at once, before the
     * client's 3 s name-server scan reconnects to the cut one (measured with FrozenNameServerBench:
     * see the README, failover-drill).
     */
    public static final Duration RECOMMENDED_ROUTE_REFRESH = Duration.ofSeconds(2);

    public ProbeSpec {
        Objects.requireNonNull(nameServers, "nameServers");
        Objects.requireNonNull(topic, "topic");
        if (interval.isNegative() || interval.isZero() || sendTimeout.isNegative() || sendTimeout.isZero()) {
            throw new IllegalArgumentException("interval and sendTimeout must be positive");
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0");
        }
        if (routeRefresh.isNegative() || routeRefresh.isZero() || apiTimeout.isNegative() || apiTimeout.isZero()) {
            throw new IllegalArgumentException("routeRefresh and apiTimeout must be positive");
        }
    }

    /** Per-group senders every 100 ms, 3 s send timeout, no retries, the client's defaults otherwise (30 s route refresh, 3 s API timeout). */
    public static ProbeSpec of(String nameServers, String topic) {
        return new ProbeSpec(nameServers, topic, Duration.ofMillis(100), Duration.ofSeconds(3), true, 0,
                DEFAULT_ROUTE_REFRESH, DEFAULT_API_TIMEOUT);
    }

    public ProbeSpec withInterval(Duration d) {
        return new ProbeSpec(nameServers, topic, d, sendTimeout, perGroup, retries, routeRefresh, apiTimeout);
    }

    public ProbeSpec withSendTimeout(Duration d) {
        return new ProbeSpec(nameServers, topic, interval, d, perGroup, retries, routeRefresh, apiTimeout);
    }

    public ProbeSpec withPerGroup(boolean p) {
        return new ProbeSpec(nameServers, topic, interval, sendTimeout, p, retries, routeRefresh, apiTimeout);
    }

    public ProbeSpec withRetries(int r) {
        return new ProbeSpec(nameServers, topic, interval, sendTimeout, perGroup, r, routeRefresh, apiTimeout);
    }

    public ProbeSpec withRouteRefresh(Duration d) {
        return new ProbeSpec(nameServers, topic, interval, sendTimeout, perGroup, retries, d, apiTimeout);
    }

    public ProbeSpec withApiTimeout(Duration d) {
        return new ProbeSpec(nameServers, topic, interval, sendTimeout, perGroup, retries, routeRefresh, d);
    }

    /** Whether the client runs with RocketMQ's defaults for route refresh and API timeout. */
    public boolean ordinaryClient() {
        return routeRefresh.equals(DEFAULT_ROUTE_REFRESH) && apiTimeout.equals(DEFAULT_API_TIMEOUT);
    }
}
