package io.crosszone.tasks.verify;

import io.crosszone.plan.ZoneLoss;
import java.util.List;

/**
 * The result of verifying one deployment: the checks, a row per broker, and what losing each
 * zone would do now. Its JSON is the documented {@code {"passed","checks","brokers","zoneLoss"}}.
 */
public record Verification(String namespace, String brokerCr, boolean passed, List<CheckResult> checks,
                           List<BrokerRow> brokers, List<ZoneLoss> zoneLoss) {

    /** One line of the distribution table. {@code inSync} is null when RocketMQ did not say. */
    public record BrokerRow(int group, int replica, String statefulSet, String pod, String node, String zone,
                            String role, Boolean inSync, String address) {
    }
}
