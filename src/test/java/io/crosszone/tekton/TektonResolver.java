package io.crosszone.tekton;

import static io.crosszone.tekton.Tekton.find;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosszone.tekton.YamlDocs.Doc;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for a Tekton controller and the kubelet, as far as turning a Pipeline, Task and
 * StepAction into the command line of the container goes: param defaults and values
 * (strings, and arrays spliced with {@code [*]}), {@code $(workspaces.W.path)} (Tekton mounts
 * a workspace at /workspace/W), {@code $(context.taskRun.name)}, {@code $(step.results.R.path)}
 * (/tekton/steps/step-NAME/results/R), then Kubernetes' {@code $(VAR)} expansion of the env in
 * args (an undefined variable stays as written, {@code $$} escapes). Nothing else of Tekton.
 */
final class TektonResolver {
    private static final Pattern WHOLE_ARRAY = Pattern.compile("^\\$\\(params\\.([A-Za-z0-9_-]+)\\[\\*]\\)$");
    private static final Pattern STRING_REF = Pattern.compile("\\$\\((params\\.[A-Za-z0-9_-]+|workspaces\\.[A-Za-z0-9_-]+\\.path"
            + "|context\\.taskRun\\.name|step\\.results\\.[A-Za-z0-9_-]+\\.path)\\)");
    private static final Pattern ENV_REF = Pattern.compile("\\$\\$|\\$\\(([A-Z_][A-Z0-9_]*)\\)");
    static final String TASKRUN_NAME = "the-taskrun";

    /** The container's command followed by its args. */
    record Container(String image, List<String> command, List<String> args) {
        List<String> argv() {
            List<String> all = new ArrayList<>(command);
            all.addAll(args);
            return all;
        }
    }

    private final List<Doc> docs;

    TektonResolver(List<Doc> docs) {
        this.docs = docs;
    }

    /** The container of a pipeline task, the Pipeline's params given (others: defaults). */
    Container pipelineTask(String pipeline, String taskName, Map<String, Object> pipelineParams) {
        JsonNode spec = find(docs, "Pipeline", pipeline).orElseThrow().spec();
        JsonNode pt = Tekton.named(spec.path("tasks"), taskName).or(() -> Tekton.named(spec.path("finally"), taskName))
                .orElseThrow(() -> new AssertionError(pipeline + " has no task " + taskName));
        Map<String, Object> vars = vars(values(spec.path("params"), pipelineParams));
        Map<String, Object> taskParams = new LinkedHashMap<>();
        pt.path("params").forEach(p -> taskParams.put(p.path("name").asText(), resolve(p.path("value"), vars)));
        return task(pt.path("taskRef").path("name").asText(), taskParams);
    }

    /** The container of a Task's single step, the Task's params given (others: defaults). */
    Container task(String task, Map<String, Object> taskParams) {
        JsonNode spec = find(docs, "Task", task).orElseThrow().spec();
        Map<String, Object> vars = vars(values(spec.path("params"), taskParams));
        spec.path("workspaces").forEach(w -> vars.put("workspaces." + w.path("name").asText() + ".path",
                "/workspace/" + w.path("name").asText()));
        vars.put("context.taskRun.name", TASKRUN_NAME);
        JsonNode step = spec.path("steps").get(0);
        Map<String, Object> stepParams = new LinkedHashMap<>();
        step.path("params").forEach(p -> stepParams.put(p.path("name").asText(), resolve(p.path("value"), vars)));
        return stepAction(step.path("ref").path("name").asText(), step.path("name").asText(), stepParams);
    }

    /** The container of a StepAction run as step {@code stepName}. */
    Container stepAction(String name, String stepName, Map<String, Object> params) {
        JsonNode spec = find(docs, "StepAction", name).orElseThrow().spec();
        Map<String, Object> vars = vars(values(spec.path("params"), params));
        spec.path("results").forEach(r -> vars.put("step.results." + r.path("name").asText() + ".path",
                "/tekton/steps/step-" + stepName + "/results/" + r.path("name").asText()));
        Map<String, String> env = new LinkedHashMap<>();
        spec.path("env").forEach(e -> env.put(e.path("name").asText(), (String) resolve(e.path("value"), vars)));
        return new Container((String) resolve(spec.path("image"), vars),
                expandEnv(list(resolve(spec.path("command"), vars)), env),
                expandEnv(list(resolve(spec.path("args"), vars)), env));
    }

    private static Map<String, Object> values(JsonNode declared, Map<String, Object> given) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (JsonNode p : declared) {
            String name = p.path("name").asText();
            Object v = given.containsKey(name) ? given.get(name) : plain(p.path("default"));
            if (v == null) {
                throw new AssertionError("param " + name + " has no value and no default");
            }
            out.put(name, v);
        }
        for (String name : given.keySet()) {
            if (!out.containsKey(name)) {
                throw new AssertionError("param " + name + " is not declared");
            }
        }
        return out;
    }

    private static Map<String, Object> vars(Map<String, Object> params) {
        Map<String, Object> vars = new LinkedHashMap<>();
        params.forEach((k, v) -> vars.put("params." + k, v));
        return vars;
    }

    private static Object plain(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (n.isArray()) {
            List<String> out = new ArrayList<>();
            n.forEach(e -> out.add(e.asText()));
            return out;
        }
        return n.asText();
    }

    /** Substitutes into a string (giving a string) or an array (splicing whole-array refs). */
    private static Object resolve(JsonNode n, Map<String, Object> vars) {
        if (n.isArray()) {
            List<String> out = new ArrayList<>();
            for (JsonNode e : n) {
                Matcher whole = WHOLE_ARRAY.matcher(e.asText());
                if (whole.matches()) {
                    Object v = vars.get("params." + whole.group(1));
                    if (!(v instanceof List<?> l)) {
                        throw new AssertionError(e.asText() + " is not an array param");
                    }
                    l.forEach(x -> out.add((String) x));
                } else {
                    out.add(substitute(e.asText(), vars));
                }
            }
            return out;
        }
        return substitute(n.asText(), vars);
    }

    private static String substitute(String s, Map<String, Object> vars) {
        Matcher m = STRING_REF.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object v = vars.get(m.group(1));
            if (!(v instanceof String str)) {
                throw new AssertionError("$(" + m.group(1) + ") in '" + s + "' has no string value");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(str));
        }
        m.appendTail(out);
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Object o) {
        return (List<String>) o;
    }

    private static List<String> expandEnv(List<String> in, Map<String, String> env) {
        List<String> out = new ArrayList<>();
        for (String s : in) {
            Matcher m = ENV_REF.matcher(s);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                String rep = m.group().equals("$$") ? "$" : env.getOrDefault(m.group(1), m.group());
                m.appendReplacement(b, Matcher.quoteReplacement(rep));
            }
            m.appendTail(b);
            out.add(b.toString());
        }
        return out;
    }
}
