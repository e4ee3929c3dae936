package io.crosszone.tasks.verify;

import io.crosszone.config.BrokerSpec;
import io.crosszone.tasks.verify.DistributionSnapshot.RocketMqView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Lint of the configuration really in force (the brokers' runtime configuration, not a file),
 * with the reasons measured on a real 5.1.4 cluster (see the project's facts on controller mode).
 */
final class ConfigLint {
    static final int DEFAULT_HEARTBEAT_TIMEOUT_MS = 10_000;
    static final int DEFAULT_CONTROLLER_SCAN_MS = 5_000;
    static final int DEFAULT_REGISTER_BROKER_TIMEOUT_MS = 24_000;
    private static final String MEASURED = "Measured (5.1.4, a name server and the master frozen, a round in flight):"
            + " the new master was listed by the surviving name server 24.1 s after the freeze with the default 24000,"
            + " 6.1 s with 6000, 3.0-4.1 s with 3000 (elected after ~3 s; FrozenNameServerBench, 5 runs each)";

    private ConfigLint() {
    }

    static List<CheckResult> all(DistributionSnapshot s, Map<String, Long> masterCountPerZone) {
        List<CheckResult> out = new ArrayList<>();
        RocketMqView v = s.rocketmq();
        if (v != null && !v.brokerConfigs().isEmpty()) {
            out.add(allAck(v));
            out.add(uncleanElection(v));
            out.add(failureDetection(v));
            out.add(registerBrokerTimeout(v));
        }
        out.add(controllerCount(s, v));
        out.add(controllerBesideMasters(s, masterCountPerZone));
        out.add(controllerVolume(s));
        return out;
    }

    static CheckResult allAck(RocketMqView v) {
        List<String> bad = new ArrayList<>();
        v.brokerConfigs().forEach((addr, cfg) -> {
            int isr = parse(cfg.get("inSyncReplicas"), 1);
            if (isr > 1 && !"true".equals(cfg.get("allAckInSyncStateSet"))) {
                bad.add(addr + " (inSyncReplicas=" + isr + ")");
            }
        });
        return bad.isEmpty()
                ? CheckResult.pass("lint-all-ack-in-sync-state-set", "no broker waits for more acks than its SyncStateSet holds")
                : CheckResult.fail("lint-all-ack-in-sync-state-set", "inSyncReplicas above 1 without allAckInSyncStateSet=true on "
                + bad + ": once a zone is gone every synchronous send to the group fails with FLUSH_SLAVE_TIMEOUT;"
                + " set allAckInSyncStateSet=true (switch-to-controller-mode does)");
    }

    static CheckResult uncleanElection(RocketMqView v) {
        List<String> bad = v.brokerConfigs().entrySet().stream()
                .filter(e -> "true".equals(e.getValue().get("enableElectUncleanMaster"))).map(Map.Entry::getKey).toList();
        return bad.isEmpty() ? CheckResult.pass("lint-unclean-election", "no broker allows an unclean master election")
                : CheckResult.fail("lint-unclean-election", "enableElectUncleanMaster=true on " + bad
                + ": an out-of-sync replica can become master and acknowledged messages can be lost");
    }

    static CheckResult failureDetection(RocketMqView v) {
        int timeout = v.brokerConfigs().values().stream()
                .mapToInt(c -> parse(c.get("controllerHeartBeatTimeoutMills"), DEFAULT_HEARTBEAT_TIMEOUT_MS)).max()
                .orElse(DEFAULT_HEARTBEAT_TIMEOUT_MS);
        int interval = v.brokerConfigs().values().stream()
                .mapToInt(c -> parse(c.get("brokerHeartbeatInterval"), 1000)).max().orElse(1000);
        String message = "a network partition is detected after the heartbeat timeout (controllerHeartBeatTimeoutMills="
                + timeout + ", brokerHeartbeatInterval=" + interval + ") plus up to one controller scan, so a partitioned"
                + " master is replaced after about " + seconds(timeout) + "-" + seconds(timeout + DEFAULT_CONTROLLER_SCAN_MS)
                + " s (a killed one at once). Measured: ~10.8 s with the defaults; ~3-4 s with brokerHeartbeatInterval=500"
                + " controllerHeartBeatTimeoutMills=3000 and the controller's scanNotActiveBrokerInterval=1000";
        return timeout > 3_000 ? CheckResult.warn("lint-failure-detection", message)
                : CheckResult.pass("lint-failure-detection", message);
    }

    /**
     * A registration round waits up to registerBrokerTimeoutMills for every name server, and a new
     * master's role-change registration waits behind the round in flight (5.1.4 serialises them).
     */
    static CheckResult registerBrokerTimeout(RocketMqView v) {
        List<String> above = new ArrayList<>();
        v.brokerConfigs().forEach((addr, cfg) -> {
            int t = parse(cfg.get("registerBrokerTimeoutMills"), DEFAULT_REGISTER_BROKER_TIMEOUT_MS);
            if (t > BrokerSpec.REGISTER_BROKER_TIMEOUT_MS) {
                above.add(addr + " (" + t + ")");
            }
        });
        String why = "a broker's registration round waits up to registerBrokerTimeoutMills for every name server and a"
                + " new master's registration waits behind a round in flight, so with a name server cut off in the lost"
                + " zone the surviving ones list the new master up to that long after a round started. " + MEASURED;
        return above.isEmpty()
                ? CheckResult.pass("lint-register-broker-timeout", "registerBrokerTimeoutMills at most "
                + BrokerSpec.REGISTER_BROKER_TIMEOUT_MS + " on every broker: a name server cut off in a lost zone delays"
                + " a new master's registration by at most that")
                : CheckResult.warn("lint-register-broker-timeout", "registerBrokerTimeoutMills above "
                + BrokerSpec.REGISTER_BROKER_TIMEOUT_MS + " on " + above + ": " + why + "; set registerBrokerTimeoutMills="
                + BrokerSpec.REGISTER_BROKER_TIMEOUT_MS + " (switch-to-controller-mode does)");
    }

    static CheckResult controllerCount(DistributionSnapshot s, RocketMqView v) {
        int count = s.controllers().size();
        if (count % 2 == 0) {
            return CheckResult.fail("lint-controller-count", count + " controllers: an even Raft group tolerates no more"
                    + " failures than one member fewer; use an odd count");
        }
        return CheckResult.pass("lint-controller-count", count + " controller(s)"
                + (v != null && v.controllerCount() > 0 && v.controllerCount() != count
                ? " in pods, " + v.controllerCount() + " in the Raft group" : ""));
    }

    static CheckResult controllerBesideMasters(DistributionSnapshot s, Map<String, Long> masters) {
        if (s.controllers().size() != 1 || masters.isEmpty()) {
            return CheckResult.pass("lint-controller-beside-masters", "not a single controller");
        }
        String zone = s.zoneOfNode(s.controllers().get(0).node());
        long here = masters.getOrDefault(zone, 0L);
        boolean most = zone != null && here > 0 && masters.values().stream().allMatch(n -> n <= here);
        return most ? CheckResult.warn("lint-controller-beside-masters", "the only controller runs in " + zone
                + ", the zone with the most masters (" + here + "): losing " + zone
                + " loses them and the controller together, and no new master is elected until the controller is moved"
                + " (the runbook's zone-B case); consider 3 controllers or placing it with fewer masters")
                : CheckResult.pass("lint-controller-beside-masters", "the controller is not in the zone with the most masters");
    }

    static CheckResult controllerVolume(DistributionSnapshot s) {
        if (s.controllerStorage() != null && s.controllerStorage().zonalReadWriteOnce()) {
            return CheckResult.warn("lint-controller-volume", "the controller keeps its data on a zonal ReadWriteOnce"
                    + " volume: when its zone is lost the pod cannot move with its data; it must start with empty data"
                    + " elsewhere (or stay Pending)");
        }
        return CheckResult.pass("lint-controller-volume", "the controller's storage ("
                + (s.controllerStorage() == null ? "unknown" : s.controllerStorage().storageMode()) + ") does not pin it to a zone");
    }

    private static String seconds(int ms) {
        return ms % 1000 == 0 ? String.valueOf(ms / 1000) : String.valueOf(ms / 1000.0);
    }

    static int parse(String value, int fallback) {
        try {
            return value == null ? fallback : Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static boolean same(String a, String b) {
        return Objects.equals(a, b);
    }
}
