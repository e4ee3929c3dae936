package io.crosszone.report.metrics;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text format 0.0.4 for tests (the Java library writes it but has
 * no parser): every line is a HELP, a TYPE or a sample; a metric's HELP and TYPE come before its
 * samples; names and label names are valid; label values are quoted with only \\, \" and \n escaped;
 * no series appears twice. Returns each series as {@code name{a="x",b="y"}} (labels sorted) -> value.
 */
public final class PromText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");

    private PromText() {
    }

    public static Map<String, Double> parse(String text) {
        Map<String, Double> out = new LinkedHashMap<>();
        Set<String> helped = new HashSet<>();
        Map<String, String> typed = new LinkedHashMap<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# HELP ")) {
                String name = line.substring(7).split(" ", 2)[0];
                require(NAME.matcher(name).matches() && helped.add(name), n, line);
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] p = line.substring(7).split(" ");
                require(p.length == 2 && NAME.matcher(p[0]).matches()
                        && Set.of("gauge", "counter", "untyped", "summary", "histogram").contains(p[1])
                        && typed.put(p[0], p[1]) == null, n, line);
                continue;
            }
            require(!line.startsWith("#"), n, line);
            Matcher m = SAMPLE.matcher(line);
            require(m.matches(), n, line);
            String name = m.group(1);
            String family = typed.containsKey(name) ? name : name.replaceFirst("_(sum|count|bucket|total|created)$", "");
            require(typed.containsKey(family) && helped.contains(family), n, line + " (no HELP/TYPE before it)");
            Map<String, String> labels = new java.util.TreeMap<>();
            String body = m.group(3) == null ? "" : m.group(3);
            Matcher l = LABEL.matcher(body);
            int at = 0;
            while (at < body.length()) {
                require(l.find(at) && l.start() == at, n, line);
                require(labels.put(l.group(1), unescape(l.group(2))) == null, n, line + " (label twice)");
                at = l.end();
            }
            double value = switch (m.group(4)) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(m.group(4));
            };
            require(out.put(key(name, labels), value) == null, n, line + " (series twice)");
        }
        return out;
    }

    /** The key {@link #parse} uses for a series: {@code key("m", "b", "y", "a", "x")} is {@code m{a="x",b="y"}}. */
    public static String key(String name, String... labels) {
        Map<String, String> m = new java.util.TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            m.put(labels[i], labels[i + 1]);
        }
        return key(name, m);
    }

    private static String key(String name, Map<String, String> labels) {
        StringBuilder b = new StringBuilder(name).append('{');
        labels.forEach((k, v) -> b.append(b.charAt(b.length() - 1) == '{' ? "" : ",").append(k).append("=\"").append(v).append('"'));
        return b.append('}').toString();
    }

    private static String unescape(String v) {
        return v.replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
    }

    private static void require(boolean ok, int line, String text) {
        if (!ok) {
            throw new IllegalArgumentException("line " + line + " is not valid Prometheus text: " + text);
        }
    }
}
