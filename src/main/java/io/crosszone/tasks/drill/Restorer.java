package io.crosszone.tasks.drill;

import io.crosszone.tasks.ControllerReplacement;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.core.Progress;
import io.crosszone.plan.OperatorNames;
import io.crosszone.rocketmq.RocketMqAccess;
import io.crosszone.tasks.BrokerShape;
import io.crosszone.tasks.PlanWhereRunning;
import io.crosszone.plan.PlacementPlanner;
import io.crosszone.tasks.GroupHealth;
import io.crosszone.tasks.MasterFailBack;
import io.crosszone.tasks.RocketMqGroupHealth;
import io.crosszone.tasks.StrayReplicas;
import java.time.Duration;
import java.util.ArrayList;
import io.crosszone.rocketmq.SyncStateSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * "Always restore": the one place that puts a drilled zone back. A drill runs it on every way out
 * (success, failure, max duration, exception, and a SIGTERM, whose shutdown hook aborts the
 * observation and waits for this), and {@code --recover} runs the same steps for a drill whose
 * process died, after taking over its lease:
 * <ol>
 *   <li>{@link #restoreZone}: undo what the lock's record says was changed (and any drill
 *       NetworkPolicy left), wait until the deployment is whole, send the controller home;</li>
 *   <li>{@link #settle}: the fail-back of the masters (by default; not with {@code --no-fail-back}),
 *       whole again, the final check (verify-distribution's findings), and the lease released only
 *       when whole.</li>
 * </ol>
 * A drill leaves the cluster as it found it: with the fail-back, masters that are not back on their
 * planned replicas fail the drill. Without it they stay where failover put them on purpose, so an
 * unbalanced placement is a warning ({@code warnings}), and only the rest of the final check fails it.
 * The drill finishes its probe between the two, so the fail-back's elections do not count as the
 * zone loss's outage. Problems go to {@code problems} (the deployment is not whole) and
 * {@code failures} (it is, but a check after it found something).
 */
final class Restorer {
    /** How long one group may take, after its fail-back election, to be listed and fully in sync again. */
    private static final Duration FAIL_BACK_TIMEOUT = Duration.ofSeconds(60);
    /** One RocketMQ call of the fail-back (electMaster included): longer than the drill's 1 s polls. */
    private static final Duration FAIL_BACK_CALL_TIMEOUT = Duration.ofSeconds(3);
    /** Lets the force-deleted controller pod go before its health is asked again. */
    private static final Duration AFTER_RESTART = Duration.ofSeconds(1);
    /** How the final check (verify-distribution) names an unbalanced master placement. */
    static final String UNBALANCED = "verify-distribution masters-balanced";

    private final DrillCluster cluster;
    private final DrillPreflight preflight;
    private final Progress progress;
    private final DrillOptions o;
    private final BrokerShape shape;
    private final RocketMqLink link;
    private final DrillLock lock;
    private final Consumer<String> action;
    final List<String> problems = new ArrayList<>();
    final List<String> failures = new ArrayList<>();
    /** what the final check found that does not fail the drill (masters left unbalanced on purpose) */
    final List<String> warnings = new ArrayList<>();
    /** groups a repair re-seeded on an empty controller: their SyncStateSet epoch is raised once a lost replica is back */
    final List<ControllerReplacement.Reseeded> reseeded = new java.util.concurrent.CopyOnWriteArrayList<>();
    private GroupHealth.Factory groupHealth;

    Restorer(DrillCluster cluster, RocketMqAccess access, DrillPreflight preflight, Progress progress, DrillOptions o,
             BrokerShape shape, RocketMqLink link, DrillLock lock, Consumer<String> action) {
        this.cluster = cluster;
        this.preflight = preflight;
        this.progress = progress;
        this.o = o;
        this.shape = shape;
        this.link = link;
        this.lock = lock;
        this.action = action;
        this.groupHealth = RocketMqGroupHealth.factory(access, FAIL_BACK_CALL_TIMEOUT);
    }

    /** Tests hand in a stand-in for RocketMQ's view of the groups (the fail-back's elections). */
    Restorer withGroupHealth(GroupHealth.Factory factory) {
        this.groupHealth = factory;
        return this;
    }

    /**
     * Undoes {@code record} (null: nothing recorded) and the drill NetworkPolicies left, waits until
     * the deployment is whole and sends the controller home. Returns what was undone; true in
     * {@link #whole()} when the deployment is whole.
     */
    List<String> restoreZone(DrillRecord record, boolean chaosServed) throws InterruptedException {
        String ns = cluster.config().getNamespace();
        if (record != null) {
            record.phase = DrillPhase.RESTORING;
            try {
                lock.record(record);
            } catch (RuntimeException e) {
                problems.add("could not record the restore in the lock: " + e.getMessage());
            }
        }
        ZoneCut cut = new ZoneCut(cluster.k8s(), ns, progress);
        List<String> undone = new ArrayList<>(cut.undo(record, chaosServed));
        for (String np : cut.leftoverPolicies()) {
            if (cluster.k8s().deleteNetworkPolicy(ns, np)) {
                undone.add("deleted NetworkPolicy " + np);
            }
        }
        progress.info("restoring: " + (undone.isEmpty() ? "nothing to undo" : String.join(", ", undone)));
        realignReseeded();
        List<String> left = awaitWhole();
        if (left.isEmpty() && controllerHome()) {
            left = awaitWhole();
        }
        left.forEach(p -> problems.add("not restored within " + o.restoreTimeout() + ": " + p));
        whole = left.isEmpty();
        return undone;
    }

    /**
     * Whole again within the restore timeout, a returning replica that stays outside its group's set
     * with no replication connection from its master restarted once ({@link StrayReplicas}).
     */
    private List<String> awaitWhole() throws InterruptedException {
        CrosszoneConfig config = cluster.config();
        GroupHealth.Target target = new GroupHealth.Target(config.getNamespace(), config.getResources().getBroker(),
                config.getResources().getNameService(), config.getResources().getController());
        try (GroupHealth health = groupHealth.open(cluster.k8s(), target)) {
            return cluster.awaitWhole(shape, link, o.restoreTimeout(), new StrayReplicas(health, shape.brokersPerGroup(),
                    cluster.waiter().time(), progress, (pod, why) -> action.accept(why)));
        }
    }

    /** After a re-seed, a returning replica can rejoin its group's set only once the epochs agree (see {@link ControllerReplacement#realign}). */
    private void realignReseeded() throws InterruptedException {
        if (reseeded.isEmpty()) {
            return;
        }
        CrosszoneConfig config = cluster.config();
        ZonePods pods = cluster.pods();
        List<String> controllers = ControllerReplacement.addresses(pods.ofRole(ZonePods.Role.CONTROLLER).stream()
                .filter(ZonePods.PodInfo::ready).map(ZonePods.PodInfo::ip).toList());
        if (controllers.isEmpty()) {
            problems.add("no controller Ready to realign the re-seeded groups " + reseeded.stream().map(ControllerReplacement.Reseeded::group).toList());
            return;
        }
        List<ControllerReplacement.Reseeded> groups = List.copyOf(reseeded);
        reseeded.clear();
        new ControllerReplacement(cluster.k8s(), config.getNamespace(), config.getZoneLabelKey())
                .realign(controllers, groups, o.restoreTimeout(), problems).forEach(l -> action.accept("rejoined: " + l));
    }

    private boolean whole;

    boolean whole() {
        return whole;
    }

    /**
     * A repair may have moved the controller out of its planned zone: with every zone back, a
     * restart lets the scheduler place it by its zone preference again. Judged from where the
     * controller runs now against {@link CrosszoneConfig#controllerZone()}, not from the drill's
     * plan: --recover has no plan, and a controller already home is left alone.
     */
    private boolean controllerHome() throws InterruptedException {
        CrosszoneConfig config = cluster.config();
        String home = config.controllerZone();
        ZonePods now = cluster.pods();
        List<String> away = now.ofRole(ZonePods.Role.CONTROLLER).stream()
                .filter(p -> home != null && !home.equals(now.zoneOf(p))).map(ZonePods.PodInfo::name).toList();
        if (away.isEmpty()) {
            return false;
        }
        ControllerReplacement replacement = new ControllerReplacement(cluster.k8s(), config.getNamespace(), config.getZoneLabelKey());
        Map<String, List<String>> stranded = new java.util.LinkedHashMap<>();
        away.forEach(p -> stranded.put(p, replacement.strandedClaims(p, java.util.Set.of(home))));
        if (stranded.values().stream().anyMatch(c -> !c.isEmpty())) {
            return sendHomeOnNewVolume(replacement, stranded, home);
        }
        away.forEach(p -> cluster.k8s().forceDeletePod(config.getNamespace(), p));
        action.accept("restarted the controller " + away + " so that it is scheduled in its planned zone " + home + " again");
        cluster.waiter().time().sleep(AFTER_RESTART);
        return true;
    }

    /**
     * The controller runs away from home on a volume made where it runs now (a repair replaced it):
     * going home means a new volume there and a re-seed, from the SyncStateSets read now, with every
     * group whole (each group's current master stays master, at a higher epoch). Only with
     * --replace-controller-volume; otherwise it stays where it is and the drill says so.
     */
    private boolean sendHomeOnNewVolume(ControllerReplacement replacement, Map<String, List<String>> stranded, String home)
            throws InterruptedException {
        if (!o.replaceControllerVolume()) {
            warnings.add("the controller " + stranded.keySet() + " runs outside its planned zone " + home + " on a volume that"
                    + " cannot be attached there: left where it is (--replace-controller-volume moves it home on a new volume)");
            return false;
        }
        CrosszoneConfig config = cluster.config();
        Map<String, SyncStateSet> now = link.gateway().orElseThrow(() -> new IllegalStateException("no RocketMQ name server"))
                .syncStateSets(OperatorNames.brokerNames(config.getResources().getBroker(), shape.groups()));
        stranded.forEach((pod, claims) -> replacement.replace(pod, claims));
        action.accept("replaced the claim of the controller " + stranded.keySet() + " so that it starts in its planned zone "
                + home + " again (its volume was made outside it during the repair)");
        long until = cluster.waiter().time().currentMillis() + o.restoreTimeout().toMillis();
        Map<String, SyncStateSet> toReseed = now;
        List<ControllerReplacement.Reseeded> groups = new ArrayList<>();
        List<String> done = new ArrayList<>();
        RuntimeException last = null;
        while (cluster.waiter().time().currentMillis() < until) {
            cluster.waiter().time().sleep(AFTER_RESTART);
            ZonePods pods = cluster.pods();
            List<ZonePods.PodInfo> up = pods.ofRole(ZonePods.Role.CONTROLLER).stream()
                    .filter(c -> c.ready() && home.equals(pods.zoneOf(c))).toList();
            if (up.isEmpty()) {
                continue;
            }
            try {
                List<String> refused = new ArrayList<>();
                done.addAll(replacement.reseed(ControllerReplacement.addresses(up.stream().map(ZonePods.PodInfo::ip).toList()),
                        config.getResources().getBroker(), toReseed,
                        address -> pods.brokerAt(address).map(ZonePods.PodInfo::ready).orElse(false), refused, groups));
                // a group whose re-seed failed on the way (a call timed out; not one the plan refused) is tried
                // again until the restore's timeout: a lab az2 drill under load waited 10 min on one such group
                Map<String, SyncStateSet> failed = new java.util.LinkedHashMap<>();
                refused.stream().filter(r -> r.contains(": re-seeding failed: ")).map(r -> r.substring(0, r.indexOf(':')))
                        .filter(toReseed::containsKey).forEach(g -> failed.put(g, now.get(g)));
                if (!failed.isEmpty() && cluster.waiter().time().currentMillis() < until) {
                    progress.warn("re-seed at restore: " + String.join("; ", refused) + ": trying " + failed.keySet() + " again");
                    toReseed = failed;
                    last = new IllegalStateException(String.join("; ", refused));
                    continue;
                }
                action.accept("re-seeded the controller in " + home + ": " + String.join("; ", done));
                refused.forEach(r -> problems.add("re-seed at restore: " + r));
                replacement.realign(ControllerReplacement.addresses(up.stream().map(ZonePods.PodInfo::ip).toList()), groups, o.restoreTimeout(), problems)
                        .forEach(l -> action.accept("rejoined: " + l));
                return true;
            } catch (RuntimeException e) {
                last = e; // no leader yet: try again
            }
        }
        problems.add("the controller did not come back in " + home + " to be re-seeded within " + o.restoreTimeout()
                + (last == null ? "" : ": " + last.getMessage()));
        return true;
    }

    /**
     * After {@link #restoreZone}: the fail-back (when asked for), whole again, the final check, and
     * the lease released when whole (else kept, for --recover). Returns whether the deployment is whole.
     */
    boolean settle(String holder) throws InterruptedException {
        try {
            if (whole && o.failBack()) {
                failBack();
                // an election for the fail-back shrinks the SyncStateSet until the old master catches up
                List<String> left = awaitWhole();
                left.forEach(p -> problems.add("after the fail-back: " + p));
                whole = left.isEmpty();
            }
            if (whole) {
                // the zone is back: the lock goes whatever verify says; its findings fail the drill,
                // except masters that --no-fail-back leaves where failover put them
                for (String p : preflight.problems(cluster.config())) {
                    if (!o.failBack() && p.startsWith(UNBALANCED)) {
                        warnings.add("after restore: " + p + " (--no-fail-back: masters stay where failover put them)");
                    } else {
                        failures.add("after restore: " + p);
                    }
                }
            }
        } catch (RuntimeException e) {
            problems.add("restore: " + e.getMessage());
            whole = false;
        } finally {
            if (whole) {
                lock.release(holder);
            } else {
                problems.add("the lock " + DrillLock.NAME + " is kept with what the drill changed: run failover-drill --recover");
            }
        }
        return whole;
    }

    /** Marks the restore as failed by an exception outside it (the lock is kept). */
    void failed(RuntimeException e) {
        problems.add("restore: " + e.getMessage());
        whole = false;
    }

    /**
     * Elects the planned master (its member in the master zone) of each group where another is master now, with
     * {@link MasterFailBack} (one group at a time, only when the group is whole, each waiting until
     * the name server lists it and the SyncStateSet is full again).
     */
    private void failBack() throws InterruptedException {
        CrosszoneConfig config = cluster.config();
        String brokerCr = config.getResources().getBroker();
        List<String> groups = OperatorNames.brokerNames(brokerCr, shape.groups());
        GroupHealth.Target target = new GroupHealth.Target(config.getNamespace(), brokerCr,
                config.getResources().getNameService(), config.getResources().getController());
        try (GroupHealth health = groupHealth.open(cluster.k8s(), target)) {
            MasterFailBack.Outcome out;
            try {
                // the planned master of a group kept where it runs is its member in the master zone
                Map<String, Integer> planned = PlanWhereRunning.plannedMasters(PlanWhereRunning.read(cluster.k8s(),
                        cluster.config(), PlacementPlanner.plan(shape.applyTo(cluster.config()))), brokerCr);
                out = new MasterFailBack(health, shape.brokersPerGroup(), progress, FAIL_BACK_TIMEOUT,
                        Duration.ofMillis(250), cluster.waiter().time()).withPlannedMasters(planned).run(groups);
            } catch (MasterFailBack.TimedOut t) {
                problems.add("fail-back: " + t.getMessage());
                out = t.sofar;
            }
            for (MasterFailBack.Election e : out.elections()) {
                action.accept(String.format(Locale.ROOT, "fail-back: elected replica %d master of %s (was replica %d):"
                        + " listed after %.1f s, SyncStateSet full after %.1f s", e.to(), e.group(), e.from(),
                        e.listedSeconds(), e.seconds()));
            }
            out.notMoved().forEach(n -> problems.add("fail-back: " + n.group() + " left on replica " + n.master() + ": " + n.reason()));
        }
    }
}
