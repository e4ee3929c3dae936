package io.crosszone.tasks.drill;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.core.Progress;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.plan.OperatorNames;
import io.crosszone.report.TaskReport;
import io.crosszone.tasks.drill.ZonePods.PodInfo;
import io.crosszone.tasks.drill.ZonePods.Role;
import java.util.List;

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

    RunbookRepairs(DrillCluster cluster, DrillPlan plan, DrillOptions o, TaskReport report, Progress progress,
                   Actions actions) {
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
        for (String pod : plan.controllerPodsInZone()) {
            String warning = volumeWarning(pod);
            k8s.forceDeletePod(ns, pod);
            actions.done(t, "force-deleted the controller pod " + pod + " cut off in " + o.zone()
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
