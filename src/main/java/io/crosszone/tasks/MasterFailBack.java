package io.crosszone.tasks;

import io.crosszone.core.Progress;
import io.crosszone.core.TimeSource;
import io.crosszone.core.Waiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Moves each group's master back to its planned replica (replica 0, the one the planner puts in
 * the group's master zone) after restarts or a drill let failover put it elsewhere. Used by
 * apply-affinity at the end of its rollout and by verify-distribution --rebalance-masters.
 *
 * <p>One group at a time, and only where it is safe: the group fully in sync and the planned
 * replica alive in its SyncStateSet (electing it then is a planned switchover, nothing
 * acknowledged is lost). After each election it waits until the name server lists the new
 * master and the SyncStateSet is full again (the old master, now a slave, back in it) before
 * the next group: a group whose other replica is still catching up could not fail over.
 * A group that is not safe to move is left as it is and said so ({@link NotMoved}): the caller
 * decides what that means for its verdict.
 */
public final class MasterFailBack {

    /**
     * What fail-back asks of RocketMQ, a group named by its brokerName {@code <cr>-<g>}, a replica
     * by the index {@code i} of its StatefulSet {@code <cr>-<g>-<i>}. Throwing means "cannot tell
     * now" (or, for {@link #electReplica}, "the controller refused").
     */
    public interface Replicas {
        /** The replica index of the group's master as the controller says; empty when it has none. */
        Optional<Integer> masterReplica(String group) throws Exception;

        /** The replica the name server lists as the group's master (BID 0): what clients are routed to. */
        Optional<Integer> listedMasterReplica(String group) throws Exception;

        /** True when this replica is in the group's SyncStateSet and alive. */
        boolean inSyncAndAlive(String group, int replica) throws Exception;

        /** True when the group has a master and all {@code replicas} brokers are in its SyncStateSet and alive. */
        boolean fullyInSync(String group, int replicas) throws Exception;

        /** electMaster: makes this replica the group's master (a planned switchover). */
        void electReplica(String group, int replica) throws Exception;

        /** A short account of the group for progress lines, e.g. its SyncStateSet. */
        default String describe(String group) {
            return "";
        }

        /**
         * The replicas of {@code group} that run (a Ready pod) outside its SyncStateSet while its master
         * has fewer replication connections than running slaves and none from their IP: not catching up,
         * but replicating from elsewhere or not at all. Seen on 5.1.4 when a slave's master moved and the old master's address (IP and HA
         * port) came back as another broker: the slave reconnected there and replicates from a slave,
         * so its group never fills again. A restart makes it ask the controller for its master afresh.
         */
        default List<Integer> replicasNotReplicating(String group, int replicas) throws Exception {
            return List.of();
        }

        /**
         * The topics the group's master has and a slave lacks, named with the slave; empty when every slave
         * holds them. A slave copies its master's topics (and consumer offsets) every 10 s; a slave promoted
         * before that (a broker that restarted on an empty volume) serves none of the missing topics: their
         * producers fail and what was written to them cannot be read through it (measured: a rollout probe's
         * 390 acknowledged messages unreadable, its sends failing for 59 s).
         */
        default List<String> topicsMissingOnSlaves(String group) throws Exception {
            return List.of();
        }

        /** Restarts a replica's broker: its pod deleted, its StatefulSet makes it again (its volume stays). */
        default void restartReplica(String group, int replica) throws Exception {
            throw new UnsupportedOperationException("this view of the groups cannot restart a broker");
        }
    }

    /**
     * One election as measured from the call: {@code listedSeconds} until the name server listed the
     * new master, {@code seconds} until that and a full SyncStateSet (the old master caught up).
     */
    public record Election(String group, int from, int to, double listedSeconds, double seconds) {
    }

    /** A group whose master is not the planned replica and was left there, and why. */
    public record NotMoved(String group, Integer master, int planned, String reason) {
    }

    /** A group whose master would be failed back now (a dry run's view). */
    public record Pending(String group, int master, int planned, boolean safe, String note) {
    }

    /** What a fail-back did. */
    public record Outcome(List<Election> elections, List<NotMoved> notMoved) {
        public Outcome {
            elections = List.copyOf(elections);
            notMoved = List.copyOf(notMoved);
        }
    }

