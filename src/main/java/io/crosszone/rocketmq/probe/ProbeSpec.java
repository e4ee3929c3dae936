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
 */
public record ProbeSpec(String nameServers, String topic, Duration interval, Duration sendTimeout,
                        boolean perGroup, int retries, Duration routeRefresh) {
    public ProbeSpec {
        Objects.requireNonNull(nameServers, "nameServers");
        Objects.requireNonNull(topic, "topic");
        if (interval.isNegative() || interval.isZero() || sendTimeout.isNegative() || sendTimeout.isZero()) {
            throw new IllegalArgumentException("interval and sendTimeout must be positive");
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must be >= 0");
        }
    }

    /** Per-group senders every 100 ms, 3 s send timeout, no retries, the client's default 30 s route refresh. */
    public static ProbeSpec of(String nameServers, String topic) {
        return new ProbeSpec(nameServers, topic, Duration.ofMillis(100), Duration.ofSeconds(3), true, 0,
                Duration.ofSeconds(30));
    }

    public ProbeSpec withInterval(Duration d) {
        return new ProbeSpec(nameServers, topic, d, sendTimeout, perGroup, retries, routeRefresh);
    }

    public ProbeSpec withSendTimeout(Duration d) {
        return new ProbeSpec(nameServers, topic, interval, d, perGroup, retries, routeRefresh);
    }

    public ProbeSpec withPerGroup(boolean p) {
        return new ProbeSpec(nameServers, topic, interval, sendTimeout, p, retries, routeRefresh);
    }

    public ProbeSpec withRetries(int r) {
        return new ProbeSpec(nameServers, topic, interval, sendTimeout, perGroup, r, routeRefresh);
    }

    public ProbeSpec withRouteRefresh(Duration d) {
        return new ProbeSpec(nameServers, topic, interval, sendTimeout, perGroup, retries, d);
    }
}
