package io.crosszone.report;

import java.util.List;

/**
 * A JUnit XML report (one test case per check), the format Jenkins' junit step and Tekton
 * dashboards read. Warnings pass and say so in system-out.
 */
public final class JUnitXml {
    /** One check as a test case. */
    public record Case(String name, boolean passed, boolean warning, String message) {
    }

    private JUnitXml() {
    }

    public static String suite(String suiteName, List<Case> cases) {
        long failures = cases.stream().filter(c -> !c.passed() && !c.warning()).count();
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append("<testsuite name=\"").append(escape(suiteName)).append("\" tests=\"").append(cases.size())
                .append("\" failures=\"").append(failures).append("\" errors=\"0\" skipped=\"0\">\n");
        for (Case c : cases) {
            sb.append("  <testcase classname=\"").append(escape(suiteName)).append("\" name=\"")
                    .append(escape(c.name())).append("\">");
            if (!c.passed() && !c.warning()) {
                sb.append("\n    <failure message=\"").append(escape(c.message())).append("\">")
                        .append(escape(c.message())).append("</failure>\n  ");
            } else {
                sb.append("\n    <system-out>").append(c.warning() ? "WARNING: " : "").append(escape(c.message()))
                        .append("</system-out>\n  ");
            }
            sb.append("</testcase>\n");
        }
        return sb.append("</testsuite>\n").toString();
    }

    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    if (ch >= 0x20 || ch == '\n' || ch == '\t' || ch == '\r') {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.toString();
    }
}