    /** An election was made but the group did not settle in time: the cluster is in flux. */
    public static final class TimedOut extends Exception {
        public final String group;
        public final Outcome sofar;

        TimedOut(String group, String message, Outcome sofar) {
            super(message);
            this.group = group;
            this.sofar = sofar;
        }
    }

    /** The planned master of a group unless told otherwise ({@link #withPlannedMasters}): replica 0. */
    public static final int PLANNED_REPLICA = 0;

    private final Replicas replicas;
    private final int groupSize;
    private final Progress progress;
    private final Duration timeout;
    private final Waiter waiter;
    private Map<String, Integer> plannedMasters = Map.of();

    /**
     * @param groupSize replicas per group (a full SyncStateSet)
     * @param timeout   how long one group may take to settle after its election
     */
    public MasterFailBack(Replicas replicas, int groupSize, Progress progress, Duration timeout, Duration poll) {
        this(replicas, groupSize, progress, timeout, poll, TimeSource.SYSTEM);
    }

    public MasterFailBack(Replicas replicas, int groupSize, Progress progress, Duration timeout, Duration poll,
                          TimeSource time) {
        this.replicas = replicas;
        this.groupSize = groupSize;
        this.progress = progress;
        this.timeout = timeout;
        this.waiter = new Waiter(progress, poll, time);
    }

    /**
     * Each group's planned master replica by brokerName, where it is not replica 0: the plan keeps a
     * group whose members already run in its zones, the other way round, where it runs
     * ({@link io.crosszone.plan.PlacementPlan#keepingMembersWhereTheyRun}).
     */
    public MasterFailBack withPlannedMasters(Map<String, Integer> plannedMasters) {
        this.plannedMasters = Map.copyOf(plannedMasters);
        return this;
    }

    private int planned(String group) {
        return plannedMasters.getOrDefault(group, PLANNED_REPLICA);
    }

    /** The groups whose master is not the planned replica now, and whether electing it would be safe. Asks, never writes. */
    public List<Pending> pending(List<String> groups) {
        List<Pending> out = new ArrayList<>();
        for (String group : groups) {
            try {
                Optional<Integer> master = replicas.masterReplica(group);
                if (master.isPresent() && master.get() != planned(group)) {
                    String unsafe = unsafe(group);
                    out.add(new Pending(group, master.get(), planned(group), unsafe == null, unsafe));
                }
            } catch (Exception e) {
                out.add(new Pending(group, -1, planned(group), false, "RocketMQ cannot tell its master now (" + e.getMessage() + ")"));
            }
        }
        return out;
    }

    /** Fails back every group that needs it and safely can, in the order given. */
    public Outcome run(List<String> groups) throws InterruptedException, TimedOut {
        List<Election> elections = new ArrayList<>();
        List<NotMoved> notMoved = new ArrayList<>();
        for (String group : groups) {
            Optional<Integer> master;
            try {
                master = replicas.masterReplica(group);
            } catch (Exception e) {
                notMoved.add(new NotMoved(group, null, planned(group), "RocketMQ cannot tell its master now (" + e.getMessage() + ")"));
                continue;
            }
            if (master.isEmpty()) {
                notMoved.add(new NotMoved(group, null, planned(group), "it has no master now"));
                continue;
            }
            int from = master.get();
            if (from == planned(group)) {
                continue;
            }
            String unsafe = unsafe(group);
            if (unsafe != null && unsafe.startsWith(LACKS_TOPICS)) {
                unsafe = afterTopicCopy(group);
            }
            if (unsafe != null) {
                progress.warn(group + ": master is replica " + from + ", planned replica " + planned(group) + ": not moved, " + unsafe);
                notMoved.add(new NotMoved(group, from, planned(group), unsafe));
                continue;
            }
            progress.info(group + ": electing replica " + planned(group) + " (planned master) instead of replica " + from);
            long start = waiter.time().nanoTime();
            try {
                replicas.electReplica(group, planned(group));
            } catch (Exception e) {
                progress.warn(group + ": the controller did not elect replica " + planned(group) + ": " + e.getMessage());
                notMoved.add(new NotMoved(group, from, planned(group), "the controller refused the election (" + e.getMessage() + ")"));
                continue;
            }
            long[] listedAt = {0};
            String last = awaitSettled(group, listedAt);
            if (last != null) {
                throw new TimedOut(group, group + ": replica " + planned(group) + " was elected but after " + timeout + " " + last,
                        new Outcome(elections, notMoved));
            }
            Election e = new Election(group, from, planned(group), seconds(start, listedAt[0]), seconds(start, waiter.time().nanoTime()));
            progress.info(group + ": replica " + planned(group) + " is master, listed after " + e.listedSeconds()
                    + " s, SyncStateSet full after " + e.seconds() + " s");
            elections.add(e);
        }
        return new Outcome(elections, notMoved);
    }

