package io.crosszone.tasks.verify;

import io.crosszone.plan.ZoneLoss;
import java.util.List;

/**
 * The result of verifying one deployment: the checks, a row per broker, and what losing each
 * zone would do now. Its JSON is the documented {@code {"passed","checks","brokers","zoneLoss"}}.
 */
public record Verification(String namespace, String brokerCr, boolean passed, List<CheckResult> checks,
                           List<BrokerRow> brokers, List<ZoneLoss> zoneLoss,
                           java.util.Map<String, io.crosszone.rocketmq.SyncStateSet> controllerState) {

    /**
     * The controller's metadata as read (each group's ids, addresses, SyncStateSet, epochs): what
     * reseed-controller starts from if the controller loses it. Empty when the controller was not read.
     */
    public Verification {
        controllerState = controllerState == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.TreeMap<>(controllerState));
    }

    /** One line of the distribution table. {@code inSync} is null when RocketMQ did not say. */
    public record BrokerRow(int group, int replica, String statefulSet, String pod, String node, String zone,
                            String role, Boolean inSync, String address) {
    }
}
