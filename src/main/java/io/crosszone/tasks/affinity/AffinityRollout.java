package io.crosszone.tasks.affinity;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.core.Progress;
import io.crosszone.core.RuntimeFailure;
import io.crosszone.core.Waiter;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.k8s.RocketMqKind;
import io.crosszone.plan.OperatorNames;
import io.crosszone.plan.PlacementPlan;
import io.crosszone.plan.rollout.RolloutPlan;
import io.crosszone.plan.rollout.RolloutStep;
import io.crosszone.report.Change;
import io.crosszone.report.TaskReport;
import io.crosszone.rocketmq.ControllerReseeder;
import io.crosszone.rocketmq.RocketMqException;
import io.crosszone.rocketmq.SyncStateSet;
import io.crosszone.tasks.ControllerReplacement;
import io.crosszone.tasks.GroupHealth;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * apply-affinity's acting part: the name server's and the controller's workload patch and restart,
 * then the brokers in the steps of {@link RolloutPlanning}'s plan (a single restart or a swap set,
 * each run by {@link RolloutStepRunner} and waiting until its groups are in sync again), the
 * fail-back of the masters, and the watch for an operator that reverts a patch. Keeps what it did
 * for the report.
 */
final class AffinityRollout {
    private final KubernetesGateway k8s;
    private final Progress progress;
    private final GroupHealth.Factory healthFactory;
    private final CrosszoneConfig config;
    private final PlacementPlan plan;
    final ApplyAffinityTask.Options o;
    private final TaskReport report;
    private final FailBackStep failBack;
    private final Waiter waiter;
    private final String ns;
    final List<ApplyAffinityTask.Restart> restarts = new ArrayList<>();
    final List<String> reverted = new ArrayList<>();
    /** old controller ids of brokers whose claim a step replaced, forgotten once the rollout is done */
    private final RetiredBrokerIds retiredIds;
    boolean wrote;

    AffinityRollout(KubernetesGateway k8s, Progress progress, GroupHealth.Factory healthFactory, CrosszoneConfig config,
                    PlacementPlan plan, ApplyAffinityTask.Options o, TaskReport report, FailBackStep failBack) {
        this.k8s = k8s;
        this.progress = progress;
        this.healthFactory = healthFactory;
        this.config = config;
        this.plan = plan;
        this.o = o;
        this.report = report;
        this.failBack = failBack;
        this.waiter = new Waiter(progress, o.pollInterval());
        this.ns = config.getNamespace();
        this.retiredIds = new RetiredBrokerIds(config.getResources().getBroker());
    }

    void patch(ObjectChange c, List<Map<String, Object>> patch, String detail) {
        report.change(new Change("patch", c.target().kind(), ns, c.name(), detail));
        progress.info("patching " + c.describe() + ": " + detail);
        if (c.target().statefulSet()) {
            k8s.jsonPatchStatefulSet(ns, c.name(), patch);
        } else {
            RocketMqKind kind = switch (c.target()) {
                case NAME_SERVICE_CR -> RocketMqKind.NAME_SERVICE;
                case CONTROLLER_CR -> RocketMqKind.CONTROLLER;
                default -> RocketMqKind.BROKER;
            };
            k8s.jsonPatchCr(kind, ns, c.name(), patch);
        }
        wrote = true;
    }

