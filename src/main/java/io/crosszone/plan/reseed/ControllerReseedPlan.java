package io.crosszone.plan.reseed;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides, without I/O, which survivor of each group an empty controller may make master.
 *
 * <p>Safety rule: with {@code allAckInSyncStateSet=true} every acknowledged message is on every
 * member of the SyncStateSet, so promoting a member that was in the set loses nothing. Hence a
 * survivor is made master only when (a) the state read before the loss lists it in the SyncStateSet,
 * or (b) with no such reading, it reports itself as the acting master at the highest epoch any
 * survivor holds (it is the replica that acknowledged the writes). Either way it must not be behind
 * another survivor (epoch, then offset). Anything else is refused, unless the caller explicitly
 * allows an unclean election; then the most advanced survivor is chosen and the decision carries a
 * warning naming what may be lost.
 */
public final class ControllerReseedPlan {
    private static final Comparator<ReplicaReport> PROGRESS =
            Comparator.comparingInt(ReplicaReport::lastEpoch).thenComparingLong(ReplicaReport::maxOffset);

    private ControllerReseedPlan() {
    }

    public static List<ReseedDecision> decide(List<GroupEvidence> groups, boolean allowUnclean) {
        return groups.stream().map(g -> decide(g, allowUnclean)).toList();
    }

    public static ReseedDecision decide(GroupEvidence g, boolean allowUnclean) {
        if (g.survivors().isEmpty()) {
            return new ReseedDecision.Refuse(g.group(), "no surviving broker: nothing can be made master");
        }
        ReplicaReport ahead = g.survivors().stream().max(PROGRESS).orElseThrow();
        int epochFloor = Math.max(ahead.lastEpoch(), g.before().map(KnownGroupState::masterEpoch).orElse(0));
        Map<Long, String> ids = brokerIds(g);
        // the acting master, in the set and at the highest epoch, first: a replica outside the set that reads
        // further at that epoch only copied this master (its offset was read later, while writes went on;
        // a planned controller move, everything alive, refused on exactly that in CI)
        Optional<ReplicaReport> master = actingMasterInSync(g, ahead);
        if (master.isPresent()) {
            return new ReseedDecision.Elect(g.group(), master.get(), ids, epochFloor, "");
        }
        Optional<String> why = whyNotClean(g, ahead);
        if (why.isEmpty()) {
            return new ReseedDecision.Elect(g.group(), ahead, ids, epochFloor, "");
        }
        if (!allowUnclean) {
            return new ReseedDecision.Refuse(g.group(), why.get() + "; refusing to guess (an unclean election needs an explicit flag)");
        }
        String warning = "UNCLEAN election of broker " + ahead.brokerId() + " (" + ahead.address() + ", epoch "
                + ahead.lastEpoch() + ", offset " + ahead.maxOffset() + ") in " + g.group() + ": " + why.get()
                + "; acknowledged messages above offset " + ahead.maxOffset() + " held only by "
                + lostHolders(g) + " may be lost";
        return new ReseedDecision.Elect(g.group(), ahead, ids, epochFloor, warning);
    }

    /**
     * A survivor that was in the SyncStateSet and is the acting master at the highest epoch: kept master
     * rather than switching to a slave that reads as far (both are safe when every acknowledged message
     * is on every member of the set, but a switch costs the group a write outage for nothing), and
     * trusted over a replica outside the set that reads further at the same epoch (it holds only what
     * this master sent it).
     */
    private static Optional<ReplicaReport> actingMasterInSync(GroupEvidence g, ReplicaReport ahead) {
        if (g.before().isEmpty() || ahead.master()) {
            return Optional.empty();
        }
        return g.survivors().stream().filter(ReplicaReport::master)
                .filter(s -> g.before().get().inSync().contains(s.brokerId()))
                .filter(s -> s.lastEpoch() >= ahead.lastEpoch())
                .findFirst();
    }

    private static Optional<String> whyNotClean(GroupEvidence g, ReplicaReport ahead) {
        if (g.before().isPresent()) {
            KnownGroupState before = g.before().get();
            if (!before.inSync().contains(ahead.brokerId())) {
                boolean anyInSync = g.survivors().stream().anyMatch(s -> before.inSync().contains(s.brokerId()));
                return Optional.of(anyInSync
                        ? "in-sync survivor is behind broker " + ahead.brokerId() + " which was not in sync"
                        : "no survivor was in the SyncStateSet " + sorted(before.inSync()) + " when the zone went (survivors "
                                + g.survivors().stream().map(ReplicaReport::brokerId).sorted().toList() + ")");
            }
            // no check against the controller's old masterEpoch: measured on 5.1.4, a master's epoch
            // cache held epoch 1 while the controller was at 3 (re-elections of the same master)
            return Optional.empty();
        }
        if (ahead.master() && g.survivors().stream().filter(s -> s != ahead).noneMatch(s -> PROGRESS.compare(s, ahead) == 0 && s.master())) {
            return Optional.empty();
        }
        return Optional.of("no reading of the SyncStateSet before the loss, and survivor " + ahead.brokerId()
                + " was not the acting master: cannot tell whether it held every acknowledged message");
    }

    private static Map<Long, String> brokerIds(GroupEvidence g) {
        Map<Long, String> ids = new LinkedHashMap<>();
        g.before().ifPresent(b -> ids.putAll(b.brokerAddresses()));
        g.survivors().forEach(s -> ids.put(s.brokerId(), s.address()));
        return ids.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    private static String lostHolders(GroupEvidence g) {
        List<Long> survivors = g.survivors().stream().map(ReplicaReport::brokerId).toList();
        return g.before().map(b -> b.inSync().stream().filter(id -> !survivors.contains(id)).sorted()
                        .map(id -> id + "@" + b.brokerAddresses().getOrDefault(id, "?")).toList().toString())
                .orElse("the lost replicas");
    }

    private static List<Long> sorted(java.util.Set<Long> ids) {
        return ids.stream().sorted().toList();
    }
}
