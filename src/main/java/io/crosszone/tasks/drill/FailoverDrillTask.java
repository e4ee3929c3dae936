package io.crosszone.tasks.drill;

import io.crosszone.tasks.ControllerReplacement;

import io.crosszone.config.ConfigException;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.core.Checkpoint;
import io.crosszone.core.Json;
import io.crosszone.core.Progress;
import io.crosszone.core.RuntimeFailure;
import io.crosszone.core.TimeSource;
import io.crosszone.core.Waiter;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.plan.OperatorNames;
import io.crosszone.report.TaskReport;
import io.crosszone.report.Verdict;
import io.crosszone.rocketmq.RocketMqAccess;
import io.crosszone.rocketmq.RocketMqGateway;
import io.crosszone.rocketmq.SyncStateSet;
import io.crosszone.rocketmq.probe.MessageProbe;
import io.crosszone.rocketmq.probe.ProbeResult;
import io.crosszone.tasks.BrokerShape;
import io.crosszone.tasks.drill.DrillEvent.Kind;
import io.crosszone.tasks.drill.ZonePods.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
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
        private static final Duration CALL_TIMEOUT = Duration.ofSeconds(1);

    private final KubernetesGateway k8s;
    private final RocketMqAccess access;
    private final Progress progress;
    private final DrillPreflight preflight;
    private final Checkpoint checkpoint;
    private final AtomicReference<String> abort = new AtomicReference<>();
    private final TimeSource time;
    /** Receives every finished drill's report (metrics, history): see {@link #onFinished}. */
    private Consumer<DrillReport> onFinished = d -> { };

    public FailoverDrillTask(KubernetesGateway k8s, RocketMqAccess access, Progress progress, DrillPreflight preflight,
                             Checkpoint checkpoint) {
        this(k8s, access, progress, preflight, checkpoint, TimeSource.SYSTEM);
    }

    public FailoverDrillTask(KubernetesGateway k8s, RocketMqAccess access, Progress progress, DrillPreflight preflight,
                             Checkpoint checkpoint, TimeSource time) {
        this.time = time;
        this.k8s = k8s;
        this.access = access;
        this.progress = progress;
        this.preflight = preflight;
        this.checkpoint = checkpoint;
    }

    private DrillCluster cluster(CrosszoneConfig config) {
        return new DrillCluster(k8s, access, config, progress, new Waiter(progress, Duration.ofMillis(500), time));
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
        DrillCluster cluster = cluster(config);
        BrokerShape shape = cluster.shape();
        ZonePods pods = cluster.pods();
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
            Map<Integer, String> masters = rocketmq.map(g -> DrillCluster.masters(g.clusterView(false), config.getResources().getBroker(),
                    shape.groups())).orElse(Map.of());
            DrillPlan plan = DrillPlan.plan(ns, config.getZoneLabelKey(), config.zoneNames(), o.zone(), o.mode(), pods,
                    masters, o.maxDuration());
            describePlan(plan, rocketmq.isPresent(), report, config, o);
            if (o.mode() == DrillMode.CHAOS_MESH && !chaosServed) {
                report.warn("Chaos Mesh is not installed: a real run stops with exit 2 before touching anything");
            }

            List<String> problems = cluster.health(shape, link);
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
            return new Run(cluster, o, shape, plan, masters, link, chaosServed, report, pods).execute();
        }
    }

    private void describePlan(DrillPlan plan, boolean rocketMqKnown, TaskReport report, CrosszoneConfig config, DrillOptions o) {
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
            controllerVolume(plan, report, config, o);
        }
        plan.chaosObjects().forEach(c -> report.line("  " + c.getKind() + " " + c.getMetadata().getName() + ": "
                + Json.write(c.getAdditionalProperties().get("spec")).replaceAll("\\s+", " ")));
        report.line("Changes, in order (all undone by the restore):");
        plan.changes().forEach(c -> report.line("  " + c.describe()));
    }

    /** What moving the controller means for its data: a claim that cannot leave the zone is replaced (with the flag) or keeps it Pending. */
    private void controllerVolume(DrillPlan plan, TaskReport report, CrosszoneConfig config, DrillOptions o) {
        java.util.Set<String> surviving = new java.util.TreeSet<>(config.zoneNames());
        surviving.remove(plan.zone());
        ControllerReplacement replacement = new ControllerReplacement(k8s, config.getNamespace(), config.getZoneLabelKey());
        List<String> stranded = plan.controllerPodsInZone().stream()
                .flatMap(p -> replacement.strandedClaims(p, surviving).stream()).toList();
        if (stranded.isEmpty()) {
            return;
        }
        report.put("controllerClaimsStranded", stranded);
        report.line(o.replaceControllerVolume()
                ? "  its claim " + stranded + " cannot leave " + plan.zone() + ": it is replaced (--replace-controller-volume), the"
                        + " controller starts empty in a surviving zone and is re-seeded from the SyncStateSets read before the cut"
                        + " (kept as controller-metadata-before-cut-" + plan.zone() + ".json); the restore moves it home the same way"
                : "  its claim " + stranded + " cannot leave " + plan.zone() + ": the moved controller stays Pending until the zone"
                        + " is back and no group can get a new master (--replace-controller-volume replaces the claim and re-seeds it)");
    }

    /** One drill after the preflight: everything from taking the lock to releasing it. */
    private final class Run {
        private final DrillCluster cluster;
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
        private final ZonePods pods;
        /** whether (and when) the cut was in effect; null until it was checked */
        private volatile CutCheck.Result cutCheck;
        private StuckClientCheck.ProbeClient probeClient;
        private String tunedSettings;
        private final String ns;
        private final String brokerCr;
        private final DrillLock lock;
        private final DrillRecord record;
        private final ZoneCut cut;
        private final ProbeTraffic traffic;
        private final List<String> actions = new ArrayList<>();
        /** the one restore of every way out; its problems and failures are the drill's */
        private final Restorer restorer;
        private final List<String> problems;
        /** what fails the drill besides its objectives */
        private final List<String> failures;
        private TimelineTracker tracker;
        /** how the cut was enforced (read from the cluster once it is made) */
        private volatile String networkModel;
        private long t0;
        private long cutMadeAt;
        private final long start = time.currentMillis();

        Run(DrillCluster cluster, DrillOptions o, BrokerShape shape, DrillPlan plan, Map<Integer, String> masters,
            RocketMqLink link, boolean chaosServed, TaskReport report, ZonePods pods) {
            this.cluster = cluster;
            this.config = cluster.config();
            this.pods = pods;
            this.o = o;
            this.zoneNameServers = nameServers(true);
            this.shape = shape;
            this.plan = plan;
            this.masters = masters;
            this.link = link;
            this.chaosServed = chaosServed;
            this.report = report;
            this.ns = config.getNamespace();
            this.brokerCr = config.getResources().getBroker();
            this.lock = new DrillLock(k8s.client(), ns, o.leaseDuration());
            this.record = new DrillRecord(holder(), o.zone(), o.mode().flag(), time.now().toString());
            this.cut = new ZoneCut(k8s, ns, progress);
            this.traffic = new ProbeTraffic(link, shape, brokerCr, o, zoneNameServers, progress, time);
            this.restorer = new Restorer(cluster, access, preflight, progress, o, shape, link, lock,
                    what -> action(t0 > 0 ? time.currentMillis() - t0 : 0, what));
            this.problems = restorer.problems;
            this.failures = restorer.failures;
        }

        TaskReport execute() throws InterruptedException {
            DrillLease lease;
            try {
                lease = DrillLease.take(lock, record, o, () -> abort("the drill's process is shutting down (SIGTERM)"), progress);
            } catch (DrillLock.HeldByOther e) {
                report.verdict(Verdict.FAILED).warn("preflight: " + lockMessage(e.held()));
                report.line("Drill refused, nothing was touched: another drill holds the lock.");
                return report;
            }
            try (lease) {
                return drill();
            }
        }

        private TaskReport drill() throws InterruptedException {
            MessageProbe probe = null;
            MessageProbe tuned = null;
            String aborted = null;
            ProbeResult probeResult = null;
            ProbeResult tunedResult = null;
            boolean restored = false;
            try {
                probe = traffic.start();
                tuned = traffic.startTuned();
                tunedSettings = ProbeTraffic.settings(tuned);
                traffic.awaitFirstWrites(probe);
                checkpoint.reached("probe-started");
                baseline();
                checkpoint.reached("before-inject");
                probeClient = traffic.describeClient(probe);
                long cutAt = time.currentMillis();
                cutMadeAt = cutAt;
                cut.inject(plan, record, lock::record);
                // kill: the zone's brokers crash *with* the cut. Killed only once the cut was confirmed,
                // they lived on for seconds while their zone's controller, already cut off from the
                // other zone, could elect one of them (seen in CI: kill az2, 6.4 s to confirm)
                boolean crashWithCut = o.mode() == DrillMode.KILL;
                if (crashWithCut) {
                    cut.killBrokers(plan);
                }
                // t=0 is the cut itself, in every mode, and the observation starts there while the cut
                // is confirmed beside it: an election during the confirmation (3.5 s after a partition,
                // 3.5 s before the confirmation that used to be t=0, DrillBench) is dated within a poll,
                // not at the first poll after it. Repairs wait for the confirmation (no action before the
                // cut holds), and a cut not in effect in time aborts the observation.
                t0 = cutAt;
                CompletableFuture<String> confirmation = confirmCut(cutAt, crashWithCut);
                tracker.add(new DrillEvent(0, Kind.INJECTED, null, o.mode().flag() + ": cordoned " + plan.nodesToCordon()
                        + (plan.brokerPodsToDelete().isEmpty() ? "" : ", killed " + plan.brokerPodsToDelete())
                        + (plan.podsToCut().isEmpty() ? "" : ", cut off " + plan.podsToCut())));
                record.phase = DrillPhase.INJECTED;
                lock.record(record);
                checkpoint.reached("injected");
                try {
                    aborted = new Observer(link, tracker, new RunbookRepairs(cluster, plan, o, report, progress, this::action,
                            baselineSets, restorer.reseeded), o, report, progress, time,
                            () -> abort.get() != null ? abort.get() : cutOutcome(confirmation), confirmation::isDone, groupNames())
                            .observe(probe, t0, failures);
                } finally {
                    confirmation.cancel(true);
                }
                zoneActedAfterCut().forEach(failures::add);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                aborted = "interrupted";
            } catch (RuntimeException e) {
                aborted = "error: " + e.getMessage();
                progress.warn("the drill failed (" + e + "): restoring");
            } finally {
                boolean interrupted = Thread.interrupted(); // restore even when interrupted; re-set afterwards
                try {
                    restoreZone();
                    // both probes stop and are read back at once: each read-back reads the whole topic
                    List<String> tunedProblems = new ArrayList<>();
                    MessageProbe t = tuned;
                    CompletableFuture<ProbeResult> tunedRead = t == null ? CompletableFuture.completedFuture(null)
                            : CompletableFuture.supplyAsync(() -> traffic.finish("tuned", t, tunedProblems));
                    if (probe != null) {
                        probeResult = traffic.finish("ordinary", probe, problems);
                    }
                    tunedResult = tunedRead.join();
                    problems.addAll(tunedProblems);
                } catch (RuntimeException e) {
                    restorer.failed(e);
                } finally {
                    if (probe != null) {
                        probe.close();
                    }
                    if (tuned != null) {
                        tuned.close();
                    }
                    restored = restorer.settle(record.holder);
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            return finish(aborted, probeResult, tunedResult, restored);
        }

        /**
         * Confirms the cut beside the observation: waits until the zone's cut-off members stop answering
         * ({@link CutCheck}), reads how the cut was enforced, and (in the modes that do not crash them
         * with the cut) kills the brokers the plan kills. Completes with null when the cut holds, else
         * with why the drill stops. Chaos Mesh partitions the zone from the other zones' pods, not from
         * the drill, so there the drill cannot tell and does not wait.
         */
        private CompletableFuture<String> confirmCut(long cutAt, boolean crashedWithCut) {
            CompletableFuture<String> done = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    String reason = awaitCut(cutAt);
                    networkModel = cut.networkModel(plan); // once enforced: the lab stamps its model on the policy
                    if (reason == null && !crashedWithCut) {
                        cut.killBrokers(plan);
                    }
                    if (reason == null && cutCheck != null) {
                        tracker.add(new DrillEvent(cutCheck.millis(), Kind.CUT_IN_EFFECT, null, "every cut-off member stopped"
                                + " answering the drill " + cutCheck.millis() + " ms after the cut: " + cutCheck.silent()));
                    }
                    done.complete(reason);
                } catch (InterruptedException e) {
                    done.complete("interrupted while confirming the cut");
                } catch (RuntimeException e) {
                    done.complete("error while confirming the cut: " + e.getMessage());
                }
            }, "drill-cut-check");
            t.setDaemon(true);
            t.start();
            done.whenComplete((r, e) -> {
                if (done.isCancelled()) {
                    t.interrupt();
                }
            });
            return done;
        }

        /** Null while the cut is being confirmed or once it holds; why the drill stops when it did not hold. */
        private static String cutOutcome(CompletableFuture<String> confirmation) {
            return confirmation.isDone() && !confirmation.isCancelled() ? confirmation.getNow(null) : null;
        }

        private String awaitCut(long cutAt) throws InterruptedException {
            if (o.mode() == DrillMode.CHAOS_MESH) {
                return null;
            }
            List<CutCheck.RocketMqMember> members = CutCheck.members(plan, pods, access, nameServers(false));
            CutCheck.Result result;
            try {
                result = CutCheck.await(members, time, cutAt, CutCheck.WAIT);
            } finally {
                members.forEach(CutCheck.RocketMqMember::close);
            }
            cutCheck = result;
            progress.info(result.inEffect() ? "the cut is in effect after " + result.millis() + " ms: silent " + result.silent()
                    : "the cut is not in effect after " + CutCheck.WAIT.toSeconds() + " s: " + result.stillAnswering()
                    + " still answer the drill");
            return result.inEffect() ? null : "the cut was not in effect within " + CutCheck.WAIT.toSeconds()
                    + " s: " + result.stillAnswering() + " still answered the drill";
        }

        /** A broker of the lost zone that became master after t=0: the cut did not hold. */
        private List<String> zoneActedAfterCut() {
            return tracker.newMasters().entrySet().stream()
                    .filter(e -> pods.brokerAt(e.getValue()).map(p -> o.zone().equals(pods.zoneOf(p))).orElse(false))
                    .map(e -> OperatorNames.brokerName(brokerCr, e.getKey()) + ": " + e.getValue() + " of the lost zone "
                            + o.zone() + " became master after t=0").toList();
        }

        /** The name servers (host:port) in the drilled zone, or outside it. */
        private List<String> nameServers(boolean inZone) {
            return pods.ofRole(Role.NAME_SERVER).stream().filter(p -> inZone == o.zone().equals(pods.zoneOf(p)))
                    .map(p -> p.address(OperatorNames.NAME_SERVER_PORT)).filter(a -> a != null).toList();
        }

        /** each group's SyncStateSet read before the cut (an empty controller's re-seed comes from it) */
        private Map<String, SyncStateSet> baselineSets = Map.of();

        private void baseline() {
            RocketMqGateway g = link.gateway().orElseThrow();
            Map<String, SyncStateSet> sets = g.syncStateSets(groupNames());
            baselineSets = sets;
            Map<Integer, Integer> inSync = new TreeMap<>();
            for (int group = 0; group < shape.groups(); group++) {
                SyncStateSet s = sets.get(OperatorNames.brokerName(brokerCr, group));
                if (s != null) {
                    inSync.put(group, s.inSync().size());
                }
            }
            tracker = new TimelineTracker(brokerCr, shape.groups(), masters, inSync, plan.groupsLosingMaster());
        }

        private void action(long t, String what) {
            actions.add(what);
            tracker.add(new DrillEvent(t, Kind.ACTION, null, what));
            progress.info("repair: " + what);
        }

        /** The restorer's first half, between the timeline's RESTORE_STARTED and RESTORED events. */
        private void restoreZone() throws InterruptedException {
            if (tracker != null) {
                tracker.add(new DrillEvent(t0 > 0 ? time.currentMillis() - t0 : 0, Kind.RESTORE_STARTED, null, null));
            }
            restorer.restoreZone(record, chaosServed);
            if (restorer.whole() && tracker != null) {
                tracker.add(new DrillEvent(time.currentMillis() - t0, Kind.RESTORED, null,
                        "every pod Ready, every SyncStateSet full"));
            }
        }

        private TaskReport finish(String aborted, ProbeResult probe, ProbeResult tunedProbe, boolean restored) {
            DrillOutcome outcome = new DrillOutcome(o, brokerCr, shape.groups(), plan.groupsLosingMaster(), aborted, t0 > 0,
                    probe, restored, tracker == null ? List.of() : tracker.events(),
                    tracker == null ? Map.of() : tracker.newMasters(), List.copyOf(actions), List.copyOf(failures),
                    new ArrayList<>(problems), time.currentMillis() - start, probeClient, zoneNameServers,
                    List.copyOf(restorer.warnings), new DrillReport.Cut(o.mode().models(),
                    networkModel == null ? "unknown (the cut was not made)" : networkModel,
                    cutCheck == null ? null : cutCheck.millis(), cutCheck == null ? List.of() : cutCheck.silent(),
                    cutCheck == null ? List.of() : cutCheck.stillAnswering(),
                    cutMadeAt > 0 ? java.time.Instant.ofEpochMilli(cutMadeAt).toString() : null,
                    t0 > 0 ? java.time.Instant.ofEpochMilli(t0).toString() : null), tunedProbe, tunedSettings);
            DrillReport drill = DrillReporter.report(outcome, report);
            writeReports(drill);
            FailoverDrillTask.this.onFinished.accept(drill);
            progress.info("drill " + drill.verdict() + ": RTO " + DrillMarkdown.ms(drill.rtoMillis()) + ", longest write outage "
                    + DrillMarkdown.ms(drill.writeOutageMillis()) + ", lost " + drill.lost() + ", duplicates " + drill.duplicates());
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

    /** Undoes a drill whose process died ({@link DrillRecovery}). */
    public TaskReport recover(CrosszoneConfig config, DrillOptions o) throws InterruptedException {
        return new DrillRecovery(k8s, access, progress, preflight, time, cluster(config)).recover(config, o);
    }

    // ------------------------------------------------------------------ shared

    static String lockMessage(DrillLock.Held h) {
        return "another drill holds the lock (Lease " + DrillLock.NAME + ", holder " + h.holder() + ", renewed " + h.renewedAt()
                + (h.record() == null ? "" : ", zone " + h.record().zone + ", phase " + h.record().phase) + ")"
                + (h.expired(Instant.now()) ? "; it is not renewed any more: if its process died, run failover-drill --recover" : "");
    }

    static String holder() {
        return ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

}
