package io.crosszone.tasks.drill;

import io.crosszone.core.Json;
import io.crosszone.plan.OperatorNames;
import io.crosszone.report.TaskReport;
import io.crosszone.rocketmq.probe.OutageWindow;
import io.crosszone.rocketmq.probe.ProbeResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A drill's report from its typed {@link DrillOutcome}: the measurements, the verdict against the
 * objectives ({@link DrillVerdict}) and the task report's lines and fields. Pure: no cluster, no files.
 */
final class DrillReporter {
    private DrillReporter() {
    }

    /** The drill's report; {@code report} gets its verdict, result, fields and lines. */
    static DrillReport report(DrillOutcome x, TaskReport report) {
        ProbeResult probe = x.probe();
        List<String> problems = new ArrayList<>(x.problems());
        Map<Integer, Long> outages = new TreeMap<>();
        if (probe != null) {
            for (OutageWindow w : probe.outages()) {
                Integer g = OperatorNames.parseBrokerName(x.brokerCr(), w.group());
                if (g != null) {
                    outages.merge(g, w.duration().toMillis(), Math::max);
                }
            }
        }
        List<DrillEvent> timeline = x.timeline();
        List<GroupOutcome> groups = DrillMeasurements.groups(timeline, x.brokerCr(), x.groups(),
                x.groupsLosingMaster(), x.newMasters(), outages);
        Long rto = DrillMeasurements.overallRto(groups);
        long lost = probe == null ? 0 : probe.lostKeys().size();
        if (x.aborted() != null) {
            problems.add(0, "aborted: " + x.aborted());
        }
        List<String> failures = new ArrayList<>(x.failures());
        if (probe == null && x.injected()) {
            // no count, no RPO: a drill that cannot say whether acknowledged messages survived does not pass
            failures.add("the probe's messages could not be counted, so the RPO is unknown");
        }
        DrillVerdict verdict = DrillVerdict.judge(x.aborted() != null, groups, x.options().rtoObjective(), lost, x.options().rpoObjective(),
                x.restored(), failures, problems);
        Long writeOutage = probe == null ? null : probe.longestOutageDuration().toMillis();
        List<String> clientWarnings = StuckClientCheck.warning(rto, writeOutage, x.probeClient(), x.zoneNameServers())
                .map(List::of).orElse(List.of());
        DrillReport drill = new DrillReport(x.options().zone(), x.options().mode().flag(), verdict.flag(), rto, writeOutage, groups,
                probe == null ? 0 : probe.acked(), probe == null ? 0 : probe.failed(), lost,
                probe == null ? List.of() : probe.lostKeys(), probe == null ? 0 : probe.duplicates().size(),
                x.actions(), timeline, List.copyOf(problems), x.durationMillis(),
                x.probeClient() == null ? null : x.probeClient().settings(), clientWarnings,
                new DrillReport.Restore(x.options().failBack(), x.restored(), x.warnings()), x.cut());
        report.verdict(verdict.taskVerdict());
        report.result("verdict", verdict.flag());
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
        x.warnings().forEach(report::warn);
        return drill;
    }
}
