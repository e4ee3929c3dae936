package io.crosszone.k8s;

import java.util.List;
import java.util.Map;

/** Reads typed values out of the untyped maps of a custom resource. Missing or mistyped: null. */
public final class Fields {
    private Fields() {
    }

    /** The value at a path of map keys and list indexes, e.g. {@code at(spec, "volumes", 0, "name")}. */
    public static Object at(Object root, Object... path) {
        Object cur = root;
        for (Object step : path) {
            if (step instanceof String key && cur instanceof Map<?, ?> m) {
                cur = m.get(key);
            } else if (step instanceof Integer i && cur instanceof List<?> l) {
                cur = i >= 0 && i < l.size() ? l.get(i) : null;
            } else {
                return null;
            }
            if (cur == null) {
                return null;
            }
        }
        return cur;
    }

    public static String string(Object root, Object... path) {
        Object v = at(root, path);
        return v == null ? null : String.valueOf(v);
    }

    public static Integer integer(Object root, Object... path) {
        Object v = at(root, path);
        if (v instanceof Number n) {
            return n.intValue();
        }
        if (v instanceof String s && s.matches("-?\\d+")) {
            return Integer.parseInt(s);
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object root, Object... path) {
        Object v = at(root, path);
        return v instanceof List<?> l ? (List<Object>) l : List.of();
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object root, Object... path) {
        Object v = at(root, path);
        return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