    /** A name server or controller: its CR, then its StatefulSet, rolled unless held. */
    void workload(ObjectChange cr, ObjectChange sts, StatefulSet current, String holdReason, String what)
            throws InterruptedException {
        if (cr.changes()) {
            patch(cr, cr.patch(), "spec.affinity: " + AffinityReport.summary(cr));
        }
        boolean hold = o.noRestart() || holdReason != null;
        if (holdReason != null && !o.noRestart() && (sts.changes() || sts.held())) {
            report.warn("the " + what + "'s StatefulSet " + sts.name() + " is patched but its rollout held: " + holdReason);
        }
        int replicas = replicas(current);
        List<Map<String, Object>> patch = Holds.statefulSetPatch(sts, current, hold, replicas, onDelete(current));
        boolean roll = !hold && (sts.changes() || sts.held());
        if (patch.isEmpty()) {
            return;
        }
        PodRoll pods = new PodRoll(k8s, ns, sts.name(), replicas, config.getZoneLabelKey());
        long start = System.nanoTime();
        // read before anything is written: a controller whose volume cannot follow it needs the groups as they are now
        ControllerMove move = roll && what.equals("controller") ? controllerMove(pods, replicas) : null;
        patch(sts, patch, AffinityReport.summary(sts) + (hold && sts.changes() ? " (rollout held)" : ""));
        if (!roll) {
            return;
        }
        if (move != null) {
            move.replaceVolumes();
        }
        try {
            if (onDelete(current)) {
                // one pod at a time, highest ordinal first, as RollingUpdate would
                for (int n = replicas - 1; n >= 0; n--) {
                    k8s.deletePod(ns, pods.podName(n));
                    int ordinal = n;
                    waiter.until(what + " " + sts.name() + ": ", o.timeout(), () -> pods.replaced(ordinal, ordinal + 1));
                }
            }
            waiter.until(what + " " + sts.name() + ": ", o.timeout(), pods::replaced);
        } catch (Waiter.TimedOut t) {
            throw new RuntimeFailure("timed out after " + o.timeout() + " restarting StatefulSet " + ns + "/" + sts.name()
                    + " (" + what + "): " + t.last + "; the rollout stopped there, before the broker StatefulSets;"
                    + " re-run apply-affinity to resume");
        }
        if (move != null) {
            move.reseed(pods, replicas);
        }
        if (what.equals("controller")) {
            waitAllGroupsInSync(sts.name());
        }
        for (int n = 0; n < replicas; n++) {
            String[] at = pods.placement(n);
            restarts.add(new ApplyAffinityTask.Restart(pods.podName(n).replaceFirst("-\\d+$", "") + (replicas > 1 ? "[" + n + "]" : ""),
                    what, seconds(start), at[0], at[1], what.equals("controller") ? plan.controllerZone() : null));
        }
        report.change(new Change("restart", "StatefulSet", ns, sts.name(), what + ", " + replicas + " pod(s) one at a time, "
                + seconds(start) + " s"));
    }

    /**
     * The controller's volume (a zonal disk) cannot follow it into its planned zone: with
     * --replace-zonal-volumes its claim is replaced, so that it starts empty there, and it is re-seeded
     * from the groups read just before (each current master stays master, at a higher epoch); without,
     * the rollout stops before anything is written. Null when its volume can follow it.
     */
    private ControllerMove controllerMove(PodRoll pods, int replicas) {
        ControllerReplacement replacement = new ControllerReplacement(k8s, ns, config.getZoneLabelKey());
        Map<String, List<String>> stranded = new LinkedHashMap<>();
        for (int n = 0; n < replicas; n++) {
            List<String> claims = replacement.strandedClaims(pods.podName(n), java.util.Set.of(plan.controllerZone()));
            if (!claims.isEmpty()) {
                stranded.put(pods.podName(n), claims);
            }
        }
        if (stranded.isEmpty()) {
            return null;
        }
        if (!o.replaceZonalVolumes()) {
            throw new RuntimeFailure("the controller's volume " + stranded.values() + " cannot be attached in its planned zone "
                    + plan.controllerZone() + ": moving it needs --replace-zonal-volumes (a new, empty volume there and a re-seed"
                    + " from the groups as they are); nothing more was changed");
        }
        Map<String, SyncStateSet> now = new LinkedHashMap<>();
        try (GroupHealth health = openHealth()) {
            for (String g : OperatorNames.brokerNames(config.getResources().getBroker(), groupCount())) {
                SyncStateSet s = health.syncStateSet(g).filter(SyncStateSet::hasMaster).orElseThrow(() -> new RuntimeFailure(
                        "the controller must move zones on a new volume, and group " + g + " cannot be read with a master now:"
                                + " nothing was changed; re-run once every group has a master"));
                now.put(g, s);
            }
        } catch (RuntimeFailure e) {
            throw e;
        } catch (Exception e) {
            throw new RuntimeFailure("reading the groups before moving the controller failed: " + e.getMessage() + "; nothing was changed");
        }
        return new ControllerMove(replacement, stranded, now);
    }

    /** A controller moved on a new volume: its claims replaced, then the empty controller re-seeded. */
    private final class ControllerMove {
        private final ControllerReplacement replacement;
        private final Map<String, List<String>> stranded;
        private final Map<String, SyncStateSet> before;

