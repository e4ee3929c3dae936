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
import java.util.function.ToLongFunction;

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
        ProbeResult tuned = x.tunedProbe();
        List<String> lostKeys = new ArrayList<>();
        for (ProbeResult p : new ProbeResult[] {probe, tuned}) {
            if (p != null) {
                lostKeys.addAll(p.lostKeys());
            }
        }
        long lost = lostKeys.size();
        if (x.aborted() != null) {
            problems.add(0, "aborted: " + x.aborted());
        }
        List<String> failures = new ArrayList<>(x.failures());
        if (probe == null && x.injected()) {
            // no count, no RPO: a drill that cannot say whether acknowledged messages survived does not pass
            failures.add("the probe's messages could not be counted, so the RPO is unknown");
        }
        if (tuned == null && x.injected()) {
            failures.add("the tuned probe's messages could not be counted, so the RPO is unknown");
        }
        DrillVerdict verdict = DrillVerdict.judge(x.aborted() != null, groups, x.options().rtoObjective(), lost, x.options().rpoObjective(),
                x.restored(), failures, problems);
        Long writeOutage = probe == null ? null : probe.longestOutageDuration().toMillis();
        List<String> clientWarnings = StuckClientCheck.warning(rto, writeOutage, x.probeClient(), x.zoneNameServers())
                .map(List::of).orElse(List.of());
        DrillReport drill = new DrillReport(x.options().zone(), x.options().mode().flag(), verdict.flag(), rto, writeOutage, groups,
                sum(probe, tuned, ProbeResult::acked), sum(probe, tuned, ProbeResult::failed), lost, lostKeys,
                sum(probe, tuned, r -> r.duplicates().size()),
                x.actions(), timeline, List.copyOf(problems), x.durationMillis(),
                x.probeClient() == null ? null : x.probeClient().settings(), clientWarnings,
                new DrillReport.Restore(x.options().failBack(), x.restored(), x.warnings()), x.cut(),
                List.of(probe("ordinary", x.probeClient() == null ? null : x.probeClient().settings(), probe),
                        probe("tuned", x.tunedSettings(), tuned)));
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
        if (tuned != null) {
            report.put("tunedProbe", tuned.summary());
        }
        report.line(DrillMarkdown.render(drill));
        problems.forEach(report::warn);
        clientWarnings.forEach(report::warn);
        x.warnings().forEach(report::warn);
        return drill;
    }

    private static long sum(ProbeResult a, ProbeResult b, ToLongFunction<ProbeResult> f) {
        return (a == null ? 0 : f.applyAsLong(a)) + (b == null ? 0 : f.applyAsLong(b));
    }

    private static DrillReport.Probe probe(String client, String settings, ProbeResult r) {
        return r == null ? new DrillReport.Probe(client, settings, 0, 0, 0, 0, null)
                : new DrillReport.Probe(client, settings, r.acked(), r.failed(), r.lostKeys().size(), r.duplicates().size(),
                        r.longestOutageDuration().toMillis());
    }
}
