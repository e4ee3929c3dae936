package io.crosszone.tasks.drill;

import io.crosszone.tasks.ControllerReplacement;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.core.Progress;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.plan.OperatorNames;
import io.crosszone.report.TaskReport;
import io.crosszone.tasks.drill.ZonePods.PodInfo;
import io.crosszone.tasks.drill.ZonePods.Role;
import io.crosszone.rocketmq.SyncStateSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The runbook's manual repairs during a drill, each done once (the controller restart a bounded
 * number of times): move a controller cut off in the zone, restart the console so that it reconnects
 * to a surviving name server, restart a controller that is up while groups stay without a master.
 */
final class RunbookRepairs {
    /** Where a repair is recorded (the actions, the timeline, a progress line), at {@code t} ms after the cut. */
    @FunctionalInterface
    interface Actions {
        void done(long t, String what);
    }

    private final DrillCluster cluster;
    private final KubernetesGateway k8s;
    private final String ns;
    private final CrosszoneConfig config;
    private final DrillPlan plan;
    private final DrillOptions o;
    private final TaskReport report;
    private final Progress progress;
    private final Actions actions;
    private boolean controllerMoved;
    private boolean consoleRestarted;
    private int restarts;
    private long stuckClock;
    /** each group as read before the cut: what an empty controller is re-seeded from */
    private final Map<String, SyncStateSet> before;
    /** the groups a re-seed still has to do: all of {@link #before} at first, then any that failed on the way */
    private Map<String, SyncStateSet> toReseed;
    private final ControllerReplacement replacement;
    /** since when (ms after the cut) a re-seed waits for the replaced controller; -1: none pending */
    private long reseedSince = -1;
    /** How long a replaced controller may take to start and lead before the re-seed gives up. */
    private static final long RESEED_WAIT_MILLIS = 120_000;
    private static final long RESEED_RETRY_MILLIS = 2_000;
    private long lastReseedAttempt = Long.MIN_VALUE / 2;

    /** the groups the re-seed gave a master, for the restore (see {@link ControllerReplacement#realign}) */
    private final List<ControllerReplacement.Reseeded> reseeded;

    RunbookRepairs(DrillCluster cluster, DrillPlan plan, DrillOptions o, TaskReport report, Progress progress,
                   Actions actions, Map<String, SyncStateSet> before, List<ControllerReplacement.Reseeded> reseeded) {
        this.before = before;
        this.toReseed = before;
        this.reseeded = reseeded;
        this.replacement = new ControllerReplacement(cluster.k8s(), cluster.config().getNamespace(),
                cluster.config().getZoneLabelKey());
        this.cluster = cluster;
        this.k8s = cluster.k8s();
        this.config = cluster.config();
        this.ns = config.getNamespace();
        this.plan = plan;
        this.o = o;
        this.report = report;
        this.progress = progress;
        this.actions = actions;
    }

    /** One look, {@code t} ms after the cut, with the groups that have no master now. */
    void tick(long t, List<Integer> without) {
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
        if (reseedSince >= 0) {
            reseedWhenUp(t);
            return; // restarting the controller being re-seeded would not help it
        }
        if (without.isEmpty() || restarts >= o.controllerRestarts()
                || t - stuckClock < o.stuckThreshold().toMillis() || !controllerUp()) {
            return;
        }
        restarts++;
        stuckClock = t;
        List<PodInfo> controllers = cluster.pods().ofRole(Role.CONTROLLER);
        controllers.forEach(c -> k8s.forceDeletePod(ns, c.name()));
        actions.done(t, "restarted the controller (" + names(controllers) + ", attempt " + restarts + " of "
                + o.controllerRestarts() + "): groups " + without + " had no master for over "
                + o.stuckThreshold().toSeconds() + " s while it was up");
    }

    private boolean controllerUp() {
        ZonePods now = cluster.pods();
        return now.ofRole(Role.CONTROLLER).stream()
                .anyMatch(c -> c.ready() && !o.zone().equals(now.zoneOf(c)) && !c.labels().containsKey(DrillPlan.CUT_LABEL));
    }

    private void moveController(long t) {
        Set<String> surviving = new TreeSet<>(config.zoneNames());
        surviving.remove(o.zone());
        for (String pod : plan.controllerPodsInZone()) {
            List<String> stranded = replacement.strandedClaims(pod, surviving);
            if (!stranded.isEmpty() && o.replaceControllerVolume()) {
                backUpControllerMetadata();
                replacement.replace(pod, stranded);
                reseedSince = t;
                actions.done(t, "replaced the claim " + String.join(", ", stranded) + " of the controller pod " + pod
                        + " cut off in " + o.zone() + " (its volume cannot leave " + o.zone() + "): it starts empty in a"
                        + " surviving zone and is re-seeded from the SyncStateSets read before the cut");
                continue;
            }
            String warning = volumeWarning(pod);
            if (!stranded.isEmpty()) {
                warning = "the controller's volume " + String.join(", ", stranded) + " cannot be attached outside " + o.zone()
                        + ": the rescheduled controller stays Pending until the zone is back; --replace-controller-volume"
                        + " gives it a new volume in a surviving zone and re-seeds it";
            }
            k8s.forceDeletePod(ns, pod);
            actions.done(t, "force-deleted the controller pod " + pod + " cut off in " + o.zone()
                    + " so that it is rescheduled in a surviving zone");
            if (warning != null) {
                report.warn(warning);
                progress.warn(warning);
            }
        }
    }

