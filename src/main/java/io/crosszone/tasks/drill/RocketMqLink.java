package io.crosszone.tasks.drill;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.rocketmq.RocketMqAccess;
import io.crosszone.rocketmq.RocketMqEndpoints;
import io.crosszone.rocketmq.RocketMqGateway;
import io.crosszone.tasks.RocketMqDiscovery;
import java.time.Duration;
import java.util.Optional;

/**
 * The drill's connection to RocketMQ, found from the Ready pods' IPs and found again when they
 * change (a controller the drill moved has a new IP), at most once per {@code rediscoverEvery}.
 */
final class RocketMqLink implements AutoCloseable {
    private final KubernetesGateway k8s;
    private final RocketMqDiscovery.Where where;
    private final RocketMqAccess access;
    private final Duration callTimeout;
    private final long rediscoverNanos;
    private RocketMqEndpoints endpoints;
    private RocketMqGateway gateway;
    private long lastDiscovery;

    RocketMqLink(KubernetesGateway k8s, CrosszoneConfig config, RocketMqAccess access, Duration callTimeout,
                 Duration rediscoverEvery) {
        this.k8s = k8s;
        this.where = RocketMqDiscovery.Where.of(config);
        this.access = access;
        this.callTimeout = callTimeout;
        this.rediscoverNanos = rediscoverEvery.toNanos();
    }

    /** The gateway, or empty when RocketMQ is not to be asked or no name server is Ready. */
    synchronized Optional<RocketMqGateway> gateway() {
        long now = System.nanoTime();
        if (gateway == null || now - lastDiscovery >= rediscoverNanos) {
            lastDiscovery = now;
            Optional<RocketMqEndpoints> found = RocketMqDiscovery.find(k8s, where, callTimeout);
            if (found.isPresent() && !found.get().equals(endpoints)) { // none Ready: keep what we have
                close();
                endpoints = found.get();
                gateway = access.open(endpoints).orElse(null);
            }
        }
        return Optional.ofNullable(gateway);
    }

    synchronized RocketMqEndpoints endpoints() {
        gateway();
        return endpoints;
    }

    @Override
    public synchronized void close() {
        if (gateway != null) {
            gateway.close();
            gateway = null;
        }
    }
}
