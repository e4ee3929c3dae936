package io.crosszone.tasks.affinity;

import com.fasterxml.jackson.core.type.TypeReference;
import io.crosszone.report.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares and diffs Kubernetes objects as plain JSON maps. "The same" means the same after
 * dropping nulls and empty maps and lists and ignoring key order and number types: an API server
 * (and the mock, which keeps a merge patch's {@code null}) may echo an affinity in a different but
 * equivalent form, and a difference there must not cause a write.
 */
final class JsonMaps {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private JsonMaps() {
    }

    /** A fabric8 object (or a map) as a mutable JSON map; null stays null. */
    static Map<String, Object> toMap(Object o) {
        return o == null ? null : Json.MAPPER.convertValue(o, MAP);
    }

    /** Nulls, empty maps and empty lists dropped, keys sorted, integral numbers as Long; null when nothing is left. */
    static Object normalize(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new TreeMap<>();
            m.forEach((k, x) -> {
                Object n = normalize(x);
                if (n != null) {
                    out.put(String.valueOf(k), n);
                }
            });
            return out.isEmpty() ? null : out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object x : l) {
                Object n = normalize(x);
                if (n != null) {
                    out.add(n);
                }
            }
            return out.isEmpty() ? null : out;
        }
        if (v instanceof Number n && !(v instanceof Double) && !(v instanceof Float)) {
            return n.longValue();
        }
        return v;
    }

    static boolean same(Object a, Object b) {
        return java.util.Objects.equals(normalize(a), normalize(b));
    }

    /**
     * The JSON merge patch (RFC 7386) that turns {@code current} into {@code desired}: changed keys
     * with their new value, keys only in {@code current} set to null, nested maps diffed, lists
     * replaced whole. Empty when they are already the same.
     */
    static Map<String, Object> mergePatch(Map<String, Object> current, Map<String, Object> desired) {
        Map<String, Object> cur = current == null ? Map.of() : current;
        Map<String, Object> des = desired == null ? Map.of() : desired;
        Map<String, Object> patch = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : des.entrySet()) {
            Object c = cur.get(e.getKey());
            Object d = e.getValue();
            if (same(c, d)) {
                continue;
            }
            if (c instanceof Map<?, ?> cm && d instanceof Map<?, ?> dm) {
                patch.put(e.getKey(), mergePatch(cast(cm), cast(dm)));
            } else {
                patch.put(e.getKey(), normalize(d) == null ? null : d);
            }
        }
        for (Map.Entry<String, Object> e : cur.entrySet()) {
            if (!des.containsKey(e.getKey()) && normalize(e.getValue()) != null) {
                patch.put(e.getKey(), null);
            }
        }
        return patch;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }
}