        ControllerMove(ControllerReplacement replacement, Map<String, List<String>> stranded, Map<String, SyncStateSet> before) {
            this.replacement = replacement;
            this.stranded = stranded;
            this.before = before;
        }

        void replaceVolumes() {
            // first the groups as read, where a re-run finds them if this run is cut off before the re-seed
            ControllerMoveRecord.write(k8s, ns, before);
            report.change(new Change("create", "ConfigMap", ns, ControllerMoveRecord.NAME, "the groups as read before the"
                    + " controller's claim is replaced, for a re-run to re-seed from if this one is cut off; deleted after"));
            stranded.forEach((pod, claims) -> {
                claims.forEach(c -> report.change(new Change("delete", "PersistentVolumeClaim", ns, c, "replaced: its volume cannot"
                        + " be attached in " + plan.controllerZone() + "; the controller starts empty there and is re-seeded")));
                progress.info("replacing the claim " + claims + " of " + pod + ": its volume cannot follow it into " + plan.controllerZone());
                replacement.replace(pod, claims);
            });
            wrote = true;
        }

        void reseed(PodRoll pods, int replicas) throws InterruptedException {
            List<String> ips = new ArrayList<>();
            for (int n = 0; n < replicas; n++) {
                k8s.pod(ns, pods.podName(n)).map(p -> p.getStatus() == null ? null : p.getStatus().getPodIP()).ifPresent(ips::add);
            }
            List<String> controllers = ControllerReplacement.addresses(ips);
            List<String> refused = new ArrayList<>();
            List<ControllerReplacement.Reseeded> groups = new ArrayList<>();
            long until = System.nanoTime() + o.timeout().toNanos();
            List<String> done = null;
            RuntimeException last = null;
            while (done == null && System.nanoTime() < until) {
                try {
                    done = replacement.reseed(controllers, config.getResources().getBroker(), before, a -> true, refused, groups);
                } catch (RuntimeException e) {
                    last = e; // no leader yet
                    Thread.sleep(1_000);
                }
            }
            if (done == null || !refused.isEmpty()) {
                throw new RuntimeFailure("re-seeding the controller moved to " + plan.controllerZone() + " failed: "
                        + (done == null ? (last == null ? "timed out" : last.getMessage()) : String.join("; ", refused))
                        + "; no broker was restarted");
            }
            report.change(new Change("reseed", "Controller", ns, config.getResources().getController(), String.join("; ", done)));
            progress.info("re-seeded the controller: " + String.join("; ", done));
            List<String> problems = new ArrayList<>();
            replacement.realign(controllers, groups, o.timeout(), problems)
                    .forEach(l -> progress.info("controller re-seed: " + l));
            if (!problems.isEmpty()) {
                throw new RuntimeFailure("after re-seeding the controller: " + String.join("; ", problems) + "; no broker was restarted");
            }
            ControllerMoveRecord.delete(k8s, ns);
            report.change(new Change("delete", "ConfigMap", ns, ControllerMoveRecord.NAME, "the controller is re-seeded"));
        }
    }

