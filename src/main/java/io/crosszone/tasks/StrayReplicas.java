package io.crosszone.tasks;

import io.crosszone.core.Progress;
import io.crosszone.core.TimeSource;
import io.crosszone.plan.OperatorNames;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * While a task waits for a group's SyncStateSet to fill: a replica that runs outside the set for
 * {@link #GRACE} while its master has fewer replication connections than the group has running
 * slaves, and none from the replica's IP ({@link MasterFailBack.Replicas#replicasNotReplicating}),
 * is restarted, once, so that it asks the controller for its master afresh. What an SRE does by
 * hand when 5.1.4 leaves a slave replicating from a broker that took its old master's address (a
 * 3-zone lab rollout waited 5 min on it). The count comes first because connections may reach the
 * master from a shared address (a node's or a NAT's, as in the lab): a slave merely catching up is
 * connected and is left alone.
 */
public final class StrayReplicas {
    public static final Duration GRACE = Duration.ofSeconds(30);

    private final MasterFailBack.Replicas replicas;
    private final int groupSize;
    private final TimeSource time;
    private final Progress progress;
    private final BiConsumer<String, String> restarted;
    private final Map<String, Long> notFullSince = new HashMap<>();
    private final Set<String> done = new HashSet<>();

    /** @param restarted told, per restart, the pod and why (for the task's report) */
    public StrayReplicas(MasterFailBack.Replicas replicas, int groupSize, TimeSource time, Progress progress,
                         BiConsumer<String, String> restarted) {
        this.replicas = replicas;
        this.groupSize = groupSize;
        this.time = time;
        this.progress = progress;
        this.restarted = restarted;
    }

    /** One look at a group while waiting for it to be full, asking whether it is. */
    public void look(String group) {
        boolean full;
        try {
            full = replicas.fullyInSync(group, groupSize);
        } catch (Exception e) {
            return; // cannot tell now
        }
        look(group, full);
    }

    /** One look at a group while waiting for it to be full: {@code full} is what the wait just saw. */
    public void look(String group, boolean full) {
        if (full) {
            notFullSince.remove(group);
            return;
        }
        long now = time.nanoTime();
        long since = notFullSince.computeIfAbsent(group, g -> now);
        if (now - since < GRACE.toNanos()) {
            return;
        }
        try {
            List<Integer> stray = replicas.replicasNotReplicating(group, groupSize);
            for (int replica : stray) {
                String pod = OperatorNames.podOf(group + "-" + replica);
                if (done.add(pod)) {
                    String why = pod + " has run outside the SyncStateSet of " + group + " for " + GRACE.toSeconds()
                            + " s with no replication connection from its master: restarted so that it finds its master"
                            + " again (" + replicas.describe(group) + ")";
                    progress.warn(why);
                    replicas.restartReplica(group, replica);
                    restarted.accept(pod, why);
                }
            }
        } catch (Exception e) {
            // cannot tell now: the wait goes on and asks again
        }
    }
}
