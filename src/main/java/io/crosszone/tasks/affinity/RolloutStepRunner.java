package io.crosszone.tasks.affinity;

import io.crosszone.core.Progress;
import io.crosszone.core.RuntimeFailure;
import io.crosszone.core.Waiter;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.plan.rollout.RolloutStep;
import io.crosszone.plan.rollout.RolloutStep.Restart;
import io.crosszone.report.Change;
import io.crosszone.report.TaskReport;
import io.crosszone.tasks.GroupHealth;
import io.crosszone.tasks.StrayReplicas;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs one step of a broker rollout plan: every touched group fully in sync; a master about to go
 * down hands its role to an in-sync slave first (a planned switch, asked of RocketMQ again now,
 * since masters move); the step's brokers restarted together (a patched template, or a deleted
 * pod); each new pod scheduled and Ready; every touched group fully in sync again.
 *
 * <p>In a swap, a broker whose group still has a member in the zone it leaves cannot come back
 * there (required zone separation), so it goes first; a broker that could come back to its own
 * freed node is deleted only once the others' old pods are gone, when its planned zone has the
 * node they left. Where it lands anyway outside its planned zone (a scheduler free to choose), the
 * step says so and the rollout's next round moves it.
 */
final class RolloutStepRunner {
    /** Triggers the restart of one broker: patch its StatefulSet, or delete its pod. */
    interface Trigger {
        void restart(String statefulSet);

        /** True when the operator reverted this broker's patch while its pod rolled. */
        boolean reverted(String statefulSet);
    }

    /** A planned switch made before a master went down. */
    record Switch(String group, int from, int to, String before, double seconds) {
    }

    private final KubernetesGateway k8s;
    private final Progress progress;
    private final Waiter waiter;
    private final Duration timeout;
    private final String ns;
    private final String zoneKey;
    private final int groupSize;
    private final TaskReport report;
    final List<Switch> switches = new ArrayList<>();

    RolloutStepRunner(KubernetesGateway k8s, Progress progress, Waiter waiter, Duration timeout, String ns, String zoneKey,
                      int groupSize, TaskReport report) {
        this.k8s = k8s;
        this.progress = progress;
        this.waiter = waiter;
        this.timeout = timeout;
        this.ns = ns;
        this.zoneKey = zoneKey;
        this.groupSize = groupSize;
        this.report = report;
    }

    /** What a step did: the restarts as measured, and whether the operator reverted a patch (the rollout stops). */
    record Outcome(List<ApplyAffinityTask.Restart> restarts, boolean reverted, List<String> misplaced) {
    }

    /**
     * @param partnersIn for a broker, the zones where other members of its group run now
     */
    Outcome run(RolloutStep step, GroupHealth health, Trigger trigger, java.util.function.Function<String, Set<String>> partnersIn)
            throws InterruptedException, Waiter.TimedOut {
        String prefix = "step " + step.number() + " (" + String.join(" + ", step.brokers()) + "): ";
        Set<String> groups = new LinkedHashSet<>();
        step.restarts().forEach(r -> groups.add(r.group()));
        StrayReplicas strayBefore = new StrayReplicas(health, groupSize, waiter.time(), progress,
                (pod, why) -> report.change(new Change("restart", "Pod", ns, pod, why)));
        waiter.until(prefix, timeout, () -> inSync(health, groups, "before the step", strayBefore));
        for (Restart r : step.restarts()) {
            handoff(prefix, r, health);
        }
        List<Restart> first = new ArrayList<>();
        List<Restart> last = new ArrayList<>();
        for (Restart r : step.restarts()) {
            boolean cannotReturn = !r.moves() || r.fromZone() == null || partnersIn.apply(r.broker()).contains(r.fromZone());
            (cannotReturn ? first : last).add(r);
        }
        if (first.isEmpty()) {
            first.add(last.remove(0)); // a cycle where every broker could come back: one has to go first
        }
        Map<String, PodRoll> rolls = new LinkedHashMap<>();
        step.restarts().forEach(r -> rolls.put(r.broker(), new PodRoll(k8s, ns, r.broker(), 1, zoneKey)));
        long start = System.nanoTime();
        if (step.swap()) {
            progress.info(prefix + step.reason());
        }
        first.forEach(r -> trigger.restart(r.broker()));
        if (!last.isEmpty()) {
            waiter.until(prefix, timeout, () -> oldPodsGone(first, rolls));
            last.forEach(r -> trigger.restart(r.broker()));
        }
        boolean[] reverted = {false};
        waiter.until(prefix, timeout, () -> {
            for (Restart r : step.restarts()) {
                if (trigger.reverted(r.broker())) {
                    reverted[0] = true;
                    return Waiter.Status.done("the operator reverted the patch of " + r.broker());
                }
            }
            return all(rolls.values().stream().map(PodRoll::replaced).toList());
        });
        if (reverted[0]) {
            return new Outcome(List.of(), true, List.of());
        }
        StrayReplicas stray = new StrayReplicas(health, groupSize, waiter.time(), progress,
                (pod, why) -> report.change(new Change("restart", "Pod", ns, pod, why)));
        waiter.until(prefix, timeout, () -> inSync(health, groups, "again", stray));
        double seconds = Math.round((System.nanoTime() - start) / 1e8) / 10.0;
        List<ApplyAffinityTask.Restart> restarts = new ArrayList<>();
        List<String> misplaced = new ArrayList<>();
        for (Restart r : step.restarts()) {
            String[] at = rolls.get(r.broker()).placement(0);
            String role = role(r) + (step.swap() ? ", swap step " + step.number() : "");
            restarts.add(new ApplyAffinityTask.Restart(r.broker(), role, seconds, at[0], at[1], r.toZone()));
            report.change(new Change("restart", "StatefulSet", ns, r.broker(), role + ", " + seconds + " s, now on " + at[0]
                    + " (" + at[1] + ")" + (r.moves() ? ", moved from " + r.fromZone() : "")));
            if (!r.toZone().equals(at[1])) {
                misplaced.add(r.broker() + " landed in " + at[1] + ", planned " + r.toZone());
            }
        }
        if (!misplaced.isEmpty()) {
            progress.warn(prefix + String.join("; ", misplaced) + ": the scheduler chose another free node; moved in the next round");
        }
        return new Outcome(restarts, false, misplaced);
    }

