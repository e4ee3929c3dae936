package io.crosszone.tasks.drill;

import io.crosszone.config.ConfigException;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.plan.OperatorNames;
import io.crosszone.report.Change;
import io.crosszone.report.Json;
import io.crosszone.report.TaskReport;
import io.crosszone.report.Verdict;
import io.crosszone.rocketmq.ClusterView;
import io.crosszone.rocketmq.RocketMqAccess;
import io.crosszone.rocketmq.RocketMqGateway;
import io.crosszone.rocketmq.SyncStateSet;
import io.crosszone.rocketmq.TopicSpec;
import io.crosszone.rocketmq.probe.MessageProbe;
import io.crosszone.rocketmq.probe.OutageWindow;
import io.crosszone.rocketmq.probe.ProbeResult;
import io.crosszone.rocketmq.probe.ProbeSpec;
import io.crosszone.tasks.BrokerShape;
import io.crosszone.tasks.MasterFailBack;
import io.crosszone.tasks.Progress;
import io.crosszone.tasks.GroupHealth;
import io.crosszone.tasks.RocketMqGroupHealth;
import io.crosszone.tasks.RuntimeFailure;
import io.crosszone.tasks.controllermode.Checkpoint;
import io.crosszone.tasks.drill.DrillEvent.Kind;
import io.crosszone.tasks.drill.ZonePods.PodInfo;
import io.crosszone.tasks.drill.ZonePods.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * failover-drill: preflight, lock, probe traffic, take the zone offline ({@link DrillPlan},
 * {@link ZoneCut}), observe with a fixed poll ({@link TimelineTracker}), repair what the runbook
 * repairs by hand, then always restore (on success, failure, max duration, exception, and a JVM
 * shutdown such as SIGTERM), measure and report. {@link #recover} undoes a drill whose process died,
 * from what its lock recorded.
 */
public final class FailoverDrillTask {
    public static final String PROBE_TOPIC = "crosszone-drill-probe";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(1);
    /** How long one group may take, after its fail-back election, to be listed and fully in sync again. */
    private static final Duration FAIL_BACK_TIMEOUT = Duration.ofSeconds(60);
    /** One RocketMQ call of the fail-back (electMaster included): longer than the drill's 1 s polls. */
    private static final Duration FAIL_BACK_CALL_TIMEOUT = Duration.ofSeconds(3);

    private final KubernetesGateway k8s;
    private final RocketMqAccess access;
    private final Progress progress;
    private final DrillPreflight preflight;
    private final Checkpoint checkpoint;
    private final AtomicReference<String> abort = new AtomicReference<>();
    /** Receives every finished drill's report (metrics, history): see {@link #onFinished}. */
    private Consumer<DrillReport> onFinished = d -> { };

    public FailoverDrillTask(KubernetesGateway k8s, RocketMqAccess access, Progress progress, DrillPreflight preflight,
                             Checkpoint checkpoint) {
        this.k8s = k8s;
        this.access = access;
        this.progress = progress;
        this.preflight = preflight;
        this.checkpoint = checkpoint;
    }

    /** Hands each finished drill's report on, after its report files are written. */
    public FailoverDrillTask onFinished(Consumer<DrillReport> sink) {
        this.onFinished = sink;
        return this;
    }

    /** Asks a running drill to stop observing and restore (what the shutdown hook does). */
    public void abort(String reason) {
        abort.compareAndSet(null, reason);
    }

    // ------------------------------------------------------------------ the drill

    public TaskReport run(CrosszoneConfig config, DrillOptions o) throws InterruptedException {
        String ns = config.getNamespace();
        if (!config.zoneNames().contains(o.zone())) {
            throw new ConfigException("--zone '" + o.zone() + "' is not one of the configured zones " + config.zoneNames());
        }
        BrokerShape shape = shape(config);
        ZonePods pods = readPods(config);
        if (pods.nodesOf(o.zone()).isEmpty()) {
            throw new ConfigException("no node carries the label " + config.getZoneLabelKey() + "=" + o.zone()
                    + ": run label-zones first");
        }
        boolean chaosServed = o.mode() == DrillMode.CHAOS_MESH && k8s.servesKind(DrillPlan.CHAOS_API_VERSION, "NetworkChaos");
        if (o.mode() == DrillMode.CHAOS_MESH && !chaosServed && !o.dryRun()) {
            throw new ConfigException("--mode chaos-mesh: Chaos Mesh is not installed (the API server does not serve"
                    + " NetworkChaos in " + DrillPlan.CHAOS_API_VERSION + "); use --mode partition or --mode kill");
        }
        TaskReport report = TaskReport.mutating("failover-drill", o.dryRun());
        try (RocketMqLink link = new RocketMqLink(k8s, config, access, CALL_TIMEOUT, Duration.ofSeconds(1))) {
            Optional<RocketMqGateway> rocketmq = link.gateway();
            if (rocketmq.isEmpty() && !o.dryRun()) {
                throw new RuntimeFailure("the drill measures RocketMQ, and no RocketMQ name server can be asked");
            }
            Map<Integer, String> masters = rocketmq.map(g -> masters(g.clusterView(false), config.getResources().getBroker(),
                    shape.groups())).orElse(Map.of());
            DrillPlan plan = DrillPlan.plan(ns, config.getZoneLabelKey(), config.zoneNames(), o.zone(), o.mode(), pods,
                    masters, o.maxDuration());
            describePlan(plan, rocketmq.isPresent(), report);
            if (o.mode() == DrillMode.CHAOS_MESH && !chaosServed) {
                report.warn("Chaos Mesh is not installed: a real run stops with exit 2 before touching anything");
            }

            List<String> problems = health(config, shape, link);
            if (problems.isEmpty()) {
                // verify-distribution re-reads for up to a minute what settles by itself: not worth it
                // when the drill's own health check already refuses
                problems.addAll(preflight.problems(config));
            }
            Optional<DrillLock.Held> held = new DrillLock(k8s.client(), ns, o.leaseDuration()).read();
            held.ifPresent(h -> problems.add(lockMessage(h)));
            if (!problems.isEmpty()) {
                report.verdict(Verdict.FAILED);
                problems.forEach(p -> report.warn("preflight: " + p));
                report.line((o.dryRun() ? "The drill would be refused" : "Drill refused, nothing was touched") + ": "
                        + problems.size() + " preflight problem(s).");
                report.put("preflight", problems);
                return report;
            }
            if (o.dryRun()) {
                report.line("Preflight passed.");
                return report;
            }
            List<String> zoneNameServers = pods.inZone(o.zone()).stream().filter(p -> p.role() == Role.NAME_SERVER)
                    .map(p -> p.address(OperatorNames.NAME_SERVER_PORT)).filter(a -> a != null).toList();
            return new Run(config, o, shape, plan, masters, link, chaosServed, report, zoneNameServers).execute();
        }
    }

    private void describePlan(DrillPlan plan, boolean rocketMqKnown, TaskReport report) {
        plan.changes().forEach(report::change);
        report.put("zone", plan.zone());
        report.put("mode", plan.mode().flag());
        report.put("nodes", plan.nodesToCordon());
        report.put("groupsLosingMaster", rocketMqKnown ? plan.groupsLosingMaster() : null);
        report.put("groupsLosingMember", plan.groupsLosingMember());
        if (!plan.chaosObjects().isEmpty()) {
            report.put("chaosObjects", plan.chaosObjects());
        }
        report.line("Drill of zone " + plan.zone() + " (" + plan.mode().flag() + "): nodes " + plan.nodesToCordon());
        report.line("  groups losing their master: " + (rocketMqKnown ? plan.groupsLosingMaster() : "unknown (RocketMQ not asked)")
                + ", groups losing a member: " + plan.groupsLosingMember());
        if (!plan.controllerPodsInZone().isEmpty()) {
            report.line("  the controller runs in the zone: the drill moves it (" + plan.controllerPodsInZone() + ")");
        }
        plan.chaosObjects().forEach(c -> report.line("  " + c.getKind() + " " + c.getMetadata().getName() + ": "
                + Json.write(c.getAdditionalProperties().get("spec")).replaceAll("\\s+", " ")));
        report.line("Changes, in order (all undone by the restore):");
        plan.changes().forEach(c -> report.line("  " + c.describe()));
    }

    /** One drill after the preflight: everything from taking the lock to releasing it. */
    private final class Run {
        private final CrosszoneConfig config;
        private final DrillOptions o;
        private final BrokerShape shape;
        private final DrillPlan plan;
        private final Map<Integer, String> masters;
        private final RocketMqLink link;
        private final boolean chaosServed;
        private final TaskReport report;
        /** the zone's name servers (host:port): every mode cuts them off with the zone */
        private final List<String> zoneNameServers;
        private StuckClientCheck.ProbeClient probeClient;
        private final String ns;
        private final String brokerCr;
        private final DrillLock lock;
        private final DrillRecord record;
        private final ZoneCut cut;
        private final List<String> actions = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        /** what fails the drill besides its objectives */
        private final List<String> failures = new ArrayList<>();
        private final CountDownLatch finished = new CountDownLatch(1);
        private TimelineTracker tracker;
        private long t0;
        private long start = System.currentTimeMillis();

        Run(CrosszoneConfig config, DrillOptions o, BrokerShape shape, DrillPlan plan, Map<Integer, String> masters,
            RocketMqLink link, boolean chaosServed, TaskReport report, List<String> zoneNameServers) {
            this.config = config;
            this.zoneNameServers = zoneNameServers;
            this.o = o;
            this.shape = shape;
            this.plan = plan;
            this.masters = masters;
            this.link = link;
            this.chaosServed = chaosServed;
            this.report = report;
            this.ns = config.getNamespace();
            this.brokerCr = config.getResources().getBroker();
            this.lock = new DrillLock(k8s.client(), ns, o.leaseDuration());
            this.record = new DrillRecord(holder(), o.zone(), o.mode().flag(), Instant.now().toString());
            this.cut = new ZoneCut(k8s, ns, progress);
        }

        TaskReport execute() throws InterruptedException {
            try {
                lock.acquire(record);
            } catch (DrillLock.HeldByOther e) {
                report.verdict(Verdict.FAILED).warn("preflight: " + lockMessage(e.held()));
                report.line("Drill refused, nothing was touched: another drill holds the lock.");
                return report;
            }
            ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "drill-lease-renewer");
                t.setDaemon(true);
                return t;
            });
            long renewEvery = Math.max(1000, o.leaseDuration().toMillis() / 3);
            renewer.scheduleWithFixedDelay(this::renew, renewEvery, renewEvery, TimeUnit.MILLISECONDS);
            Thread hook = new Thread(() -> {
                abort("the drill's process is shutting down (SIGTERM)");
                progress.warn("shutting down: restoring zone " + o.zone() + " before exiting");
                try {
                    finished.await(o.restoreTimeout().toMillis() + 60_000, TimeUnit.MILLISECONDS);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }, "drill-restore-on-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                return drill();
            } finally {
                renewer.shutdownNow();
                finished.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running: it returns now that the drill has finished
                }
            }
        }

        private void renew() {
            try {
                lock.renew(record.holder);
            } catch (RuntimeException e) {
                progress.warn("could not renew the drill's lock: " + e.getMessage());
            }
        }

        private TaskReport drill() throws InterruptedException {
            MessageProbe probe = null;
            String aborted = null;
            ProbeResult probeResult = null;
            boolean restored = false;
            try {
                probe = startProbe();
                awaitFirstWrites(probe);
                checkpoint.reached("probe-started");
                baseline();
                checkpoint.reached("before-inject");
                probeClient = describeClient(probe);
                t0 = System.currentTimeMillis();
                cut.inject(plan, record, lock::record);
                tracker.add(new DrillEvent(0, Kind.INJECTED, null, o.mode().flag() + ": cordoned " + plan.nodesToCordon()
                        + (plan.brokerPodsToDelete().isEmpty() ? "" : ", killed " + plan.brokerPodsToDelete())
                        + (plan.podsToCut().isEmpty() ? "" : ", cut off " + plan.podsToCut())));
                record.phase = "injected";
                lock.record(record);
                checkpoint.reached("injected");
                aborted = observe(probe);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                aborted = "interrupted";
            } catch (RuntimeException e) {
                aborted = "error: " + e.getMessage();
                progress.warn("the drill failed (" + e + "): restoring");
            } finally {
                boolean interrupted = Thread.interrupted(); // restore even when interrupted; re-set afterwards
                try {
                    restored = restore();
                    if (probe != null) {
                        probeResult = finishProbe(probe);
                    }
                    if (restored && o.failBack()) {
                        failBack();
                    }
                    if (restored && o.failBack()) {
                        // an election for the fail-back shrinks the SyncStateSet until the old master catches up
                        List<String> left = awaitHealthy(config, shape, link, o.restoreTimeout());
                        left.forEach(p -> problems.add("after the fail-back: " + p));
                        restored = left.isEmpty();
                    }
                    if (restored) {
                        // the zone is back: the lock goes whatever verify says; its findings fail the drill
                        List<String> after = preflight.problems(config);
                        after.forEach(p -> failures.add("after restore: " + p
                                + (o.failBack() ? "" : " (masters are not moved back without --fail-back)")));
                    }
                } catch (RuntimeException e) {
                    problems.add("restore: " + e.getMessage());
                    restored = false;
                } finally {
                    if (probe != null) {
                        probe.close();
                    }
                    if (restored) {
                        lock.release(record.holder);
                    } else {
                        problems.add("the lock " + DrillLock.NAME + " is kept with what the drill changed: run failover-drill --recover");
                    }
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            return finish(aborted, probeResult, restored);
        }

        private MessageProbe startProbe() {
            RocketMqGateway g = link.gateway().orElseThrow(() -> new RuntimeFailure("RocketMQ cannot be asked"));
            TopicSpec topic = TopicSpec.of(PROBE_TOPIC, 2);
            for (int group = 0; group < shape.groups(); group++) {
                g.createTopicOnGroup(OperatorNames.brokerName(brokerCr, group), topic);
            }
            ProbeSpec spec = ProbeSpec.of(link.endpoints().nameServerList(), PROBE_TOPIC)
                    .withInterval(o.probeInterval()).withRouteRefresh(o.probeRouteRefresh());
            progress.info("probe: one synchronous send every " + o.probeInterval().toMillis() + " ms to each group, topic "
                    + PROBE_TOPIC + " created on every broker");
            return MessageProbe.start(spec);
        }

        private StuckClientCheck.ProbeClient describeClient(MessageProbe probe) {
            String inUse = probe.nameServerInUse().orElse(null);
            String settings = probe.clientSettings().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(java.util.stream.Collectors.joining(", "))
                    + (inUse == null ? "" : "; route lookups on name server " + inUse
                    + (zoneNameServers.contains(inUse) ? " (in zone " + o.zone() + ")" : ""));
            progress.info("probe client: " + settings);
            ProbeSpec spec = probe.spec();
            return new StuckClientCheck.ProbeClient(settings, spec.routeRefresh().toMillis(), spec.sendTimeout().toMillis(), inUse);
        }

        /** Every group takes the probe's writes before the zone goes: otherwise there is nothing to measure. */
        private void awaitFirstWrites(MessageProbe probe) throws InterruptedException {
            long deadline = System.currentTimeMillis() + 60_000;
            while (true) {
                java.util.Set<String> written = new java.util.TreeSet<>();
                probe.sendsSoFar().stream().filter(r -> r.acked()).forEach(r -> written.add(r.group()));
                List<String> missing = groupNames().stream().filter(g -> !written.contains(g)).toList();
                if (missing.isEmpty()) {
                    return;
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new RuntimeFailure("the probe could not write to " + missing + " within 60 s before the injection"
                            + " (nothing was taken offline)");
                }
                Thread.sleep(100);
            }
        }

        private void baseline() {
            RocketMqGateway g = link.gateway().orElseThrow();
            Map<String, SyncStateSet> sets = g.syncStateSets(groupNames());
            Map<Integer, Integer> inSync = new TreeMap<>();
            for (int group = 0; group < shape.groups(); group++) {
                SyncStateSet s = sets.get(OperatorNames.brokerName(brokerCr, group));
                if (s != null) {
                    inSync.put(group, s.inSync().size());
                }
            }
            tracker = new TimelineTracker(brokerCr, shape.groups(), masters, inSync, plan.groupsLosingMaster());
        }

        /** Polls until every group is served again (both views and the probe), the max duration, or an abort. */
        private String observe(MessageProbe probe) throws InterruptedException {
            long deadline = t0 + o.maxDuration().toMillis();
            long settle = ProbeSpec.of("x", "x").sendTimeout().toMillis() + 1000;
            long clientGrace = o.probeRouteRefresh().toMillis() + settle + 2000;
            long serversAt = -1;
            Repairs repairs = new Repairs();
            String last = null;
            while (true) {
                long now = System.currentTimeMillis();
                long t = now - t0;
                String reason = abort.get();
                if (reason != null) {
                    return reason;
                }
                Optional<RocketMqGateway> g = link.gateway();
                if (g.isPresent()) {
                    try {
                        tracker.nameServer(System.currentTimeMillis() - t0, g.get().clusterView(false));
                    } catch (RuntimeException e) {
                        // every name server silent for this poll: the next one tries again
                    }
                    try {
                        tracker.controller(System.currentTimeMillis() - t0, g.get().syncStateSets(groupNames()));
                    } catch (RuntimeException e) {
                        // no controller leader answered: that is what the stuck-promotion repair watches for
                    }
                }
                tracker.probe(probe.sendsSoFar(), t0);
                repairs.tick(t);
                String status = "without master: " + tracker.withoutMaster() + ", servers recovered: "
                        + tracker.serversRecovered() + ", clients recovered: " + tracker.clientsRecovered();
                if (!status.equals(last)) {
                    progress.info("+" + t + " ms " + status);
                    last = status;
                }
                if (tracker.serversRecovered() && serversAt < 0) {
                    serversAt = t;
                }
                if (serversAt >= 0 && tracker.clientsRecovered() && t >= settle) {
                    return null;
                }
                if (serversAt >= 0 && t - serversAt >= clientGrace) {
                    // the new masters are known; a client that can refresh its routes has done so by now
                    String w = "the probe (a client refreshing its routes every " + o.probeRouteRefresh().toSeconds()
                            + " s) had not written to groups " + tracker.notWrittenAgain() + " again " + clientGrace / 1000
                            + " s after the controller and the name server showed every new master";
                    report.warn(w);
                    progress.warn(w);
                    return null;
                }
                if (now >= deadline) {
                    failures.add("--max-duration " + o.maxDuration() + " reached before every group was served again");
                    return null;
                }
                long sleep = o.pollInterval().toMillis() - (System.currentTimeMillis() - now);
                if (sleep > 0) {
                    Thread.sleep(sleep);
                }
            }
        }

        /** The runbook's manual repairs, each done once (the controller restart a bounded number of times). */
        private final class Repairs {
            private boolean controllerMoved;
            private boolean consoleRestarted;
            private int restarts;
            private long stuckClock;

            void tick(long t) {
                if (!controllerMoved && !plan.controllerPodsInZone().isEmpty()) {
                    controllerMoved = true;
                    moveController(t);
                    stuckClock = t;
                }
                if (!consoleRestarted && config.getResources().getConsole() != null
                        && plan.podsToCut().stream().anyMatch(p -> !plan.controllerPodsInZone().contains(p))) {
                    consoleRestarted = true;
                    restartConsole(t);
                }
                List<Integer> without = tracker.withoutMaster();
                if (without.isEmpty() || restarts >= o.controllerRestarts()
                        || t - stuckClock < o.stuckThreshold().toMillis() || !controllerUp()) {
                    return;
                }
                restarts++;
                stuckClock = t;
                List<PodInfo> controllers = readPods(config).ofRole(Role.CONTROLLER);
                controllers.forEach(c -> k8s.forceDeletePod(ns, c.name()));
                action(t, "restarted the controller (" + names(controllers) + ", attempt " + restarts + " of "
                        + o.controllerRestarts() + "): groups " + without + " had no master for over "
                        + o.stuckThreshold().toSeconds() + " s while it was up");
            }

            private boolean controllerUp() {
                ZonePods now = readPods(config);
                return now.ofRole(Role.CONTROLLER).stream()
                        .anyMatch(c -> c.ready() && !o.zone().equals(now.zoneOf(c)) && !c.labels().containsKey(DrillPlan.CUT_LABEL));
            }
        }

        private void moveController(long t) {
            for (String pod : plan.controllerPodsInZone()) {
                String warning = volumeWarning(pod);
                k8s.forceDeletePod(ns, pod);
                action(t, "force-deleted the controller pod " + pod + " cut off in " + o.zone()
                        + " so that it is rescheduled in a surviving zone");
                if (warning != null) {
                    report.warn(warning);
                    progress.warn(warning);
                }
            }
        }

        /** Why the controller's data may not follow it (a ReadWriteOnce claim), or null. */
        private String volumeWarning(String pod) {
            return k8s.pod(ns, pod).map(p -> p.getSpec().getVolumes() == null ? null : p.getSpec().getVolumes().stream()
                    .filter(v -> v.getPersistentVolumeClaim() != null)
                    .map(v -> v.getPersistentVolumeClaim().getClaimName())
                    .filter(c -> k8s.pvc(ns, c).map(pvc -> pvc.getSpec() != null && pvc.getSpec().getAccessModes() != null
                            && pvc.getSpec().getAccessModes().contains("ReadWriteOnce")).orElse(false))
                    .findFirst().map(c -> "the controller's volume " + c + " is ReadWriteOnce: on a zonal disk it cannot be"
                            + " attached outside " + o.zone() + ", so the rescheduled controller stays Pending there (or,"
                            + " given a new volume, starts without its data)").orElse(null)).orElse(null);
        }

        private void restartConsole(long t) {
            String console = config.getResources().getConsole();
            var before = k8s.restartDeployment(ns, console);
            if (before.isEmpty()) {
                report.warn("the console '" + console + "' has no Deployment " + ns + "/" + console + ": not restarted");
                return;
            }
            action(t, "restarted the console Deployment " + console + " so that it reconnects to a surviving name server");
            ZonePods now = readPods(config);
            List<String> serving = now.ofRole(Role.NAME_SERVER).stream()
                    .filter(p -> p.ready() && !o.zone().equals(now.zoneOf(p)) && !p.labels().containsKey(DrillPlan.CUT_LABEL))
                    .map(p -> p.address(OperatorNames.NAME_SERVER_PORT)).filter(java.util.Objects::nonNull).sorted().toList();
            String stale = ConsoleNameServers.unreachable(console, ConsoleNameServers.of(before.get()), serving);
            if (stale != null) {
                report.warn(stale);
                progress.warn(stale);
            }
        }

        private void action(long t, String what) {
            actions.add(what);
            tracker.add(new DrillEvent(t, Kind.ACTION, null, what));
            progress.info("repair: " + what);
        }

        /** Undoes the injection and waits until the deployment is whole again; false on timeout. */
        private boolean restore() throws InterruptedException {
            long t = System.currentTimeMillis() - t0;
            if (tracker != null) {
                tracker.add(new DrillEvent(t, Kind.RESTORE_STARTED, null, null));
            }
            record.phase = "restoring";
            try {
                lock.record(record);
            } catch (RuntimeException e) {
                problems.add("could not record the restore in the lock: " + e.getMessage());
            }
            List<String> undone = cut.undo(record, chaosServed);
            progress.info("restoring zone " + o.zone() + ": " + (undone.isEmpty() ? "nothing to undo" : String.join(", ", undone)));
            List<String> left = awaitHealthy(config, shape, link, o.restoreTimeout());
            if (left.isEmpty() && !plan.controllerPodsInZone().isEmpty() && t0 > 0) {
                // the repair moved the controller out of its planned zone: with the zone back, it goes home
                plan.controllerPodsInZone().forEach(p -> k8s.forceDeletePod(ns, p));
                action(System.currentTimeMillis() - t0, "restarted the controller " + plan.controllerPodsInZone()
                        + " so that it is scheduled in its planned zone again");
                Thread.sleep(1000);
                left = awaitHealthy(config, shape, link, o.restoreTimeout());
            }
            if (!left.isEmpty()) {
                left.forEach(p -> problems.add("not restored within " + o.restoreTimeout() + ": " + p));
                return false;
            }
            if (tracker != null) {
                tracker.add(new DrillEvent(System.currentTimeMillis() - t0, Kind.RESTORED, null,
                        "every pod Ready, every SyncStateSet full"));
            }
            return true;
        }

        private ProbeResult finishProbe(MessageProbe probe) {
            try {
                return probe.finish(Duration.ofSeconds(30));
            } catch (RuntimeException e) {
                problems.add("the probe could not read its messages back: " + e.getMessage());
                return null;
            }
        }

        private void failBack() throws InterruptedException {
            for (String a : FailoverDrillTask.this.failBack(config, shape, problems)) {
                action(System.currentTimeMillis() - t0, a);
            }
        }

        private TaskReport finish(String aborted, ProbeResult probe, boolean restored) {
            Map<Integer, Long> outages = new TreeMap<>();
            if (probe != null) {
                for (OutageWindow w : probe.outages()) {
                    Integer g = OperatorNames.parseBrokerName(brokerCr, w.group());
                    if (g != null) {
                        outages.merge(g, w.duration().toMillis(), Math::max);
                    }
                }
            }
            List<DrillEvent> timeline = tracker == null ? List.of() : tracker.events();
            List<GroupOutcome> groups = DrillMeasurements.groups(timeline, brokerCr, shape.groups(),
                    plan.groupsLosingMaster(), tracker == null ? Map.of() : tracker.newMasters(), outages);
            Long rto = DrillMeasurements.overallRto(groups);
            long lost = probe == null ? 0 : probe.lostKeys().size();
            if (aborted != null) {
                problems.add(0, "aborted: " + aborted);
            }
            if (probe == null && t0 > 0) {
                problems.add("the probe's messages could not be counted");
            }
            String verdict = DrillVerdict.judge(aborted != null, groups, o.rtoObjective(), lost, o.rpoObjective(),
                    restored, failures, problems);
            Long writeOutage = probe == null ? null : probe.longestOutageDuration().toMillis();
            List<String> clientWarnings = StuckClientCheck.warning(rto, writeOutage, probeClient, zoneNameServers)
                    .map(List::of).orElse(List.of());
            DrillReport drill = new DrillReport(o.zone(), o.mode().flag(), verdict, rto, writeOutage, groups,
                    probe == null ? 0 : probe.acked(), probe == null ? 0 : probe.failed(), lost,
                    probe == null ? List.of() : probe.lostKeys(), probe == null ? 0 : probe.duplicates().size(),
                    List.copyOf(actions), timeline, List.copyOf(problems), System.currentTimeMillis() - start,
                    probeClient == null ? null : probeClient.settings(), clientWarnings);
            writeReports(drill);
            FailoverDrillTask.this.onFinished.accept(drill);
            report.verdict(switch (verdict) {
                case "passed" -> Verdict.PASSED;
                case "failed" -> Verdict.FAILED;
                default -> Verdict.ERROR;
            });
            report.result("verdict", verdict);
            report.result("rto-millis", rto == null ? "" : rto);
            report.result("lost-messages", lost);
            Map<String, Object> fields = Json.MAPPER.convertValue(drill, LinkedHashMap.class);
            fields.remove("verdict"); // the report's own verdict (passed, failed, error) and the result say it
            fields.forEach(report::put);
            if (probe != null) {
                report.put("probe", probe.summary());
            }
            report.line(DrillMarkdown.render(drill));
            problems.forEach(report::warn);
            clientWarnings.forEach(report::warn);
            progress.info("drill " + verdict + ": RTO " + DrillMarkdown.ms(rto) + ", longest write outage "
                    + DrillMarkdown.ms(drill.writeOutageMillis()) + ", lost " + lost + ", duplicates " + drill.duplicates());
            return report;
        }

        private void writeReports(DrillReport drill) {
            if (o.reportDir() == null) {
                return;
            }
            try {
                Files.createDirectories(o.reportDir());
                Files.writeString(o.reportDir().resolve("drill-" + o.zone() + ".json"), Json.write(drill));
                Files.writeString(o.reportDir().resolve("drill-" + o.zone() + ".md"), DrillMarkdown.render(drill));
                Files.writeString(o.reportDir().resolve("drill-" + o.zone() + ".html"), DrillHtml.render(drill));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the drill report into " + o.reportDir(), e);
            }
        }

        private List<String> groupNames() {
            return OperatorNames.brokerNames(brokerCr, shape.groups());
        }
    }

    // ------------------------------------------------------------------ --recover

    /** Undoes a dead drill from its lock's record (and any drill NetworkPolicy left), waits until whole, releases the lock. */
    public TaskReport recover(CrosszoneConfig config, DrillOptions o) throws InterruptedException {
        String ns = config.getNamespace();
        BrokerShape shape = shape(config);
        DrillLock lock = new DrillLock(k8s.client(), ns, o.leaseDuration());
        TaskReport report = TaskReport.mutating("failover-drill", o.dryRun());
        Optional<DrillLock.Held> held = lock.read();
        if (held.isPresent() && !held.get().expired(Instant.now())) {
            progress.info("the lock was renewed " + held.get().renewedAt() + ": waiting up to " + held.get().duration()
                    + " for its holder to renew it again (then it is alive) or not (then it is dead)");
            Instant renewed = held.get().renewedAt();
            long until = System.currentTimeMillis() + held.get().duration().toMillis() + 2000;
            while (System.currentTimeMillis() < until) {
                Thread.sleep(500);
                held = lock.read();
                if (held.isEmpty()) {
                    break;
                }
                if (!held.get().renewedAt().equals(renewed)) {
                    report.verdict(Verdict.FAILED).warn("a drill is running (" + lockMessage(held.get())
                            + "): --recover undoes only a drill whose process died");
                    return report;
                }
            }
        }
        DrillRecord record = held.map(DrillLock.Held::record).orElse(null);
        try (RocketMqLink link = new RocketMqLink(k8s, config, access, CALL_TIMEOUT, Duration.ofSeconds(1))) {
            ZoneCut cut = new ZoneCut(k8s, ns, progress);
            if (record == null) {
                report.line(held.isPresent() ? "The lock holds no record." : "No drill's lock in " + ns + ".");
            } else {
                report.line("Recovering the drill of zone " + record.zone + " (" + record.mode + ", holder " + record.holder
                        + ", started " + record.startedAt + ", phase " + record.phase + ")");
                record.cordonedNodes.forEach(n -> report.change(new Change("uncordon", "Node", null, n, null)));
                record.networkPolicies.forEach(n -> report.change(new Change("delete", "NetworkPolicy", ns, n, null)));
                record.chaosObjects.forEach(n -> report.change(new Change("delete", n.substring(0, n.indexOf('/')), ns,
                        n.substring(n.indexOf('/') + 1), null)));
            }
            List<String> leftovers = cut.leftoverPolicies();
            leftovers.stream().filter(n -> record == null || !record.networkPolicies.contains(n))
                    .forEach(n -> report.change(new Change("delete", "NetworkPolicy", ns, n, "left by a drill")));
            if (o.dryRun()) {
                return report;
            }
            boolean chaos = record != null && !record.chaosObjects.isEmpty()
                    && k8s.servesKind(DrillPlan.CHAOS_API_VERSION, "NetworkChaos");
            List<String> done = new ArrayList<>(cut.undo(record, chaos));
            for (String np : leftovers) {
                if (k8s.deleteNetworkPolicy(ns, np)) {
                    done.add("deleted NetworkPolicy " + np);
                }
            }
            done.forEach(d -> report.line("  " + d));
            List<String> problems = awaitHealthy(config, shape, link, o.restoreTimeout());
            report.put("undone", done);
            if (!problems.isEmpty()) {
                problems.forEach(p -> report.warn("not restored: " + p));
                report.verdict(Verdict.FAILED);
                report.line("Not restored: the lock is kept; run --recover again once the problems are fixed.");
                return report;
            }
            // the dead drill's repair may have moved the controller out of its planned zone: with
            // every zone back, a restart lets the scheduler place it by its zone preference again
            String home = config.controllerZone();
            ZonePods now = readPods(config);
            List<String> away = now.ofRole(ZonePods.Role.CONTROLLER).stream()
                    .filter(p -> home != null && !home.equals(now.zoneOf(p))).map(ZonePods.PodInfo::name).toList();
            if (!away.isEmpty()) {
                away.forEach(p -> k8s.forceDeletePod(config.getNamespace(), p));
                report.line("  restarted the controller " + away + " so that it is scheduled in its planned zone " + home);
                report.change(new Change("restart", "Pod", config.getNamespace(), String.join(",", away), "back to " + home));
                Thread.sleep(1000);
                problems.addAll(awaitHealthy(config, shape, link, o.restoreTimeout()));
            }
            if (o.failBack()) {
                failBack(config, shape, problems).forEach(a -> report.line("  " + a));
                problems.addAll(awaitHealthy(config, shape, link, o.restoreTimeout()));
            }
            lock.release(null);
            report.line("Restored: every pod Ready, every SyncStateSet full; the lock is released.");
            problems.addAll(preflight.problems(config));
            if (!problems.isEmpty()) {
                problems.forEach(p -> report.warn("after recovery: " + p + (o.failBack() ? "" : " (--fail-back moves masters back)")));
                report.verdict(Verdict.FAILED);
            }
            return report;
        }
    }

    /**
     * Elects the planned master (replica 0) of each group where another broker is master now, with
     * {@link MasterFailBack} (one group at a time, only when the group is whole, each waiting until
     * the name server lists it and the SyncStateSet is full again). Returns what it did; what it
     * could not do goes to {@code problems}.
     */
    private List<String> failBack(CrosszoneConfig config, BrokerShape shape, List<String> problems)
            throws InterruptedException {
        String brokerCr = config.getResources().getBroker();
        List<String> groups = OperatorNames.brokerNames(brokerCr, shape.groups());
        GroupHealth.Target target = new GroupHealth.Target(config.getNamespace(), brokerCr,
                config.getResources().getNameService(), config.getResources().getController());
        List<String> done = new ArrayList<>();
        try (GroupHealth health = RocketMqGroupHealth.factory(access, FAIL_BACK_CALL_TIMEOUT).open(k8s, target)) {
            MasterFailBack.Outcome out;
            try {
                out = new MasterFailBack(health, shape.brokersPerGroup(), progress, FAIL_BACK_TIMEOUT,
                        Duration.ofMillis(250)).run(groups);
            } catch (MasterFailBack.TimedOut t) {
                problems.add("fail-back: " + t.getMessage());
                out = t.sofar;
            }
            for (MasterFailBack.Election e : out.elections()) {
                done.add(String.format(java.util.Locale.ROOT, "fail-back: elected replica %d master of %s (was replica %d):"
                        + " listed after %.1f s, SyncStateSet full after %.1f s", e.to(), e.group(), e.from(),
                        e.listedSeconds(), e.seconds()));
            }
            out.notMoved().forEach(n -> problems.add("fail-back: " + n.group() + " left on replica " + n.master() + ": " + n.reason()));
        }
        return done;
    }

    // ------------------------------------------------------------------ shared reads

    private BrokerShape shape(CrosszoneConfig config) {
        List<String> warnings = new ArrayList<>();
        return BrokerShape.resolve(config, k8s.brokerCr(config.getNamespace(), config.getResources().getBroker()), warnings)
                .orElseThrow(() -> new ConfigException("Broker CR '" + config.getResources().getBroker() + "' not found in namespace '"
                        + config.getNamespace() + "': check --broker-cr and --namespace"));
    }

    ZonePods readPods(CrosszoneConfig config) {
        String ns = config.getNamespace();
        return ZonePods.of(config, k8s.nodes(), k8s.pods(ns, OperatorNames.brokerLabels(config.getResources().getBroker())),
                k8s.pods(ns, OperatorNames.nameServiceLabels(config.getResources().getNameService())),
                k8s.pods(ns, OperatorNames.controllerLabels(config.getResources().getController())));
    }

    /** The deployment's health now (see {@link ClusterHealth}). */
    private List<String> health(CrosszoneConfig config, BrokerShape shape, RocketMqLink link) {
        ZonePods pods = readPods(config);
        List<String> policies = new ZoneCut(k8s, config.getNamespace(), progress).leftoverPolicies();
        Optional<RocketMqGateway> g = link.gateway();
        ClusterView view = null;
        Map<String, SyncStateSet> sets = null;
        String error = null;
        if (g.isPresent()) {
            List<String> groups = OperatorNames.brokerNames(config.getResources().getBroker(), shape.groups());
            try {
                view = g.get().clusterView(false);
                sets = g.get().syncStateSets(groups);
            } catch (RuntimeException e) {
                error = e.getMessage();
            }
        } else if (access != RocketMqAccess.NONE) {
            error = "no Ready name server";
        }
        return new ArrayList<>(ClusterHealth.problems(config.getResources().getBroker(), shape.groups(),
                shape.brokersPerGroup(), pods, policies, view, sets, error));
    }

    private List<String> awaitHealthy(CrosszoneConfig config, BrokerShape shape, RocketMqLink link, Duration timeout)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        List<String> last = List.of();
        while (true) {
            List<String> problems = health(config, shape, link);
            if (problems.isEmpty()) {
                return problems;
            }
            if (!problems.equals(last)) {
                progress.info("waiting for the deployment to be whole: " + String.join("; ", problems));
                last = problems;
            }
            if (System.currentTimeMillis() > deadline) {
                return problems;
            }
            Thread.sleep(500);
        }
    }

    static Map<Integer, String> masters(ClusterView view, String brokerCr, int groups) {
        Map<Integer, String> m = new TreeMap<>();
        for (int g = 0; g < groups; g++) {
            int group = g;
            view.masterAddress(OperatorNames.brokerName(brokerCr, g)).ifPresent(a -> m.put(group, a));
        }
        return m;
    }

    private static String lockMessage(DrillLock.Held h) {
        return "another drill holds the lock (Lease " + DrillLock.NAME + ", holder " + h.holder() + ", renewed " + h.renewedAt()
                + (h.record() == null ? "" : ", zone " + h.record().zone + ", phase " + h.record().phase) + ")"
                + (h.expired(Instant.now()) ? "; it is not renewed any more: if its process died, run failover-drill --recover" : "");
    }

    private static String holder() {
        return ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String names(List<PodInfo> pods) {
        return String.join(", ", pods.stream().map(PodInfo::name).toList());
    }
}
