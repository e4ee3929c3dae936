package io.crosszone.lab.rocketmq;

import io.crosszone.rocketmq.AdminRocketMqGateway;
import io.crosszone.rocketmq.ClusterView;
import io.crosszone.rocketmq.SyncStateSet;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Polling helpers for the real-cluster tests: how long until the adapter sees something. */
final class ClusterWatch {
    private ClusterWatch() {
    }

    /**
     * Polls clusterList every 20 ms until each group has a master (BID 0) other than its old one;
     * returns the elapsed time since {@code sinceNanos}, or empty on timeout.
     */
    static Optional<Duration> awaitNewMasters(AdminRocketMqGateway gateway, Map<String, String> oldMasters,
                                              long sinceNanos, Duration timeout) {
        boolean ok = LocalRocketMqCluster.poll(timeout, Duration.ofMillis(20), () -> {
            try {
                ClusterView view = gateway.clusterView(false);
                return oldMasters.entrySet().stream().allMatch(e -> view.masterAddress(e.getKey())
                        .filter(addr -> !addr.equals(e.getValue())).isPresent());
            } catch (RuntimeException e) {
                return false;
            }
        });
        return ok ? Optional.of(Duration.ofNanos(System.nanoTime() - sinceNanos)) : Optional.empty();
    }

    /** Like {@link #awaitNewMasters} but on the controller's SyncStateSets (the election itself). */
    static Optional<Duration> awaitNewElectedMasters(AdminRocketMqGateway gateway, Map<String, String> oldMasters,
                                                     long sinceNanos, Duration timeout) {
        boolean ok = LocalRocketMqCluster.poll(timeout, Duration.ofMillis(20), () -> {
            try {
                Map<String, SyncStateSet> sets = gateway.syncStateSets(oldMasters.keySet());
                return oldMasters.entrySet().stream().allMatch(e -> sets.containsKey(e.getKey())
                        && sets.get(e.getKey()).hasMaster()
                        && !sets.get(e.getKey()).masterAddress().equals(e.getValue()));
            } catch (RuntimeException e) {
                return false;
            }
        });
        return ok ? Optional.of(Duration.ofNanos(System.nanoTime() - sinceNanos)) : Optional.empty();
    }

    /** True if, during the whole window, none of the groups showed a master other than its old one in clusterList. */
    static boolean noNewMasterDuring(AdminRocketMqGateway gateway, Map<String, String> oldMasters, Duration window) {
        boolean promoted = LocalRocketMqCluster.poll(window, Duration.ofMillis(100), () -> {
            try {
                ClusterView view = gateway.clusterView(false);
                return oldMasters.entrySet().stream().anyMatch(e -> view.masterAddress(e.getKey())
                        .filter(addr -> !addr.equals(e.getValue())).isPresent());
            } catch (RuntimeException e) {
                return false;
            }
        });
        return !promoted;
    }

    static long millis(Optional<Duration> d) {
        return d.map(Duration::toMillis).orElse(-1L);
    }
}