    /**
     * The broker's group master role, asked of RocketMQ now: if it is this broker, elect the
     * plan's in-sync slave (or another in-sync member) first and wait until clients are routed to
     * it. Only when none is in sync does the controller fail over when it goes down (said so).
     */
    private void handoff(String prefix, Restart r, GroupHealth health) throws InterruptedException, Waiter.TimedOut {
        int replica = replicaOf(r.broker());
        Optional<Integer> master = Ask.quietly(() -> health.masterReplica(r.group())).flatMap(m -> m);
        if (master.isEmpty() || master.get() != replica) {
            return;
        }
        List<Integer> candidates = new ArrayList<>();
        if (r.handoff().elected() != null) {
            candidates.add(replicaOf(r.handoff().elected()));
        }
        for (int i = 0; i < groupSize; i++) {
            if (i != replica && !candidates.contains(i)) {
                candidates.add(i);
            }
        }
        for (int to : candidates) {
            if (!Ask.quietly(() -> health.inSyncAndAlive(r.group(), to)).orElse(false)) {
                continue;
            }
            long start = System.nanoTime();
            try {
                health.electReplica(r.group(), to);
            } catch (Exception e) {
                progress.warn(prefix + "electing replica " + to + " of " + r.group() + " was refused (" + e.getMessage() + ")");
                continue;
            }
            progress.info(prefix + "planned switch: " + r.group() + " master replica " + replica + " -> " + to + " before "
                    + r.broker() + " goes down");
            // clients are routed to it once the name server lists it; the old master (now a slave, about to
            // go down) need not be back in the SyncStateSet: the step waits for the full set after the restart
            waiter.until(prefix, timeout, () -> {
                Optional<Integer> listed = Ask.quietly(() -> health.listedMasterReplica(r.group())).flatMap(m -> m);
                return listed.isPresent() && listed.get() == to
                        ? Waiter.Status.done(r.group() + " master is replica " + to + ", listed by the name server")
                        : Waiter.Status.waiting("waiting for the name server to list replica " + to + " as master of "
                        + r.group() + ": " + health.describe(r.group()));
            });
            double seconds = Math.round((System.nanoTime() - start) / 1e8) / 10.0;
            switches.add(new Switch(r.group(), replica, to, r.broker(), seconds));
            report.change(new Change("elect", "BrokerGroup", ns, r.group(), "planned switch, master replica " + replica
                    + " -> " + to + " before restarting " + r.broker() + ", " + seconds + " s"));
            return;
        }
        report.warn(r.broker() + " is the master of " + r.group() + " and no other member is in sync and electable now:"
                + " restarted without a planned switch, the controller fails over when it goes down");
    }

    private Waiter.Status inSync(GroupHealth health, Set<String> groups, String when, StrayReplicas stray) {
        List<String> notYet = new ArrayList<>();
        for (String g : groups) {
            try {
                boolean full = health.fullyInSync(g, groupSize);
                stray.look(g, full);
                List<String> missing = full ? health.topicsMissingOnSlaves(g) : List.of();
                if (!full) {
                    notYet.add(g + " " + health.describe(g));
                } else if (!missing.isEmpty()) {
                    // a slave elected before it has its master's topics would not serve them (RocketMQ copies them every 10 s)
                    notYet.add(g + " (its slaves to hold the master's topics: " + String.join("; ", missing) + ")");
                }
            } catch (Exception e) {
                notYet.add(g + " (RocketMQ cannot tell yet: " + e.getMessage() + ")");
            }
        }
        return notYet.isEmpty() ? Waiter.Status.done(groups + " fully in sync " + when)
                : Waiter.Status.waiting("waiting for " + String.join(", ", notYet) + " to be fully in sync " + when);
    }

    private static Waiter.Status oldPodsGone(List<Restart> first, Map<String, PodRoll> rolls) {
        List<String> waiting = new ArrayList<>();
        for (Restart r : first) {
            Waiter.Status s = rolls.get(r.broker()).replaced();
            if (!s.done() && (s.text().contains("old pod") || s.text().contains("to be created"))) {
                waiting.add(s.text());
            }
        }
        return waiting.isEmpty() ? Waiter.Status.done("the first brokers' old pods are gone")
                : Waiter.Status.waiting(String.join("; ", waiting) + " (before the rest of the swap)");
    }

    private static Waiter.Status all(List<Waiter.Status> each) {
        List<String> waiting = each.stream().filter(s -> !s.done()).map(Waiter.Status::text).toList();
        return waiting.isEmpty() ? Waiter.Status.done(String.join("; ", each.stream().map(Waiter.Status::text).toList()))
                : Waiter.Status.waiting(String.join("; ", waiting));
    }

    static String role(Restart r) {
        return switch (r.role()) {
            case MASTER -> "master";
            case SLAVE -> "slave";
            case UNKNOWN -> "master not known";
        };
    }

    static int replicaOf(String statefulSet) {
        return Integer.parseInt(statefulSet.substring(statefulSet.lastIndexOf('-') + 1));
    }
}
