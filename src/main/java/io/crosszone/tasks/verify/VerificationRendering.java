package io.crosszone.tasks.verify;

import io.crosszone.plan.ZoneLoss;
import io.crosszone.report.JUnitXml;
import io.crosszone.report.PlanRendering;
import io.crosszone.report.TextTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A verification as a readable table, as the documented JSON, and as JUnit XML. */
public final class VerificationRendering {
    private VerificationRendering() {
    }

    public static List<String> text(Verification v) {
        List<String> lines = new ArrayList<>();
        lines.add("Distribution of " + v.namespace() + "/" + v.brokerCr() + ":");
        TextTable t = new TextTable("GROUP", "REPLICA", "POD", "NODE", "ZONE", "ROLE", "IN SYNC", "ADDRESS");
        for (Verification.BrokerRow r : v.brokers()) {
            t.row(r.group(), r.replica(), r.pod(), r.node(), r.zone(), r.role(),
                    r.inSync() == null ? "?" : r.inSync() ? "yes" : "NO", r.address());
        }
        lines.addAll(t.lines());
        lines.add("");
        TextTable checks = new TextTable("CHECK", "RESULT", "DETAIL");
        for (CheckResult c : v.checks()) {
            checks.row(c.name(), c.passed() ? "ok" : c.severity() == CheckResult.Severity.WARNING ? "WARN" : "FAIL", c.message());
        }
        lines.addAll(checks.lines());
        lines.add("");
        lines.addAll(PlanRendering.zoneLossText(v.zoneLoss()));
        return lines;
    }

    /** {@code {"passed","checks","brokers","zoneLoss"}} plus the deployment's names. */
    public static Map<String, Object> json(Verification v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("namespace", v.namespace());
        m.put("brokerCr", v.brokerCr());
        m.put("passed", v.passed());
        List<Map<String, Object>> checks = new ArrayList<>();
        for (CheckResult c : v.checks()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("name", c.name());
            cm.put("passed", c.passed());
            cm.put("severity", c.severity().name().toLowerCase());
            cm.put("message", c.message());
            checks.add(cm);
        }
        m.put("checks", checks);
        m.put("brokers", v.brokers());
        m.put("zoneLoss", v.zoneLoss());
        return m;
    }

    public static String junit(List<Verification> verifications) {
        List<JUnitXml.Case> cases = new ArrayList<>();
        for (Verification v : verifications) {
            String prefix = verifications.size() > 1 ? v.namespace() + "/" + v.brokerCr() + ": " : "";
            for (CheckResult c : v.checks()) {
                cases.add(new JUnitXml.Case(prefix + c.name(), c.passed(), c.severity() == CheckResult.Severity.WARNING,
                        c.message()));
            }
            for (ZoneLoss z : v.zoneLoss()) {
                cases.add(new JUnitXml.Case(prefix + "zone-loss-" + z.zone(), true, !z.automaticRecovery(),
                        z.automaticRecovery() ? "losing " + z.zone() + " recovers by itself"
                                : "losing " + z.zone() + " needs: " + String.join("; ", z.actions())));
            }
        }
        return JUnitXml.suite("crosszone.verify-distribution", cases);
    }
}
