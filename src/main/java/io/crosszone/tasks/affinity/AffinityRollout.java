package io.crosszone.tasks.affinity;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.core.Progress;
import io.crosszone.core.RuntimeFailure;
import io.crosszone.core.Waiter;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.k8s.RocketMqKind;
import io.crosszone.plan.OperatorNames;
import io.crosszone.plan.PlacementPlan;
import io.crosszone.report.Change;
import io.crosszone.report.TaskReport;
import io.crosszone.tasks.GroupHealth;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * apply-affinity's acting part: the name server's and the controller's workload patch and restart,
 * then the brokers' restarts in {@link RolloutOrder}'s order (one at a time, each waiting until its
 * group is in sync again), the fail-back of the masters, and the watch for an operator that reverts
 * a patch. Keeps what it did for the report. The broker steps are computed by {@code order(...)}
 * and executed one by one by {@code brokers(...)}: the seam where a step-by-step planner plugs in.
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
            patch(cr, cr.patch(), "spec.affinity: " + ApplyAffinityTask.summary(cr));
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
        patch(sts, patch, ApplyAffinityTask.summary(sts) + (hold && sts.changes() ? " (rollout held)" : ""));
        if (!roll) {
            return;
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

    /** After the controller restarted, every group must find it again before a broker goes down. */
    private void waitAllGroupsInSync(String controllerSts) throws InterruptedException {
        try (GroupHealth health = openHealth()) {
            List<String> groups = OperatorNames.brokerNames(config.getResources().getBroker(), groupCount());
            waiter.until("controller " + controllerSts + ": ", o.timeout(), () -> {
                List<String> notYet = new ArrayList<>();
                for (String g : groups) {
                    if (!inSync(health, g)) {
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

    void brokers(List<ObjectChange> brokers, ObservedState state) throws InterruptedException {
        if (o.noRestart()) {
            for (ObjectChange c : brokers) {
                StatefulSet current = state.brokerStatefulSets().get(c.name());
                List<Map<String, Object>> patch = Holds.statefulSetPatch(c, current, true, 1, onDelete(current));
                if (!patch.isEmpty()) {
                    patch(c, patch, ApplyAffinityTask.summary(c) + " (rollout held: --no-restart)");
                }
            }
            return;
        }
        List<ObjectChange> toRestart = brokers.stream().filter(c -> c.changes() || c.held()).toList();
        List<String> done = new ArrayList<>();
        try (GroupHealth health = openHealth()) {
            if (!toRestart.isEmpty()) {
                List<RolloutOrder.Step> order = order(toRestart, health);
                report.put("plannedRestartOrder", order.stream().map(s -> s.statefulSet() + " (" + s.role().text() + ")").toList());
                progress.info("restart order: " + order.stream().map(s -> s.statefulSet() + " (" + s.role().text() + ")")
                        .collect(Collectors.joining(", ")));
                List<RolloutOrder.Step> remaining = new ArrayList<>(order);
                while (!remaining.isEmpty()) {
                    BrokerRoom room = room();
                    RolloutOrder.Step step = RolloutOrder.next(remaining, st -> room.hasRoom(st.statefulSet(),
                            plan.broker(st.statefulSet()).orElseThrow().plannedZone()));
                    remaining.remove(step);
                    ObjectChange c = toRestart.stream().filter(x -> x.name().equals(step.statefulSet())).findFirst().orElseThrow();
                    StatefulSet current = state.brokerStatefulSets().get(c.name());
                    String detail = ApplyAffinityTask.summary(c);
                    boolean kept = restartBroker(c, step, health, done, order, "", () -> {
                        patch(c, Holds.statefulSetPatch(c, current, false, 1, onDelete(current)), detail);
                        if (onDelete(current)) {
                            k8s.deletePod(ns, OperatorNames.podOf(c.name()));
                        }
                    });
                    if (!kept) {
                        return; // reverted: stop here
                    }
                    done.add(step.statefulSet());
                }
            }
            correctMisplaced(brokers, health, done);
            if (reverted.isEmpty()) {
                failBack.run(health, o.timeout(), o.pollInterval(), room()::zoneOfPod, ns);
            }
        }
    }

    BrokerRoom room() {
        return BrokerRoom.read(k8s, config);
    }

    private List<RolloutOrder.Step> order(List<ObjectChange> toRestart, GroupHealth health) {
        Map<String, Optional<Integer>> masters = new LinkedHashMap<>();
        for (ObjectChange c : toRestart) {
            String group = groupName(c.broker().group());
            if (!masters.containsKey(group)) {
                masters.put(group, master(health, group));
            }
        }
        return RolloutOrder.order(toRestart.stream().map(ObjectChange::broker).toList(), this::groupName, masters);
    }

    /**
     * A preference is only a preference: a restarted broker whose planned zone had no free node
     * lands in another zone (e.g. two members of a group swapped). Once the others have moved
     * there may be room: such brokers are restarted once more, slaves first, when their planned
     * zone has a schedulable node with no broker of this CR on it. At most two rounds.
     */
    private void correctMisplaced(List<ObjectChange> brokers, GroupHealth health, List<String> done)
            throws InterruptedException {
        for (int round = 0; round < 2; round++) {
            BrokerRoom room = room();
            List<ObjectChange> misplaced = new ArrayList<>();
            for (ObjectChange c : brokers) {
                String planned = c.broker().plannedZone();
                if (room.zoneOfPod(c.name()) != null && !planned.equals(room.zoneOfPod(c.name()))
                        && room.freeIn(planned) && !room.partnerIn(c, planned)) {
                    misplaced.add(c);
                }
            }
            if (misplaced.isEmpty()) {
                return;
            }
            List<RolloutOrder.Step> order = order(misplaced, health);
            progress.info("not in their planned zone, with room there now: " + order.stream()
                    .map(RolloutOrder.Step::statefulSet).toList() + ": restarting them again, slaves first");
            for (RolloutOrder.Step step : order) {
                ObjectChange c = misplaced.stream().filter(x -> x.name().equals(step.statefulSet())).findFirst().orElseThrow();
                boolean kept = restartBroker(c, step, health, done, order, " (again, to reach " + c.broker().plannedZone() + ")", () -> {
                    report.change(new Change("restart", "StatefulSet", ns, c.name(), "rolling restart: not in its planned zone "
                            + c.broker().plannedZone()));
                    progress.info("rolling restart of StatefulSet " + c.name());
                    k8s.restartStatefulSet(ns, c.name());
                    wrote = true;
                });
                if (!kept) {
                    return;
                }
                done.add(step.statefulSet());
            }
        }
    }

    /**
     * One broker: its group fully in sync, then {@code trigger} (patch or restart), its pod replaced,
     * scheduled and Ready, the group fully in sync again. False when the operator reverted the patch.
     */
    private boolean restartBroker(ObjectChange c, RolloutOrder.Step step, GroupHealth health, List<String> done,
                                  List<RolloutOrder.Step> order, String why, Runnable trigger) throws InterruptedException {
        String prefix = step.statefulSet() + " (" + step.role().text() + " of " + step.group() + "): ";
        int members = groupSize();
        String stage = "its group " + step.group() + " to be fully in sync before the restart";
        try {
            waiter.until(prefix, o.timeout(), () -> groupStatus(health, step.group(), members));
            PodRoll pod = new PodRoll(k8s, ns, c.name(), 1, config.getZoneLabelKey());
            long start = System.nanoTime();
            trigger.run();
            stage = "its new pod";
            boolean[] revertedNow = {false};
            waiter.until(prefix, o.timeout(), () -> {
                if (revertedSince(c)) {
                    revertedNow[0] = true;
                    return Waiter.Status.done("the operator reverted the patch");
                }
                return pod.replaced();
            });
            if (revertedNow[0]) {
                reverted.add(c.describe());
                return false;
            }
            stage = "its group " + step.group() + " to be fully in sync again";
            waiter.until(prefix, o.timeout(), () -> groupStatus(health, step.group(), members));
            String[] at = pod.placement(0);
            ApplyAffinityTask.Restart r = new ApplyAffinityTask.Restart(c.name(), step.role().text() + why, seconds(start), at[0], at[1], c.broker().plannedZone());
            restarts.add(r);
            report.change(new Change("restart", "StatefulSet", ns, c.name(), step.role().text() + why + ", " + r.seconds()
                    + " s, now on " + at[0] + " (" + at[1] + ")"));
            return true;
        } catch (Waiter.TimedOut t) {
            List<String> notStarted = order.stream().map(RolloutOrder.Step::statefulSet)
                    .filter(s -> !done.contains(s) && !s.equals(step.statefulSet())).toList();
            throw new RuntimeFailure("timed out after " + o.timeout() + " at StatefulSet " + ns + "/" + step.statefulSet()
                    + " (" + step.role().text() + " of " + step.group() + "), waiting for " + stage + ": " + t.last
                    + "; the rollout stopped there (restarted: " + done + ", not restarted: " + notStarted
                    + "); re-run apply-affinity to resume");
        }
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

    private Waiter.Status groupStatus(GroupHealth health, String group, int members) {
        try {
            if (health.fullyInSync(group, members)) {
                return Waiter.Status.done(group + " fully in sync (" + members + " brokers)");
            }
            return Waiter.Status.waiting("waiting for " + group + " to be fully in sync: " + health.describe(group));
        } catch (Exception e) {
            return Waiter.Status.waiting("waiting for " + group + ": RocketMQ cannot tell yet (" + e.getMessage() + ")");
        }
    }

    private boolean inSync(GroupHealth health, String group) {
        try {
            return health.fullyInSync(group, groupSize());
        } catch (Exception e) {
            return false;
        }
    }

    private Optional<Integer> master(GroupHealth health, String group) {
        try {
            return health.masterReplica(group);
        } catch (Exception e) {
            report.warn("the master of " + group + " is not known (" + e.getMessage() + "): replica 0 is restarted last");
            return Optional.empty();
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

    private String groupName(int g) {
        return OperatorNames.brokerName(config.getResources().getBroker(), g);
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
