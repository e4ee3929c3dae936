package io.crosszone.cli;

import io.crosszone.config.ConfigValidator;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.core.Progress;
import io.crosszone.plan.PlacementPlan;
import io.crosszone.plan.PlacementPlanner;
import io.crosszone.plan.Topology;
import io.crosszone.plan.ZoneLoss;
import io.crosszone.plan.ZoneLossAnalyzer;
import io.crosszone.report.PlanRendering;
import io.crosszone.report.TaskReport;
import java.util.List;
import picocli.CommandLine.Command;

/** Prints the placement plan and the zone-loss analysis; needs no cluster. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Print the placement plan and what losing each zone would do (works offline).",
                "For every broker StatefulSet, the name server and the controller, e.g.:",
                "  crosszone plan --broker-cr broker --groups 3 --replicas-per-group 2 --zones az1,az2"})
public class PlanCommand extends TaskCommand {

    @Override
    protected List<String> validate(CrosszoneConfig config) {
        return ConfigValidator.validateForPlanning(config);
    }

    @Override
    protected TaskReport execute(CrosszoneConfig config, Progress progress) {
        PlacementPlan plan = PlacementPlanner.plan(config);
        boolean zonalVolume = "StorageClass".equals(config.getController().getStorageMode());
        List<ZoneLoss> zoneLoss = ZoneLossAnalyzer.analyze(Topology.planned(plan,
                config.getController().getSize(), config.getResources().getConsole() != null, zonalVolume));
        TaskReport report = new TaskReport(taskName());
        report.put("brokers", PlanRendering.brokersJson(plan));
        report.put("nameServer", PlanRendering.nameServerJson(plan, config));
        report.put("controller", PlanRendering.controllerJson(plan, config));
        report.put("masterCountPerZone", PlanRendering.masterCountJson(plan));
        report.put("zoneLoss", zoneLoss);
        PlanRendering.text(plan, config, zoneLoss).forEach(report::line);
        return report;
    }
}