    /**
     * A controller move that an earlier run began and did not finish (its claim replaced, the new
     * controller not yet re-seeded: the run was killed): re-seeded now from the groups that run
     * recorded, before anything else, since every later step needs a controller that knows the groups.
     */
    void resumeControllerMove(StatefulSet controller, Map<String, SyncStateSet> before) throws InterruptedException {
        int replicas = replicas(controller);
        String name = controller.getMetadata().getName();
        progress.info("controller " + name + ": a move that an earlier run began was cut off after its claim was replaced;"
                + " re-seeding it from the groups that run recorded (" + String.join(", ", before.keySet()) + ")");
        PodRoll pods = new PodRoll(k8s, ns, name, replicas, config.getZoneLabelKey());
        try {
            waiter.until("controller " + name + ": ", o.timeout(), () -> {
                for (int n = 0; n < replicas; n++) {
                    if (!k8s.pod(ns, pods.podName(n)).map(io.crosszone.k8s.K8sStatus::podReady).orElse(false)) {
                        return Waiter.Status.waiting("waiting for pod " + pods.podName(n) + " to be Ready");
                    }
                }
                return Waiter.Status.done("Ready");
            });
        } catch (Waiter.TimedOut t) {
            throw new RuntimeFailure("the controller " + name + " of a move cut off on the way is not Ready after " + o.timeout()
                    + ": " + t.last + "; nothing else was changed; re-run once it is");
        }
        // only the groups it does not hold (or holds with ids and never a master: a re-seed cut off itself);
        // a run killed before the claim went leaves a controller with its data, which needs nothing
        List<String> ips = new ArrayList<>();
        for (int n = 0; n < replicas; n++) {
            k8s.pod(ns, pods.podName(n)).map(p -> p.getStatus() == null ? null : p.getStatus().getPodIP()).ifPresent(ips::add);
        }
        Map<String, SyncStateSet> empty = new LinkedHashMap<>();
        try (ControllerReseeder reseeder = new ControllerReseeder(ControllerReplacement.addresses(ips), Duration.ofSeconds(3))) {
            try {
                reseeder.awaitLeader(o.timeout());
            } catch (RocketMqException e) {
                throw new RuntimeFailure("the controller of a move cut off on the way has no leader after " + o.timeout() + ": "
                        + e.getMessage() + "; nothing else was changed; re-run once it has");
            }
            before.forEach((group, set) -> {
                if (reseeder.needsReseed(group)) {
                    empty.put(group, set);
                }
            });
        }
        if (!empty.isEmpty()) {
            new ControllerMove(new ControllerReplacement(k8s, ns, config.getZoneLabelKey()), Map.of(), empty).reseed(pods, replicas);
            waitAllGroupsInSync(name); // as after an uninterrupted move: no broker goes down before every set is full
        } else {
            progress.info("controller " + name + ": it holds every group (the run was cut off before its claim went): nothing to re-seed");
            ControllerMoveRecord.delete(k8s, ns);
            report.change(new Change("delete", "ConfigMap", ns, ControllerMoveRecord.NAME, "the controller holds every group"));
        }
        wrote = true;
    }

    /** After the controller restarted, every group must find it again before a broker goes down. */
    private void waitAllGroupsInSync(String controllerSts) throws InterruptedException {
        try (GroupHealth health = openHealth()) {
            List<String> groups = OperatorNames.brokerNames(config.getResources().getBroker(), groupCount());
            io.crosszone.tasks.StrayReplicas stray = new io.crosszone.tasks.StrayReplicas(health, groupSize(), waiter.time(),
                    progress, (pod, why) -> report.change(new Change("restart", "Pod", ns, pod, why)));
            waiter.until("controller " + controllerSts + ": ", o.timeout(), () -> {
                List<String> notYet = new ArrayList<>();
                for (String g : groups) {
                    boolean full = inSync(health, g);
                    stray.look(g, full);
                    if (!full) {
                        notYet.add(g);
                    }
                }
                return notYet.isEmpty() ? Waiter.Status.done("every group's SyncStateSet is full")
                        : Waiter.Status.waiting("waiting for full SyncStateSets of " + notYet);
            });
        } catch (Waiter.TimedOut t) {
            throw new RuntimeFailure("timed out after " + o.timeout() + " after restarting the controller StatefulSet "
                    + ns + "/" + controllerSts + ": " + t.last + "; no broker was restarted; re-run apply-affinity to resume");
        }
    }

