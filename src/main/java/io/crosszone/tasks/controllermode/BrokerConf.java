package io.crosszone.tasks.controllermode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Merges properties into the text of {@code broker-common.conf} (java.util.Properties syntax)
 * without dropping or reordering anything: a key already there has its value replaced in
 * place (every occurrence, since the last one wins), a missing key is appended. Pure.
 */
public final class BrokerConf {
    private static final Pattern ENTRY = Pattern.compile("^(\\s*)([^#!\\s=:][^\\s=:]*)(\\s*[=:]\\s*|\\s+)(.*)$");

    /** The merged text and the keys whose value changed (old value, or null when added). */
    public record Merge(String text, Map<String, String> changed) {
        public boolean changes() {
            return !changed.isEmpty();
        }
    }

    private BrokerConf() {
    }

    /** The key=value entries of a text, the last occurrence winning, as Properties would read them. */
    public static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : lines(text)) {
            Matcher m = ENTRY.matcher(line);
            if (m.matches()) {
                out.put(m.group(2), m.group(4).strip());
            }
        }
        return out;
    }

    public static Merge merge(String text, Map<String, String> wanted) {
        Map<String, String> current = parse(text);
        Map<String, String> changed = new LinkedHashMap<>();
        wanted.forEach((k, v) -> {
            if (!v.equals(current.get(k))) {
                changed.put(k, current.get(k));
            }
        });
        if (changed.isEmpty()) {
            return new Merge(text == null ? "" : text, changed);
        }
        List<String> out = new ArrayList<>();
        for (String line : lines(text)) {
            Matcher m = ENTRY.matcher(line);
            if (m.matches() && changed.containsKey(m.group(2))) {
                out.add(m.group(1) + m.group(2) + "=" + wanted.get(m.group(2)));
            } else {
                out.add(line);
            }
        }
        List<String> added = changed.keySet().stream().filter(k -> !current.containsKey(k)).toList();
        if (!added.isEmpty()) {
            out.add("# controller mode, set by crosszone switch-to-controller-mode");
            added.forEach(k -> out.add(k + "=" + wanted.get(k)));
        }
        return new Merge(String.join("\n", out) + "\n", changed);
    }

    private static List<String> lines(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        List<String> l = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!l.isEmpty() && l.get(l.size() - 1).isEmpty()) {
            l.remove(l.size() - 1);
        }
        return l;
    }
}
