package io.crosszone.tasks.labelzones;

import io.crosszone.config.ConfigException;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.core.Progress;
import io.crosszone.k8s.BrokerCr;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.report.Change;
import io.crosszone.report.TaskReport;
import io.crosszone.report.TextTable;
import io.crosszone.report.Verdict;
import io.crosszone.tasks.BrokerShape;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * label-zones: read the nodes (and the Broker CR, for the shape) once, plan, refuse with exit 2
 * and no write when the plan has errors, label what must change, then re-read and verify.
 */
public final class LabelZonesTask {
    private final KubernetesGateway k8s;
    private final Progress progress;

    public LabelZonesTask(KubernetesGateway k8s, Progress progress) {
        this.k8s = k8s;
        this.progress = progress;
    }

    public TaskReport run(CrosszoneConfig config, boolean overwrite, boolean dryRun) {
        String key = config.getZoneLabelKey();
        List<NodeInfo> nodes = k8s.nodes().stream().map(NodeInfo::of).toList();
        List<String> shapeWarnings = new ArrayList<>();
        Optional<BrokerCr> cr = k8s.namespaceExists(config.getNamespace())
                ? k8s.brokerCr(config.getNamespace(), config.getResources().getBroker()) : Optional.empty();
        Optional<BrokerShape> shape = BrokerShape.resolve(config, cr, shapeWarnings);

        LabelZonesPlan plan = ZoneLabelPlanner.plan(config, nodes, overwrite, shape);
        if (!plan.errors().isEmpty()) {
            throw new ConfigException(String.join("; ", plan.errors()) + " (nothing was changed)");
        }

        TaskReport report = TaskReport.mutating("label-zones", dryRun);
        shapeWarnings.forEach(report::warn);
        plan.warnings().forEach(report::warn);
        for (NodeAssignment a : plan.changes()) {
            String detail = key + "=" + a.zone() + (a.currentZone() == null ? "" : " (was " + a.currentZone() + ")");
            report.change(new Change("label", "Node", null, a.node(), detail));
            if (!dryRun) {
                progress.info("labelling node " + a.node() + " " + key + "=" + a.zone());
                k8s.labelNode(a.node(), key, a.zone());
            }
        }

        List<String> wrong = dryRun ? List.of() : verify(plan, key);
        if (!wrong.isEmpty()) {
            report.verdict(Verdict.FAILED);
            wrong.forEach(w -> report.warn("after labelling: " + w));
        }

        List<Map<String, Object>> rows = new ArrayList<>();
        TextTable t = new TextTable("NODE", "ZONE", "STATUS", "CHANGED");
        for (NodeAssignment a : plan.assignments()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("node", a.node());
            row.put("zone", a.zone());
            row.put("previousZone", a.currentZone());
            row.put("changed", a.change());
            row.put("schedulable", a.schedulable());
            row.put("status", a.status());
            rows.add(row);
            t.row(a.node(), a.zone(), a.status(), a.change() ? (dryRun ? "would label" : "labelled") : "no");
        }
        report.put("zoneLabelKey", key);
        report.put("nodes", rows);
        report.put("schedulablePerZone", plan.schedulablePerZone());
        if (!plan.neededPerZone().isEmpty()) {
            report.put("neededPerZone", plan.neededPerZone());
        }
        t.lines().forEach(report::line);
        report.line(plan.changes().isEmpty() ? "Every node already carries its zone label: nothing to change."
                : plan.changes().size() + " node(s) " + (dryRun ? "would be" : "were") + " labelled.");
        return report;
    }

    private List<String> verify(LabelZonesPlan plan, String key) {
        List<String> wrong = new ArrayList<>();
        for (NodeAssignment a : plan.assignments()) {
            Optional<Node> n = k8s.node(a.node());
            String now = n.map(node -> node.getMetadata().getLabels() == null ? null
                    : node.getMetadata().getLabels().get(key)).orElse(null);
            if (!a.zone().equals(now)) {
                wrong.add("node " + a.node() + " carries " + key + "=" + now + ", expected " + a.zone());
            }
        }
        return wrong;
    }
}
