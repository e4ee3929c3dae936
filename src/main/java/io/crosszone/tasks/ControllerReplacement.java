package io.crosszone.tasks;

import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.plan.OperatorNames;
import io.crosszone.plan.reseed.ControllerReseedPlan;
import io.crosszone.plan.reseed.GroupEvidence;
import io.crosszone.plan.reseed.KnownGroupState;
import io.crosszone.plan.reseed.ReplicaReport;
import io.crosszone.plan.reseed.ReseedDecision;
import io.crosszone.rocketmq.ControllerReseeder;
import io.crosszone.rocketmq.Replica;
import io.crosszone.rocketmq.SyncStateSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The controller on a volume that cannot follow it (a ReadWriteOnce claim on a zonal or local
 * disk): its claim is replaced so that it starts, empty, in a zone it may run in, and the empty
 * controller is re-seeded ({@link ControllerReseeder}) with each group's broker ids and, as master,
 * the survivor {@link ControllerReseedPlan} accepts: one that was in the SyncStateSet read before
 * (the backup of the controller's metadata that matters), never an unclean one.
 */
public final class ControllerReplacement {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);
    /**
     * How far above the SyncStateSet epoch read the controller is raised: the old controller may have
     * changed the set after the reading (a shrink as the zone went), and each change adds one.
     */
    public static final int SYNC_STATE_SET_EPOCH_MARGIN = 5;

    /** A group this repair re-seeded: its master, the other ids it knows (id -> address), the epoch to rise above. */
    public record Reseeded(String group, long master, String masterAddress, Map<Long, String> others, int syncStateSetEpochFloor) {
    }

    private final KubernetesGateway k8s;
    private final String ns;
    private final String zoneKey;

    public ControllerReplacement(KubernetesGateway k8s, String ns, String zoneKey) {
        this.k8s = k8s;
        this.ns = ns;
        this.zoneKey = zoneKey;
    }

    /** The pod's claims whose volume can be attached in none of {@code zones}. */
    public List<String> strandedClaims(String pod, Set<String> zones) {
        return k8s.boundClaims(ns, pod, k8s.nodes(), zoneKey).stream()
                .filter(c -> c.zones().stream().noneMatch(zones::contains)).map(KubernetesGateway.BoundClaim::claim).toList();
    }

    /**
     * Restarts each re-seeded master once. A 5.1.4 broker keeps the highest SyncStateSet epoch it has
     * seen and takes a set only with a higher one; the re-seeded controller starts again from 1, so each
     * master it made keeps the set it knew and, when its replica went silent (not when it crashed),
     * waits for it: no writes until the zone is back (measured: ~59 s in a lab partition, until the
     * restore). A new process starts at 0 and takes the controller's set {master}: each re-seeded
     * master's pod is deleted once (a graceful delete; its volume stays, so it comes back with its
     * data, registers and is master again). Used by the drill's repair and by reseed-controller.
     *
     * @param podAt the pod (name) whose IP is an address's host
     * @return group -> the pod restarted
     */
    public Map<String, String> restartMasters(List<Reseeded> groups, java.util.function.Function<String, Optional<String>> podAt) {
        Map<String, String> restarted = new LinkedHashMap<>();
        for (Reseeded g : List.copyOf(groups)) {
            podAt.apply(g.masterAddress()).filter(pod -> k8s.deletePod(ns, pod)).ifPresent(pod -> restarted.put(g.group(), pod));
        }
        return restarted;
    }

    /** Deletes the claims, then the pod: its StatefulSet makes both again, the claim bound where the pod lands. */
    public void replace(String pod, List<String> claims) {
        claims.forEach(c -> k8s.deletePvc(ns, c));
        k8s.forceDeletePod(ns, pod);
    }

    /**
     * Re-seeds an empty controller from {@code before} (each group as read before the loss). Survivors
     * are the replicas {@code surviving} accepts; each is asked for its epoch and offset. Returns one
     * line per group; a group the plan refuses is named in {@code refused} and left alone.
     */
    public List<String> reseed(List<String> controllers, String cluster, Map<String, SyncStateSet> before,
                        Predicate<String> surviving, List<String> refused, List<Reseeded> reseeded) {
        try (ControllerReseeder reseeder = new ControllerReseeder(controllers, CALL_TIMEOUT)) {
            return execute(reseeder, cluster, before, decide(reseeder, before, surviving, refused, false), refused, reseeded);
        }
    }

    /**
     * What {@link ControllerReseedPlan} decides for each group of {@code before}, from what each survivor
     * says now (epoch and offset; read-only). {@code allowUnclean}: a group with no clean choice gets its
     * most advanced survivor, with a warning naming what may be lost.
     */
    public static List<ReseedDecision> decide(ControllerReseeder reseeder, Map<String, SyncStateSet> before,
                                              Predicate<String> surviving, List<String> problems, boolean allowUnclean) {
        List<GroupEvidence> evidence = new ArrayList<>();
        for (SyncStateSet s : before.values()) {
            evidence.add(evidence(reseeder, s, surviving, problems));
        }
        return ControllerReseedPlan.decide(evidence, allowUnclean);
    }

    /** Carries out {@code decisions}; returns one line per group elected, the refused ones in {@code refused}. */
    public static List<String> execute(ControllerReseeder reseeder, String cluster, Map<String, SyncStateSet> before,
                                       List<ReseedDecision> decisions, List<String> refused, List<Reseeded> reseeded) {
        List<String> lines = new ArrayList<>();
        for (ReseedDecision d : decisions) {
            if (d instanceof ReseedDecision.Refuse r) {
                refused.add(r.group() + ": " + r.reason());
                continue;
            }
            ReseedDecision.Elect e = (ReseedDecision.Elect) d;
            try {
                ControllerReseeder.Outcome out = reseeder.execute(cluster, e);
                Map<Long, String> others = new LinkedHashMap<>(e.brokerIds());
                others.remove(out.masterBrokerId());
                reseeded.add(new Reseeded(e.group(), out.masterBrokerId(), out.masterAddress(), others,
                        before.get(e.group()).syncStateSetEpoch() + SYNC_STATE_SET_EPOCH_MARGIN));
                lines.add(e.group() + ": broker " + out.masterBrokerId() + " (" + out.masterAddress() + ") master at epoch "
                        + out.masterEpoch() + (out.epochBarrierMet() ? "" : " (NOT above the survivors' epoch " + e.epochFloor() + ")")
                        + "; ids " + e.brokerIds().keySet() + (e.unclean() ? "; " + e.warning() : ""));
            } catch (RuntimeException x) {
                refused.add(e.group() + ": re-seeding failed: " + x.getMessage());
            }
        }
        return lines;
    }

    private static GroupEvidence evidence(ControllerReseeder reseeder, SyncStateSet s, Predicate<String> surviving,
                                          List<String> problems) {
        Map<Long, String> ids = idsToSeed(s);
        List<ReplicaReport> survivors = new ArrayList<>();
        for (Map.Entry<Long, String> id : ids.entrySet()) {
            if (!surviving.test(id.getValue())) {
                continue;
            }
            try {
                survivors.add(reseeder.report(id.getValue(), id.getKey(), id.getValue().equals(s.masterAddress())));
            } catch (RuntimeException e) {
                problems.add(s.group() + ": survivor " + id.getValue() + " did not answer (" + e.getMessage() + ")");
            }
        }
        Set<Long> inSync = s.inSync().stream().map(Replica::brokerId).collect(Collectors.toSet());
        return new GroupEvidence(s.group(), survivors, Optional.of(new KnownGroupState(ids, inSync, s.masterEpoch())));
    }

    /**
     * The ids (to addresses) an empty controller is given for a group: every id listed, except one left
     * behind by a broker that registered again under a new id (its volume was replaced): not alive, not
     * in sync, at an address a live or in-sync id holds. Re-seeded, it would make one address stand for
     * two replicas.
     */
    public static Map<Long, String> idsToSeed(SyncStateSet s) {
        Map<Long, String> ids = new LinkedHashMap<>();
        s.inSync().forEach(r -> ids.put(r.brokerId(), r.address()));
        Set<String> used = s.inSync().stream().map(Replica::address).collect(Collectors.toSet());
        s.notInSync().stream().filter(Replica::alive).forEach(r -> used.add(r.address()));
        s.notInSync().stream().filter(r -> r.alive() || !used.contains(r.address())).forEach(r -> ids.put(r.brokerId(), r.address()));
        return ids;
    }

    /**
     * Once the replicas lost with the zone are back: for each re-seeded group, waits until one of them
     * is alive and has caught up with the master (its log reaches the master's end as read just
     * before), then raises the group's SyncStateSet epoch above what the master knows, the set left as
     * {master} ({@link ControllerReseeder#raiseSyncStateSetEpoch}); without that the master can never take a
     * replica back into its set, with it the master adds the replica itself. Returns a line per group;
     * a group that did not get there is in {@code problems}.
     */
    public List<String> realign(List<String> controllers, List<Reseeded> groups, Duration timeout, List<String> problems)
            throws InterruptedException {
        List<String> lines = new ArrayList<>();
        if (groups.isEmpty()) {
            return lines;
        }
        try (ControllerReseeder reseeder = new ControllerReseeder(controllers, CALL_TIMEOUT)) {
            for (Reseeded g : groups) {
                long until = System.nanoTime() + timeout.toNanos();
                String last = "no replica of " + g.others().keySet() + " answered";
                boolean done = false;
                while (!done && System.nanoTime() < until) {
                    for (Map.Entry<Long, String> member : g.others().entrySet()) {
                        try {
                            long masterEnd = reseeder.report(g.masterAddress(), g.master(), true).maxOffset();
                            long memberEnd = reseeder.report(member.getValue(), member.getKey(), false).maxOffset();
                            if (memberEnd < masterEnd) {
                                last = "broker " + member.getKey() + " at offset " + memberEnd + ", the master at " + masterEnd;
                                continue;
                            }
                            int epoch = reseeder.raiseSyncStateSetEpoch(g.group(), member.getKey(), g.syncStateSetEpochFloor());
                            lines.add(g.group() + ": broker " + member.getKey() + " caught up; SyncStateSet epoch raised to " + epoch
                                    + " (above " + g.syncStateSetEpochFloor() + "), the master adds it back itself");
                            done = true;
                            break;
                        } catch (RuntimeException e) {
                            last = e.getMessage();
                        }
                    }
                    if (!done) {
                        Thread.sleep(1_000);
                    }
                }
                if (!done) {
                    problems.add(g.group() + ": no lost replica rejoined within " + timeout + " (" + last + ")");
                }
            }
        }
        return lines;
    }

    /** The controller addresses of these pod IPs. */
    public static List<String> addresses(List<String> podIps) {
        return podIps.stream().filter(a -> a != null).map(ip -> ip + ":" + OperatorNames.CONTROLLER_PORT).toList();
    }
}
