package io.crosszone.tasks.affinity;

import io.crosszone.core.JsonMaps;
import io.crosszone.plan.BrokerPlacement;
import io.crosszone.plan.PlacementPlan;
import io.crosszone.report.Change;
import io.crosszone.report.TaskReport;
import io.crosszone.report.TextTable;
import io.crosszone.report.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** apply-affinity's report: the dry run's diffs, a one-line summary of a change, a revert, where the brokers ended. */
final class AffinityReport {
    private AffinityReport() {
    }

    // ---- dry run

    static void dryRun(List<ObjectChange> changes, ApplyAffinityTask.Options o, String nameServerHold, String controllerHold,
                        TaskReport report) {
        List<Map<String, Object>> diffs = new ArrayList<>();
        for (ObjectChange c : changes) {
            if (!c.changes() && !c.held()) {
                continue;
            }
            String d = c.changes() ? TextDiff.diff(c.before(), c.after()) : "(placement already written; rollout held by --no-restart)\n";
            report.change(new Change("patch", c.target().kind(), null, c.name(), summary(c)));
            report.line("--- " + c.describe() + " (" + (c.target().statefulSet() ? "spec.template" : "spec") + ")");
            report.line(d.stripTrailing());
            diffs.add(Map.of("object", c.describe(), "diff", d, "before", TextDiff.yaml(c.before()), "after", TextDiff.yaml(c.after())));
        }
        report.put("diffs", diffs);
        if (diffs.isEmpty()) {
            report.line("Every object already has its planned placement: nothing to write.");
        } else if (!o.noRestart()) {
            if (nameServerHold != null) {
                report.warn("the name server would be patched but not restarted: " + nameServerHold);
            }
            if (controllerHold != null) {
                report.warn("the controller would be patched but not restarted: " + controllerHold);
            }
        }
    }

    static String summary(ObjectChange c) {
        List<String> parts = new ArrayList<>();
        if (!JsonMaps.same(c.before().get("affinity"), c.after().get("affinity"))) {
            parts.add("affinity");
        }
        if (!JsonMaps.same(c.before().get("labels"), c.after().get("labels"))) {
            parts.add("pod labels " + c.after().get("labels"));
        }
        if (c.after().containsKey(AffinityPlan.NAME_SERVERS)) {
            parts.add("NAMESRV_ADDR " + c.before().get(AffinityPlan.NAME_SERVERS) + " -> " + c.after().get(AffinityPlan.NAME_SERVERS));
        }
        if (parts.isEmpty() && c.held()) {
            parts.add("release the held rollout");
        }
        return String.join(", ", parts) + (c.broker() == null ? "" : " (planned zone " + c.broker().plannedZone() + ")");
    }

    // ---- after the rollout

    static void reverted(List<String> reverted, ObjectChange brokerCr, ApplyAffinityTask.Options o, TaskReport report) {
        report.verdict(Verdict.FAILED);
        report.put("reverted", reverted);
        String what = "the placement was reverted on " + String.join(", ", reverted) + " (read again "
                + o.settle() + " after patching, or while restarting): the operator rewrites StatefulSet specs from its CRs"
                + " (the ksmartdata fork does so every 6 s), so a per-StatefulSet affinity cannot stay.";
        String todo = "What to do: (1) rely on the Broker CR's spec.affinity alone (the hostname spread; zones are then not"
                + " placed per broker), (2) run a zone-aware operator build, or (3) run the fork with per-StatefulSet"
                + " affinity support. Under the upstream operator the patches stay, but deleting a broker StatefulSet"
                + " loses its affinity (the operator recreates it from the Broker CR): restart it, never delete it.";
        report.warn(what);
        report.warn(todo);
        report.line("REVERTED: " + what);
        report.line(todo);
        if (brokerCr.changes()) {
            report.line("The Broker CR's spec.affinity was left unchanged: under such an operator a changed Broker CR"
                    + " rewrites every broker StatefulSet at once, restarting all brokers together.");
        }
    }

    static void placement(PlacementPlan plan, AffinityRollout rollout, TaskReport report) {
        TextTable table = new TextTable("statefulset", "role", "seconds", "node", "zone", "planned zone");
        for (ApplyAffinityTask.Restart r : rollout.restarts) {
            table.row(r.statefulSet(), r.role(), r.seconds(), r.node(), r.zone(), r.plannedZone());
        }
        report.put("restarts", rollout.restarts);
        report.put("restartOrder", rollout.restarts.stream().map(ApplyAffinityTask.Restart::statefulSet).toList());
        if (!rollout.restarts.isEmpty()) {
            report.line("Restarts, in order:");
            table.lines().forEach(report::line);
        }
        if (rollout.o.noRestart()) {
            return;
        }
        List<String> misplaced = new ArrayList<>();
        for (BrokerPlacement b : plan.brokers()) {
            String zone = rollout.room().zoneOfPod(b.statefulSet());
            if (zone != null && !zone.equals(b.plannedZone())) {
                misplaced.add(b.statefulSet() + " runs in " + zone + ", planned " + b.plannedZone());
            }
        }
        if (!misplaced.isEmpty()) {
            report.warn("brokers not in their planned zone: " + String.join("; ", misplaced) + ". The zone is a preference:"
                    + " the scheduler put them elsewhere and three rounds of moves did not bring them back (a node taken by"
                    + " another pod meanwhile?). Re-run apply-affinity to try again; verify-distribution shows what a zone"
                    + " loss would do now.");
        }
    }
}
