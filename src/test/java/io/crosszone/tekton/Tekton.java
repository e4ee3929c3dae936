package io.crosszone.tekton;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosszone.tekton.YamlDocs.Doc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading Tekton objects: their declared names and the $(...) references in their text. */
final class Tekton {
    static final Pattern ANY_REF = Pattern.compile("\\$\\(([^)]*)\\)");
    static final Pattern PARAM = Pattern.compile("^params\\.([A-Za-z0-9_-]+)(\\[\\*])?$");
    static final Pattern STEP_RESULT_PATH = Pattern.compile("^step\\.results\\.([A-Za-z0-9_-]+)\\.path$");
    static final Pattern STEPS_RESULT = Pattern.compile("^steps\\.([A-Za-z0-9_-]+)\\.results\\.([A-Za-z0-9_-]+)$");
    static final Pattern WORKSPACE = Pattern.compile("^workspaces\\.([A-Za-z0-9_-]+)\\.(path|bound|claim|volume)$");
    static final Pattern TASK_RESULT = Pattern.compile("^(tasks|finally)\\.([A-Za-z0-9_-]+)\\.results\\.([A-Za-z0-9_-]+)$");
    static final Pattern TASK_STATUS = Pattern.compile("^tasks\\.([A-Za-z0-9_-]+)\\.status$");
    static final Pattern CONTEXT = Pattern.compile("^context\\.(taskRun|pipelineRun|task|pipeline)\\.(name|namespace|uid)$");
    /** Kubernetes' own expansion of a container's env in command and args. */
    static final Pattern ENV = Pattern.compile("^[A-Z_][A-Z0-9_]*$");

    private Tekton() {
    }

    /** Every string in a tree, with its JSON path. */
    static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        collect(node, "", out);
        return out;
    }

    private static void collect(JsonNode n, String path, Map<String, String> out) {
        if (n.isTextual()) {
            out.put(path, n.asText());
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                collect(n.get(i), path + "[" + i + "]", out);
            }
        } else if (n.isObject()) {
            n.fields().forEachRemaining(e -> collect(e.getValue(), path + "." + e.getKey(), out));
        }
    }

    /** The insides of every $(...) in a string. */
    static List<String> refs(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = ANY_REF.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The names of params referenced as $(params.NAME) or $(params.NAME[*]) anywhere in a tree. */
    static Set<String> paramRefs(JsonNode node) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : strings(node).values()) {
            for (String r : refs(s)) {
                Matcher m = PARAM.matcher(r);
                if (m.matches()) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }

    static Set<String> names(JsonNode array) {
        Set<String> out = new LinkedHashSet<>();
        array.forEach(e -> out.add(e.path("name").asText()));
        return out;
    }

    static Optional<JsonNode> named(JsonNode array, String name) {
        for (JsonNode e : array) {
            if (name.equals(e.path("name").asText())) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    static Optional<Doc> find(List<Doc> docs, String kind, String name) {
        return docs.stream().filter(d -> d.kind().equals(kind) && d.name().equals(name)).findFirst();
    }

    /** The spec without its params declarations: what uses the params. */
    static JsonNode usage(JsonNode spec) {
        JsonNode copy = spec.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) copy).remove("params");
        return copy;
    }
}