    /**
     * The backup of what the controller held that matters, before its volume is given up: each group as
     * read before the cut (ids, addresses, SyncStateSet, epochs), in the task's output and, with
     * --report-dir, in {@code controller-metadata-before-cut-<zone>.json}.
     */
    private void backUpControllerMetadata() {
        report.put("controllerMetadataBeforeCut", before);
        if (o.reportDir() != null) {
            try {
                java.nio.file.Files.createDirectories(o.reportDir());
                java.nio.file.Files.writeString(o.reportDir().resolve("controller-metadata-before-cut-" + o.zone() + ".json"),
                        io.crosszone.core.Json.write(before));
            } catch (java.io.IOException e) {
                report.warn("could not write the controller metadata backup: " + e.getMessage());
            }
        }
    }

    /**
     * Once the replaced controller runs outside the zone: re-seed it (see {@link ControllerReplacement}).
     * Until it answers as leader, tried again at the next look, for at most {@link #RESEED_WAIT_MILLIS}.
     */
    private void reseedWhenUp(long t) {
        ZonePods now = cluster.pods();
        List<PodInfo> up = now.ofRole(Role.CONTROLLER).stream()
                .filter(c -> c.ready() && !o.zone().equals(now.zoneOf(c)) && !c.labels().containsKey(DrillPlan.CUT_LABEL)).toList();
        if (up.isEmpty() && t - reseedSince < RESEED_WAIT_MILLIS) {
            return;
        }
        if (t - lastReseedAttempt < RESEED_RETRY_MILLIS && t - reseedSince < RESEED_WAIT_MILLIS) {
            return; // a group that failed on the way is tried again, not at every look
        }
        lastReseedAttempt = t;
        List<String> refused = new ArrayList<>();
        List<String> done;
        int from = reseeded.size();
        try {
            if (up.isEmpty()) {
                throw new IllegalStateException("the replaced controller is not Ready outside " + o.zone());
            }
            done = replacement.reseed(ControllerReplacement.addresses(up.stream().map(ZonePods.PodInfo::ip).toList()), config.getResources().getBroker(), toReseed,
                    address -> now.brokerAt(address).map(b -> b.ready() && !o.zone().equals(now.zoneOf(b))
                            && !b.labels().containsKey(DrillPlan.CUT_LABEL)).orElse(false), refused, reseeded);
        } catch (RuntimeException e) {
            if (t - reseedSince < RESEED_WAIT_MILLIS) {
                return; // e.g. no leader yet: the next look tries again
            }
            reseedSince = -1;
            String why = "re-seeding the replaced controller failed after " + RESEED_WAIT_MILLIS / 1000 + " s: " + e.getMessage();
            report.warn(why);
            progress.warn(why);
            return;
        }
        // a group whose re-seed failed on the way (not one the plan refused) is tried again at the next look
        Map<String, SyncStateSet> failed = new java.util.LinkedHashMap<>();
        refused.stream().filter(r -> r.contains(": re-seeding failed: ")).map(r -> r.substring(0, r.indexOf(':')))
                .filter(toReseed::containsKey).forEach(g -> failed.put(g, toReseed.get(g)));
        boolean retry = !failed.isEmpty() && t - reseedSince < RESEED_WAIT_MILLIS;
        toReseed = retry ? failed : toReseed;
        reseedSince = retry ? reseedSince : -1;
        if (retry) {
            refused.removeIf(r -> failed.containsKey(r.substring(0, r.indexOf(':'))));
        }
        // the re-seed elected every group it could and the masters it made restart now: a group without
        // a master is "stuck" only if it stays so for the threshold from here, not from the cut
        stuckClock = t;
        if (!done.isEmpty()) {
            actions.done(t, "re-seeded the empty controller " + names(up) + ": " + String.join("; ", done));
        }
        if (o.mode() != DrillMode.KILL) {
            // measured: where the cut replicas crashed (kill) writes resumed without it (1.6 s) and the
            // restart cost ~22 s; where the zone went silent they did not resume until the zone was back
            restartMasters(t, now, reseeded.subList(from, reseeded.size()));
        }
        refused.forEach(r -> {
            report.warn("re-seed: " + r);
            progress.warn("re-seed: " + r);
        });
    }

    /** {@link ControllerReplacement#restartMasters}: why, there. */
    private void restartMasters(long t, ZonePods now, List<ControllerReplacement.Reseeded> groups) {
        replacement.restartMasters(groups, address -> now.brokerAt(address).map(ZonePods.PodInfo::name)).forEach((group, pod) ->
                actions.done(t, "restarted the master " + pod + " of " + group + " so that it takes the re-seeded"
                        + " controller's SyncStateSet (it kept the old controller's, with a higher epoch, and would wait for its"
                        + " cut-off replica)"));
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
        actions.done(t, "restarted the console Deployment " + console + " so that it reconnects to a surviving name server");
        ZonePods now = cluster.pods();
        List<String> serving = now.ofRole(Role.NAME_SERVER).stream()
                .filter(p -> p.ready() && !o.zone().equals(now.zoneOf(p)) && !p.labels().containsKey(DrillPlan.CUT_LABEL))
                .map(p -> p.address(OperatorNames.NAME_SERVER_PORT)).filter(java.util.Objects::nonNull).sorted().toList();
        String stale = ConsoleNameServers.unreachable(console, ConsoleNameServers.of(before.get()), serving);
        if (stale != null) {
            report.warn(stale);
            progress.warn(stale);
        }
    }

    private static String names(List<PodInfo> pods) {
        return String.join(", ", pods.stream().map(PodInfo::name).toList());
    }
}
