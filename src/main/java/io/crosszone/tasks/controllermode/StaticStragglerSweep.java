package io.crosszone.tasks.controllermode;

import io.crosszone.core.Progress;
import io.crosszone.core.TimeSource;
import io.crosszone.core.Waiter;
import io.crosszone.k8s.BrokerCr;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.plan.OperatorNames;
import io.crosszone.report.Change;
import io.crosszone.report.TaskReport;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * After the STATIC objects were backed up and deleted: deletes the pods and claims of STATIC
 * StatefulSets that came back. The StatefulSet controller may still act on a StatefulSet it read
 * just before the delete (its cache lags): a pod, and the claim of that pod, made after the
 * backup. Those are deleted again until none has come back for {@link #QUIET_CHECKS} checks in a
 * row; such a claim is a new empty one (the backed-up claim of that name was deleted). Objects
 * still terminating (a pod's grace period, a claim held by pvc-protection until its pod is gone)
 * are being deleted already: they are waited for, not deleted again.
 *
 * <p>The same rules as the first deletion: only with {@code --delete-static-data}, never in a dry
 * run (both refused with {@link IllegalStateException}: the task never asks), and only while the
 * backup ConfigMap exists (else nothing is deleted and the stragglers are left for the
 * verification to report).
 */
final class StaticStragglerSweep {
    /** How many checks in a row must find no STATIC leftover. */
    static final int QUIET_CHECKS = 3;
    static final int MAX_ROUNDS = 20;
    static final Duration MIN_PAUSE = Duration.ofMillis(100);

    private final KubernetesGateway k8s;
    private final Waiter waiter;
    private final Duration pause;

    /**
     * Looks every {@code poll}, but not more often than every {@link #MIN_PAUSE}, on {@code time}.
     * It prints no progress line: the report's changes say what it deleted.
     */
    StaticStragglerSweep(KubernetesGateway k8s, TimeSource time, Duration poll) {
        this.k8s = k8s;
        this.pause = poll.compareTo(MIN_PAUSE) > 0 ? poll : MIN_PAUSE;
        this.waiter = new Waiter(Progress.silent(), pause, time);
    }

    /** Sweeps until quiet (or {@link #MAX_ROUNDS} checks); every delete is a change in {@code report}. */
    void sweep(BrokerCr broker, SwitchToControllerModeTask.Options o, TaskReport report) throws InterruptedException {
        if (!o.deleteStaticData() || o.dryRun()) {
            throw new IllegalStateException("the straggler sweep deletes only with --delete-static-data and not in a dry run");
        }
        String ns = broker.namespace();
        int[] quiet = {0};
        boolean[] refused = {false};
        try {
            // checked first, deadline after: QUIET_CHECKS quiet checks fit well within MAX_ROUNDS pauses
            waiter.until("STATIC stragglers: ", pause.multipliedBy(MAX_ROUNDS), () -> {
                StaticLeftovers left = leftovers(broker);
                if (!left.statefulSets().isEmpty()) {
                    return Waiter.Status.done("a STATIC StatefulSet is still there: not swept");
                }
                if (left.isEmpty()) {
                    quiet[0]++;
                    return quiet[0] >= QUIET_CHECKS ? Waiter.Status.done("none came back")
                            : Waiter.Status.waiting("none now, looking again");
                }
                quiet[0] = 0;
                List<Pod> pods = left.pods().stream().filter(p -> !terminating(p)).toList();
                List<PersistentVolumeClaim> claims = left.pvcs().stream().filter(c -> !terminating(c)).toList();
                if (pods.isEmpty() && claims.isEmpty()) {
                    return Waiter.Status.waiting("waiting for " + left.pods().size() + " pods and " + left.pvcs().size()
                            + " claims being deleted");
                }
                if (!backedUp(broker)) {
                    refused[0] = true;
                    return Waiter.Status.done("not deleted: the backup ConfigMap " + StaticBackup.configMapName(broker.name())
                            + " is not there");
                }
                pods.forEach(p -> {
                    report.change(new Change("delete", "Pod", ns, p.getMetadata().getName(), "recreated after its StatefulSet was deleted"));
                    k8s.deletePod(ns, p.getMetadata().getName());
                });
                claims.forEach(c -> {
                    report.change(new Change("delete", "PersistentVolumeClaim", ns, c.getMetadata().getName(),
                            "recreated empty after its StatefulSet was deleted"));
                    k8s.deletePvc(ns, c.getMetadata().getName());
                });
                return Waiter.Status.waiting("deleted " + names(pods) + names(claims) + ", recreated after the delete");
            });
        } catch (Waiter.TimedOut t) {
            // what is still there is for the verification to report
        }
        if (refused[0]) {
            report.warn("STATIC objects came back after the delete and were not deleted: the backup ConfigMap "
                    + StaticBackup.configMapName(broker.name()) + " is missing");
        }
    }

    StaticLeftovers leftovers(BrokerCr broker) {
        return leftovers(k8s, broker);
    }

    static StaticLeftovers leftovers(KubernetesGateway k8s, BrokerCr broker) {
        Map<String, String> labels = OperatorNames.brokerLabels(broker.name());
        String ns = broker.namespace();
        return StaticLeftovers.find(broker, k8s.statefulSetsSelecting(ns, labels), k8s.pods(ns, labels), k8s.pvcs(ns, labels));
    }

    private boolean backedUp(BrokerCr broker) {
        return k8s.configMap(broker.namespace(), StaticBackup.configMapName(broker.name())).isPresent();
    }

    private static boolean terminating(HasMetadata o) {
        return o.getMetadata().getDeletionTimestamp() != null;
    }

    private static List<String> names(List<? extends HasMetadata> objects) {
        return objects.stream().map(o -> o.getMetadata().getName()).toList();
    }
}