    private static final String LACKS_TOPICS = "a slave lacks topics its master has";
    /** A slave copies its master's topics every 10 s: a topic made just now (a reader's retry topic) is waited for this long. */
    private static final Duration TOPIC_COPY_WAIT = Duration.ofSeconds(30);

    /** {@link #unsafe} again once the slaves have copied their master's topics, or what stands at the wait's end. */
    private String afterTopicCopy(String group) throws InterruptedException {
        String[] last = {null};
        try {
            waiter.until(group + ": ", TOPIC_COPY_WAIT, () -> {
                last[0] = unsafe(group);
                return last[0] == null || !last[0].startsWith(LACKS_TOPICS) ? Waiter.Status.done("its slaves hold the master's topics")
                        : Waiter.Status.waiting("waiting for its slaves to copy the master's topics: " + last[0]);
            });
        } catch (Waiter.TimedOut t) {
            // last[0] says what is still missing
        }
        return last[0];
    }

    /** Null when electing the planned replica is safe now, else why not. */
    private String unsafe(String group) {
        try {
            if (!replicas.inSyncAndAlive(group, planned(group))) {
                return "the planned master (replica " + planned(group) + ") is not alive in the SyncStateSet: "
                        + replicas.describe(group);
            }
            if (!replicas.fullyInSync(group, groupSize)) {
                return "the group is not fully in sync: " + replicas.describe(group);
            }
            List<String> missing;
            try {
                missing = replicas.topicsMissingOnSlaves(group);
            } catch (Exception e) {
                missing = List.of("the master did not say which topics it has (" + e.getMessage() + ")");
            }
            if (!missing.isEmpty()) {
                return LACKS_TOPICS + " (RocketMQ copies them every 10 s; elected now it would not serve them): "
                        + String.join("; ", missing);
            }
            return null;
        } catch (Exception e) {
            return "RocketMQ cannot tell whether it is in sync (" + e.getMessage() + ")";
        }
    }

    /**
     * Null once the name server lists the planned replica and the SyncStateSet is full; else what was
     * seen last at the timeout. {@code listedAt[0]}: when the listing was first seen (nanoTime).
     */
    private String awaitSettled(String group, long[] listedAt) throws InterruptedException {
        StrayReplicas stray = new StrayReplicas(replicas, groupSize, waiter.time(), progress, (pod, why) -> { });
        try {
            waiter.until(group + ": ", timeout, () -> {
                try {
                    Optional<Integer> listed = replicas.listedMasterReplica(group);
                    boolean isListed = listed.isPresent() && listed.get() == planned(group);
                    if (isListed && listedAt[0] == 0) {
                        listedAt[0] = waiter.time().nanoTime();
                    }
                    boolean full = replicas.fullyInSync(group, groupSize);
                    stray.look(group, full);
                    String now = "the name server lists " + listed.map(r -> "replica " + r).orElse("no master") + " as master, "
                            + (full ? "SyncStateSet full" : "SyncStateSet not full: " + replicas.describe(group));
                    return isListed && full ? Waiter.Status.done("settled: " + now) : Waiter.Status.waiting("waiting: " + now);
                } catch (Exception e) {
                    return Waiter.Status.waiting("waiting: RocketMQ cannot tell yet (" + e.getMessage() + ")");
                }
            });
            return null;
        } catch (Waiter.TimedOut t) {
            return t.last;
        }
    }

    private static double seconds(long startNanos, long endNanos) {
        return Math.round((endNanos - startNanos) / 1e8) / 10.0;
    }
}