    /**
     * The brokers, step by step as the {@link RolloutPlanning rollout planner} orders them (a swap
     * where a zone has no free node). Then planned again from what is there: a broker the scheduler
     * put outside its planned zone is moved in a next round (at most two more). Then the fail-back.
     */
    void brokers(List<ObjectChange> brokers, ObservedState state) throws InterruptedException {
        if (o.noRestart()) {
            for (ObjectChange c : brokers) {
                StatefulSet current = state.brokerStatefulSets().get(c.name());
                List<Map<String, Object>> patch = Holds.statefulSetPatch(c, current, true, 1, onDelete(current));
                if (!patch.isEmpty()) {
                    patch(c, patch, AffinityReport.summary(c) + " (rollout held: --no-restart)");
                }
            }
            return;
        }
        Map<String, ObjectChange> toPatch = new LinkedHashMap<>();
        brokers.stream().filter(c -> c.changes() || c.held()).forEach(c -> toPatch.put(c.name(), c));
        List<String> done = new ArrayList<>();
        RolloutStepRunner runner = new RolloutStepRunner(k8s, progress, waiter, o.timeout(), ns, config.getZoneLabelKey(),
                groupSize(), report);
        try (GroupHealth health = openHealth()) {
            for (int round = 0; round < 3; round++) {
                RolloutPlan steps = safePlan(toPatch, state, health, done);
                if (steps.steps().isEmpty()) {
                    break;
                }
                if (round == 0) {
                    RolloutPlanning.describe(steps, report);
                    progress.info("broker rollout: " + String.join(", ", RolloutPlanning.order(steps)));
                } else {
                    progress.info("round " + (round + 1) + ", brokers not in their planned zone: "
                            + String.join(", ", RolloutPlanning.order(steps)));
                }
                for (RolloutStep step : steps.steps()) {
                    RolloutStepRunner.Outcome out = runStep(runner, step, health, toPatch, state, done, steps);
                    if (out.reverted()) {
                        return; // reverted: stop here
                    }
                    restarts.addAll(out.restarts());
                    step.brokers().forEach(b -> {
                        done.add(b);
                        toPatch.remove(b);
                    });
                    if (!out.misplaced().isEmpty()) {
                        // the rest of this round was planned on nodes the misplaced broker now holds: plan again
                        break;
                    }
                }
            }
            retiredIds.forget(health, ns, report, progress);
            report.put("plannedSwitches", runner.switches);
            if (reverted.isEmpty()) {
                failBack.run(health, o.timeout(), o.pollInterval(), room()::zoneOfPod, ns);
            }
        }
    }

    /**
     * The rollout plan from what is there now. A refusal here is mostly passing (a broker pod the
     * operator is restarting is "not running" for a moment): planned again until the timeout.
     */
    private RolloutPlan safePlan(Map<String, ObjectChange> toPatch, ObservedState state, GroupHealth health, List<String> done)
            throws InterruptedException {
        RolloutPlan[] last = {null};
        try {
            waiter.until("broker rollout: ", o.timeout(), () -> {
                last[0] = RolloutPlanning.plan(k8s, config, plan, toPatch.keySet(),
                        state.brokerStatefulSets().values().iterator().next(), health);
                return last[0].safe() ? Waiter.Status.done("planned")
                        : Waiter.Status.waiting("no safe order yet: " + String.join(" ", last[0].refusals()));
            });
            return last[0];
        } catch (Waiter.TimedOut t) {
            throw new RuntimeFailure("the broker rollout has had no safe order for " + o.timeout() + " (restarted: " + done
                    + "): " + String.join(" ", last[0].refusals()) + " Re-run apply-affinity once that is resolved");
        }
    }

