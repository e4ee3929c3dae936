package io.crosszone.core;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares Kubernetes objects as plain JSON maps. "The same" means the same after
 * dropping nulls and empty maps and lists and ignoring key order and number types: an API server
 * (and the mock, which keeps a merge patch's {@code null}) may echo an affinity in a different but
 * equivalent form, and a difference there must not cause a write.
 */
public final class JsonMaps {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private JsonMaps() {
    }

    /** A fabric8 object (or a map) as a mutable JSON map; null stays null. */
    public static Map<String, Object> toMap(Object o) {
        return o == null ? null : Json.MAPPER.convertValue(o, MAP);
    }

    /** Nulls, empty maps and empty lists dropped, keys sorted, integral numbers as Long; null when nothing is left. */
    public static Object normalize(Object v) {
        if (v != null && !(v instanceof Map<?, ?> || v instanceof List<?> || v instanceof String || v instanceof Number
                || v instanceof Boolean)) {
            v = Json.MAPPER.convertValue(v, Object.class); // a fabric8 model object
        }
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

    /** RFC 6901: '~' and '/' in a key become '~0' and '~1'. */
    public static String escapePointer(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    public static boolean same(Object a, Object b) {
        return java.util.Objects.equals(normalize(a), normalize(b));
    }

}
