package io.crosszone.tasks.affinity;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.plan.OperatorNames;
import io.crosszone.plan.PlacementPlan;
import io.crosszone.plan.rollout.RolloutPlan;
import io.crosszone.plan.rollout.RolloutPlanner;
import io.crosszone.plan.rollout.RolloutStep;
import io.crosszone.report.TaskReport;
import io.crosszone.report.Verdict;
import io.crosszone.tasks.GroupHealth;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * apply-affinity's broker rollout plan: reads the nodes and broker pods, asks RocketMQ who is
 * master and in sync, and hands that to the pure {@link RolloutPlanner}, which needs no spare node
 * (a zone with no free node is entered by a swap set). Also renders a plan for the report: the
 * steps for a dry run, the reasons when no safe order exists.
 */
final class RolloutPlanning {
    private RolloutPlanning() {
    }

    /**
     * @param templateChanges broker StatefulSets whose template is still to be written (or whose
     *                        rollout is held): they need a restart even where they stand
     * @param anyBroker       a broker StatefulSet: its pod template's tolerations and nodeSelector
     *                        (shared by every broker of the CR) decide which nodes can take a broker
     */
    static RolloutPlan plan(KubernetesGateway k8s, CrosszoneConfig config, PlacementPlan plan, Set<String> templateChanges,
                            StatefulSet anyBroker, GroupHealth health) {
        String cr = config.getResources().getBroker();
        PodSpec template = anyBroker.getSpec().getTemplate().getSpec();
        try {
            return RolloutPlanner.plan(RolloutInputs.read(k8s.nodes(), k8s.pods(config.getNamespace(),
                    OperatorNames.brokerLabels(cr)), template, plan, cr, config.getZoneLabelKey(), templateChanges, health));
        } catch (IllegalArgumentException e) {
            // a state the planner does not model, e.g. two brokers on one node (a Broker CR without the hostname spread)
            return new RolloutPlan(List.of(), List.of(e.getMessage() + ". The rollout planner needs one broker per node; give"
                    + " the Broker CR the hostname spread (apply-affinity --no-restart writes it) and restart the brokers that"
                    + " share a node, then re-run"), Map.of());
        }
    }

    /** "broker-0-1 (slave)" per broker, in the plan's order. */
    static List<String> order(RolloutPlan p) {
        List<String> out = new ArrayList<>();
        for (RolloutStep s : p.steps()) {
            for (RolloutStep.Restart r : s.restarts()) {
                out.add(r.broker() + " (" + RolloutStepRunner.role(r) + ")");
            }
        }
        return out;
    }

    /** The steps as JSON-ready maps and as text lines, for the dry run and the report. */
    static void describe(RolloutPlan p, TaskReport report) {
        List<Map<String, Object>> steps = new ArrayList<>();
        for (RolloutStep s : p.steps()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", s.number());
            m.put("swap", s.swap());
            m.put("reason", s.reason());
            List<Map<String, Object>> brokers = new ArrayList<>();
            for (RolloutStep.Restart r : s.restarts()) {
                Map<String, Object> b = new LinkedHashMap<>();
                b.put("broker", r.broker());
                b.put("group", r.group());
                b.put("fromZone", r.fromZone());
                b.put("fromNode", r.fromNode());
                b.put("toZone", r.toZone());
                b.put("role", r.role().name().toLowerCase());
                b.put("handoff", r.handoff().kind().name().toLowerCase().replace('_', '-'));
                if (r.handoff().elected() != null) {
                    b.put("elect", r.handoff().elected());
                }
                b.put("handoffReason", r.handoff().reason());
                brokers.add(b);
            }
            m.put("brokers", brokers);
            steps.add(m);
        }
        report.put("rolloutSteps", steps);
        report.put("plannedRestartOrder", order(p));
        if (p.steps().isEmpty()) {
            return;
        }
        report.line("Broker rollout, " + p.steps().size() + " step(s); each waits for its groups to be fully in sync"
                + " before and after:");
        for (RolloutStep s : p.steps()) {
            report.line("  " + s.number() + ". " + s.restarts().stream().map(RolloutPlanning::brief)
                    .collect(Collectors.joining(" + ")) + (s.swap() ? "  [swap]" : ""));
            report.line("     why: " + s.reason());
            for (RolloutStep.Restart r : s.restarts()) {
                if (r.handoff().kind() != RolloutStep.Handoff.Kind.NONE) {
                    report.line("     " + r.broker() + ": " + r.handoff().reason());
                }
            }
        }
    }

    /** No safe order: exit 1, the reasons, nothing written. */
    static void refuse(RolloutPlan p, TaskReport report) {
        report.verdict(Verdict.FAILED);
        report.put("rolloutRefusals", p.refusals());
        for (String why : p.refusals()) {
            report.warn(why);
            report.line("REFUSED: " + why);
        }
        report.line("No order of broker restarts keeps every group available and its members in different zones on"
                + " these nodes. Nothing was written; --no-restart writes the placement without restarting.");
    }

    private static String brief(RolloutStep.Restart r) {
        String where = r.moves() ? (r.fromZone() == null ? "?" : r.fromZone()) + " -> " + r.toZone() : "in place, " + r.toZone();
        String handoff = r.handoff().kind() == RolloutStep.Handoff.Kind.PLANNED_SWITCH ? ", elect " + r.handoff().elected()
                + " first" : "";
        return r.broker() + " (" + RolloutStepRunner.role(r) + ", " + where + handoff + ")";
    }
}