    private RolloutStepRunner.Outcome runStep(RolloutStepRunner runner, RolloutStep step, GroupHealth health,
                                              Map<String, ObjectChange> toPatch, ObservedState state, List<String> done,
                                              RolloutPlan steps) throws InterruptedException {
        BrokerRoom room = room();
        // read before the step: the brokers of a swap are then deleted back to back (a read between two
        // deletes lets the first one's new pod take its own freed node back, outside its planned zone)
        Map<String, List<ZonalVolumes.Stranded>> stranded = new LinkedHashMap<>();
        ZonalVolumes volumes = new ZonalVolumes(k8s, ns, config.getZoneLabelKey());
        for (String sts : step.brokers()) {
            stranded.put(sts, volumes.stranded(sts, plan.broker(sts).orElseThrow().plannedZone()));
            if (!stranded.get(sts).isEmpty() && o.replaceZonalVolumes()) {
                retiredIds.recordBefore(health, sts, progress);
            }
        }
        RolloutStepRunner.Trigger trigger = new RolloutStepRunner.Trigger() {
            @Override
            public void restart(String sts) {
                replaceStrandedVolumes(sts, stranded.getOrDefault(sts, List.of()));
                ObjectChange c = toPatch.get(sts);
                StatefulSet current = state.brokerStatefulSets().get(sts);
                if (c != null) {
                    patch(c, Holds.statefulSetPatch(c, current, false, 1, onDelete(current)), AffinityReport.summary(c));
                    if (onDelete(current)) {
                        k8s.deletePod(ns, OperatorNames.podOf(sts));
                    }
                } else {
                    // the template is current, only the zone is not: a new pod, not a new template
                    report.change(new Change("delete", "Pod", ns, OperatorNames.podOf(sts), "not in its planned zone "
                            + plan.broker(sts).orElseThrow().plannedZone() + ": the StatefulSet controller recreates it"));
                    progress.info("deleting pod " + OperatorNames.podOf(sts) + " to move it into its planned zone");
                    k8s.deletePod(ns, OperatorNames.podOf(sts));
                    wrote = true;
                }
            }

            @Override
            public boolean reverted(String sts) {
                ObjectChange c = toPatch.get(sts);
                if (c != null && revertedSince(c)) {
                    reverted.add(c.describe());
                    return true;
                }
                return false;
            }
        };
        try {
            return runner.run(step, health, trigger, sts -> room.partnerZones(sts, plan));
        } catch (Waiter.TimedOut t) {
            List<String> notStarted = steps.steps().stream().flatMap(s -> s.brokers().stream())
                    .filter(s -> !done.contains(s) && !step.brokers().contains(s)).toList();
            throw new RuntimeFailure("timed out after " + o.timeout() + " at step " + step.number() + " ("
                    + String.join(" + ", step.brokers().stream().map(b -> "StatefulSet " + ns + "/" + b).toList()) + "): "
                    + t.last + "; the rollout stopped there (restarted: " + done + ", not restarted: " + notStarted
                    + "); re-run apply-affinity to resume");
        }
    }

    /**
     * A broker about to move whose volume cannot follow it: its claim is deleted so that the
     * StatefulSet controller makes a new one, bound where the new pod lands. By now it is a slave
     * (the step's handoff ran), so its data is on its in-sync master.
     */
    private void replaceStrandedVolumes(String sts, List<ZonalVolumes.Stranded> stranded) {
        String toZone = plan.broker(sts).orElseThrow().plannedZone();
        if (stranded.isEmpty()) {
            return;
        }
        if (!o.replaceZonalVolumes()) {
            throw new RuntimeFailure(stranded.get(0).describe() + ": it cannot move without --replace-zonal-volumes;"
                    + " nothing more was changed");
        }
        for (ZonalVolumes.Stranded x : stranded) {
            report.change(new Change("delete", "PersistentVolumeClaim", ns, x.claim(), "replaced: " + x.volume()
                    + " stays in " + x.zones() + "; " + sts + " starts empty in " + toZone + " and re-syncs from its master"));
            progress.info("replacing claim " + x.claim() + " of " + sts + ": " + x.describe());
            k8s.deletePvc(ns, x.claim());
            wrote = true;
        }
    }

    BrokerRoom room() {
        return BrokerRoom.read(k8s, config);
    }

    private boolean revertedSince(ObjectChange c) {
        Optional<StatefulSet> now = k8s.statefulSet(ns, c.name());
        if (now.isEmpty()) {
            return false;
        }
        ObjectChange again = AffinityPlan.statefulSet(c.target(), now.get(), plan.broker(c.name()).orElseThrow().affinity(),
                c.broker().podLabels(), c.broker());
        if (again.changes()) {
            progress.warn(c.describe() + " no longer has the patched placement:\n" + TextDiff.diff(again.before(), again.after()));
        }
        return again.changes();
    }

    private boolean inSync(GroupHealth health, String group) {
        try {
            return health.fullyInSync(group, groupSize());
        } catch (Exception e) {
            return false;
        }
    }

    private GroupHealth openHealth() {
        return healthFactory.open(k8s, new GroupHealth.Target(config.getNamespace(), config.getResources().getBroker(),
                config.getResources().getNameService(), config.getResources().getController()));
    }

    private int groupCount() {
        return config.getBrokers().getGroups();
    }

    private int groupSize() {
        return config.getBrokers().getReplicasPerGroup();
    }

    static boolean onDelete(StatefulSet sts) {
        return sts != null && sts.getSpec().getUpdateStrategy() != null
                && "OnDelete".equals(sts.getSpec().getUpdateStrategy().getType());
    }

    static int replicas(StatefulSet sts) {
        return sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
    }

    private static double seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e8) / 10.0;
    }
}
