package io.crosszone.tasks.drill;

import io.crosszone.plan.OperatorNames;
import io.crosszone.rocketmq.ClusterView;
import io.crosszone.rocketmq.SyncStateSet;
import io.crosszone.rocketmq.probe.SendRecord;
import io.crosszone.tasks.drill.DrillEvent.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns what each poll sees into the drill's timeline: per group, the old master gone (in the
 * controller's or the name server's view), the new master elected (controller) and listed with
 * BID 0 (name server), the SyncStateSet shrunk, and the probe's first acknowledged write after the
 * group's first failed one. Pure: times are given in milliseconds since the injection.
 */
public final class TimelineTracker {
    private final String brokerCr;
    private final int groups;
    /** group -> master address before the injection */
    private final Map<Integer, String> oldMasters;
    private final Map<Integer, Integer> inSyncBefore;
    private final Set<Integer> losingMaster;
    private final List<DrillEvent> events = new ArrayList<>();
    private final Set<String> emitted = new HashSet<>();
    private final Map<Integer, String> newMasters = new TreeMap<>();
    private final Map<Integer, Long> firstFailure = new HashMap<>();

    public TimelineTracker(String brokerCr, int groups, Map<Integer, String> oldMasters, Map<Integer, Integer> inSyncBefore,
                           List<Integer> losingMaster) {
        this.brokerCr = brokerCr;
        this.groups = groups;
        this.oldMasters = Map.copyOf(oldMasters);
        this.inSyncBefore = Map.copyOf(inSyncBefore);
        this.losingMaster = Set.copyOf(losingMaster);
    }

    public synchronized void add(DrillEvent e) {
        events.add(e);
    }

    /** The name server's view: BID 0 of each group. */
    public synchronized void nameServer(long t, ClusterView view) {
        for (int g = 0; g < groups; g++) {
            String master = view.masterAddress(OperatorNames.brokerName(brokerCr, g)).orElse(null);
            String old = oldMasters.get(g);
            if (old == null || old.equals(master)) {
                continue;
            }
            once(g, Kind.MASTER_LOST, t, "name server: BID 0 is " + (master == null ? "gone" : master) + " (was " + old + ")");
            if (master != null) {
                newMasters.putIfAbsent(g, master);
                once(g, Kind.NAMESRV_MASTER, t, "BID 0 = " + master);
            }
        }
    }

    /** The controller leader's view: each group's SyncStateSet. */
    public synchronized void controller(long t, Map<String, SyncStateSet> sets) {
        for (int g = 0; g < groups; g++) {
            SyncStateSet s = sets.get(OperatorNames.brokerName(brokerCr, g));
            if (s == null) {
                continue;
            }
            String old = oldMasters.get(g);
            String master = s.hasMaster() ? s.masterAddress() : null;
            if (old != null && !old.equals(master)) {
                once(g, Kind.MASTER_LOST, t, "controller: master is " + (master == null ? "none" : master) + " (was " + old + ")");
                if (master != null) {
                    once(g, Kind.MASTER_ELECTED, t, master + " (controller id " + s.masterBrokerId() + ", epoch " + s.masterEpoch() + ")");
                }
            }
            Integer before = inSyncBefore.get(g);
            if (before != null && s.inSync().size() < before) {
                once(g, Kind.SYNC_STATE_SHRUNK, t, "in sync: " + s.inSync().size() + " of " + before);
            }
        }
    }

    /**
     * The probe's sends so far ({@code injectedAt} in epoch ms): a group's first failed send after
     * the injection, then its first acknowledged send that started after that failure.
     */
    public synchronized void probe(List<SendRecord> sends, long injectedAt) {
        List<SendRecord> after = sends.stream().filter(r -> r.startMillis() >= injectedAt)
                .sorted(Comparator.comparingLong(SendRecord::startMillis)).toList();
        for (SendRecord r : after) {
            Integer g = OperatorNames.parseBrokerName(brokerCr, r.group());
            if (g == null) {
                continue;
            }
            if (!r.acked()) {
                firstFailure.putIfAbsent(g, r.startMillis());
            } else if (firstFailure.containsKey(g) && r.startMillis() >= firstFailure.get(g)) {
                once(g, Kind.FIRST_WRITE, r.endMillis() - injectedAt, "after "
                        + (r.endMillis() - firstFailure.get(g)) + " ms of failed sends");
            }
        }
    }

    /** Both views show a new master for every group that lost its master. */
    public synchronized boolean serversRecovered() {
        return losingMaster.stream().allMatch(g -> has(g, Kind.MASTER_ELECTED) && has(g, Kind.NAMESRV_MASTER));
    }

    /** Every group that lost its master, or whose sends failed, has written again. */
    public synchronized boolean clientsRecovered() {
        return losingMaster.stream().allMatch(g -> has(g, Kind.FIRST_WRITE))
                && firstFailure.keySet().stream().allMatch(g -> has(g, Kind.FIRST_WRITE));
    }

    /** Groups that lost their master, or whose sends failed, and have not written again yet. */
    public synchronized List<Integer> notWrittenAgain() {
        Set<Integer> waiting = new java.util.TreeSet<>(losingMaster);
        waiting.addAll(firstFailure.keySet());
        return waiting.stream().filter(g -> !has(g, Kind.FIRST_WRITE)).toList();
    }

    /** Groups that lost their master and have no new one elected yet. */
    public synchronized List<Integer> withoutMaster() {
        return losingMaster.stream().filter(g -> !has(g, Kind.MASTER_ELECTED)).sorted().toList();
    }

    public synchronized Map<Integer, String> newMasters() {
        return Map.copyOf(newMasters);
    }

    public synchronized List<DrillEvent> events() {
        return events.stream().sorted(Comparator.comparingLong(DrillEvent::atMillis)).toList();
    }

    public List<Integer> losingMaster() {
        return losingMaster.stream().sorted().toList();
    }

    private boolean has(int g, Kind k) {
        return emitted.contains(g + "/" + k);
    }

    private void once(int g, Kind k, long t, String detail) {
        if (emitted.add(g + "/" + k)) {
            events.add(new DrillEvent(t, k, g, detail));
        }
    }
}
