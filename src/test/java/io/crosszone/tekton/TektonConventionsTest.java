package io.crosszone.tekton;

import static io.crosszone.tekton.Tekton.find;
import static io.crosszone.tekton.Tekton.named;
import static io.crosszone.tekton.Tekton.names;
import static io.crosszone.tekton.Tekton.paramRefs;
import static io.crosszone.tekton.Tekton.refs;
import static io.crosszone.tekton.Tekton.strings;
import static io.crosszone.tekton.Tekton.usage;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosszone.cli.Crosszone;
import io.crosszone.tekton.YamlDocs.Doc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Tekton catalog's conventions and the references between the objects: what a Tekton
 * controller would only find out at run time (or never), checked here.
 */
class TektonConventionsTest {
    static final List<String> TASKS = List.of("label-zones", "switch-to-controller-mode", "apply-affinity",
            "verify-distribution", "failover-drill", "reseed-controller");

    private final List<Doc> docs = YamlDocs.all("steps", "tekton");
    private final List<Doc> stepActions = YamlDocs.ofKind(docs, "StepAction");
    private final List<Doc> tasks = YamlDocs.ofKind(docs, "Task");
    private final List<Doc> pipelines = YamlDocs.ofKind(docs, "Pipeline");

    @Test
    void aStepActionAndATaskPerCliTaskAndTheTwoPipelines() {
        List<String> expected = TASKS.stream().map(t -> "crosszone-" + t).toList();
        assertThat(stepActions).extracting(Doc::name).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(tasks).extracting(Doc::name).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(pipelines).extracting(Doc::name)
                .containsExactlyInAnyOrder("rocketmq-crosszone-rollout", "rocketmq-failover-drill");
    }

    @Test
    void noParamsInsideAnyScriptAndNoScriptAtAll() {
        List<String> scripts = new ArrayList<>();
        for (Doc d : docs) {
            strings(d.node()).forEach((path, text) -> {
                if (path.endsWith(".script")) {
                    scripts.add(d + " " + path);
                    assertThat(text).as(d + " " + path).doesNotContain("$(params.");
                }
            });
        }
        // the image has no shell: every step is a command with arguments
        assertThat(scripts).isEmpty();
    }

    @Test
    void stepActionsRunTheCliAsACommandWithTheImageFromAParam() {
        for (Doc sa : stepActions) {
            JsonNode spec = sa.spec();
            assertThat(spec.path("image").asText()).as(sa + " image").isEqualTo("$(params.image)");
            List<String> command = new ArrayList<>();
            spec.path("command").forEach(c -> command.add(c.asText()));
            assertThat(command).as(sa + " command").containsExactly("java", "-cp", "@/app/jib-classpath-file",
                    Crosszone.class.getName());
            assertThat(spec.path("args").get(0).asText()).as(sa + " subcommand").isEqualTo(sa.name().substring("crosszone-".length()));
            assertThat(spec.path("securityContext").path("runAsNonRoot").asBoolean()).as(sa + " non-root").isTrue();
        }
    }

    @Test
    void everyParamHasADescriptionAndADefault() {
        for (Doc d : Stream.of(stepActions, tasks, pipelines).flatMap(List::stream).toList()) {
            Set<String> seen = new HashSet<>();
            for (JsonNode p : d.spec().path("params")) {
                String name = p.path("name").asText();
                assertThat(seen.add(name)).as(d + " param " + name + " declared once").isTrue();
                assertThat(p.path("description").asText()).as(d + " param " + name + " description").isNotBlank();
                assertThat(p.has("default")).as(d + " param " + name + " default").isTrue();
                String type = p.path("type").asText("string");
                assertThat(p.get("default").isArray()).as(d + " param " + name + " default matches its type " + type)
                        .isEqualTo(type.equals("array"));
            }
        }
    }

    @Test
    void stepActionParamsAreDeclaredUsedAndPassedThroughEnv() {
        for (Doc sa : stepActions) {
            JsonNode spec = sa.spec();
            Set<String> declared = names(spec.path("params"));
            Set<String> used = paramRefs(usage(spec));
            assertThat(declared).as(sa + ": every param used is declared").containsAll(used);
            assertThat(used).as(sa + ": every declared param is used").containsAll(declared);

            Set<String> env = names(spec.path("env"));
            for (JsonNode p : spec.path("params")) {
                String name = p.path("name").asText();
                boolean array = "array".equals(p.path("type").asText());
                if (array) {
                    // an array cannot go through env: it is spliced whole into args, never into a string
                    assertThat(spec.path("args").toString()).as(sa + " " + name).contains("\"$(params." + name + "[*])\"");
                    assertThat(strings(spec.path("env")).values()).noneMatch(v -> v.contains("$(params." + name));
                } else if (!name.equals("image")) {
                    assertThat(strings(spec.path("args")).values()).as(sa + ": " + name + " reaches args through env")
                            .noneMatch(v -> v.contains("$(params." + name + ")"));
                    assertThat(strings(spec.path("env")).values()).as(sa + ": " + name + " is in env")
                            .contains("$(params." + name + ")");
                }
            }
            for (String s : strings(spec.path("args")).values()) {
                for (String r : refs(s)) {
                    if (Tekton.ENV.matcher(r).matches()) {
                        assertThat(env).as(sa + ": $(" + r + ") in args is an env var of the step").contains(r);
                    }
                }
            }
            for (String e : env) {
                assertThat(spec.path("args").toString()).as(sa + ": env " + e + " is used").contains("$(" + e + ")");
            }
        }
    }

    @Test
    void everyDeclaredResultIsWrittenAndEveryWrittenResultDeclared() {
        for (Doc sa : stepActions) {
            Set<String> declared = names(sa.spec().path("results"));
            assertThat(declared).as(sa.toString()).contains("verdict");
            Set<String> written = new LinkedHashSet<>();
            for (String s : strings(usage(sa.spec())).values()) {
                for (String r : refs(s)) {
                    Matcher m = Tekton.STEP_RESULT_PATH.matcher(r);
                    if (m.matches()) {
                        written.add(m.group(1));
                    }
                }
            }
            assertThat(written).as(sa + ": results written").containsExactlyInAnyOrderElementsOf(declared);
        }
        assertThat(names(find(stepActions, "StepAction", "crosszone-failover-drill").orElseThrow().spec().path("results")))
                .containsExactlyInAnyOrder("verdict", "rto-millis", "lost-messages", "history-page");
    }

    @Test
    void tasksBuildOnTheStepActions() {
        for (Doc task : tasks) {
            JsonNode spec = task.spec();
            Set<String> declared = names(spec.path("params"));
            assertThat(declared).as(task + ": params used are declared").containsAll(paramRefs(usage(spec)));
            assertThat(paramRefs(usage(spec))).as(task + ": params declared are used").containsAll(declared);
            Set<String> workspaces = names(spec.path("workspaces"));
            if (task.name().equals("crosszone-reseed-controller")) {
                // the last known controller metadata: another run's reports
                assertThat(workspaces).containsExactlyInAnyOrder("config", "state", "reports");
            } else {
                assertThat(workspaces).containsExactlyInAnyOrder("config", "reports");
            }

            Set<String> surfaced = new HashSet<>();
            for (JsonNode step : spec.path("steps")) {
                assertThat(step.has("image") || step.has("script") || step.has("command")).as(task + ": steps use a StepAction").isFalse();
                String ref = step.path("ref").path("name").asText();
                Doc sa = find(stepActions, "StepAction", ref).orElseThrow(() -> new AssertionError(task + ": no StepAction " + ref));
                Set<String> saParams = names(sa.spec().path("params"));
                assertThat(saParams).as(task + " -> " + ref + ": params passed exist").containsAll(names(step.path("params")));
                for (JsonNode p : sa.spec().path("params")) {
                    if (!p.has("default")) {
                        assertThat(names(step.path("params"))).as(task + ": required " + p.path("name")).contains(p.path("name").asText());
                    }
                }
                for (String s : strings(step).values()) {
                    for (String r : refs(s)) {
                        Matcher w = Tekton.WORKSPACE.matcher(r);
                        if (w.matches()) {
                            assertThat(workspaces).as(task + ": $(" + r + ")").contains(w.group(1));
                        }
                    }
                }
                for (JsonNode result : spec.path("results")) {
                    List<String> valueRefs = refs(result.path("value").asText());
                    assertThat(valueRefs).as(task + " result " + result.path("name")).hasSize(1);
                    Matcher m = Tekton.STEPS_RESULT.matcher(valueRefs.get(0));
                    assertThat(m.matches()).as(task + " result " + result.path("name") + " comes from a step").isTrue();
                    if (m.group(1).equals(step.path("name").asText())) {
                        assertThat(names(sa.spec().path("results"))).as(task + " result from " + ref).contains(m.group(2));
                        surfaced.add(m.group(2));
                    }
                }
                assertThat(surfaced).as(task + ": every result of " + ref + " is a Task result")
                        .containsExactlyInAnyOrderElementsOf(names(sa.spec().path("results")));
            }
        }
    }

    @Test
    void pipelinesReferenceExistingTasksConsistently() {
        for (Doc pipeline : pipelines) {
            JsonNode spec = pipeline.spec();
            Set<String> declared = names(spec.path("params"));
            assertThat(declared).as(pipeline + ": params used are declared").containsAll(paramRefs(usage(spec)));
            assertThat(paramRefs(usage(spec))).as(pipeline + ": params declared are used").containsAll(declared);
            Set<String> workspaces = names(spec.path("workspaces"));
            List<String> main = new ArrayList<>(names(spec.path("tasks")));
            List<String> fin = new ArrayList<>(names(spec.path("finally")));

            List<String> before = new ArrayList<>();
            for (JsonNode pt : iterate(spec.path("tasks"), spec.path("finally"))) {
                String name = pt.path("name").asText();
                Doc task = find(tasks, "Task", pt.path("taskRef").path("name").asText())
                        .orElseThrow(() -> new AssertionError(pipeline + ": " + name + " refers to a missing Task"));
                Set<String> taskParams = names(task.spec().path("params"));
                assertThat(taskParams).as(pipeline + "/" + name + ": params passed exist on " + task.name())
                        .containsAll(names(pt.path("params")));
                Set<String> bound = new HashSet<>();
                for (JsonNode w : pt.path("workspaces")) {
                    assertThat(workspaces).as(pipeline + "/" + name + " workspace").contains(w.path("workspace").asText());
                    bound.add(w.path("name").asText());
                }
                assertThat(bound).as(pipeline + "/" + name + ": every workspace of " + task.name() + " bound")
                        .containsExactlyInAnyOrderElementsOf(names(task.spec().path("workspaces")));
                for (JsonNode after : pt.path("runAfter")) {
                    assertThat(before).as(pipeline + "/" + name + " runAfter " + after.asText() + " (an earlier task)").contains(after.asText());
                }
                before.add(name);
            }
            for (String s : strings(spec).values()) {
                for (String r : refs(s)) {
                    Matcher m = Tekton.TASK_RESULT.matcher(r);
                    if (m.matches()) {
                        List<String> section = m.group(1).equals("tasks") ? main : fin;
                        assertThat(section).as(pipeline + ": $(" + r + ")").contains(m.group(2));
                        JsonNode pt = named(spec.path(m.group(1)), m.group(2)).orElseThrow();
                        Doc task = find(tasks, "Task", pt.path("taskRef").path("name").asText()).orElseThrow();
                        assertThat(names(task.spec().path("results"))).as(pipeline + ": $(" + r + ")").contains(m.group(3));
                    }
                    Matcher st = Tekton.TASK_STATUS.matcher(r);
                    if (st.matches()) {
                        assertThat(main).as(pipeline + ": $(" + r + ")").contains(st.group(1));
                    }
                }
            }
        }
    }

    @Test
    void theRolloutRunsTheFourStepsInTheRunbooksOrder() {
        JsonNode spec = find(pipelines, "Pipeline", "rocketmq-crosszone-rollout").orElseThrow().spec();
        List<String> order = List.of("label-zones", "switch-to-controller-mode", "apply-affinity", "verify-distribution");
        assertThat(names(spec.path("tasks"))).containsExactlyElementsOf(order);
        for (int i = 0; i < order.size(); i++) {
            JsonNode pt = named(spec.path("tasks"), order.get(i)).orElseThrow();
            assertThat(pt.path("taskRef").path("name").asText()).isEqualTo("crosszone-" + order.get(i));
            List<String> after = new ArrayList<>();
            pt.path("runAfter").forEach(a -> after.add(a.asText()));
            assertThat(after).as(order.get(i)).isEqualTo(i == 0 ? List.of() : List.of(order.get(i - 1)));
        }
        assertThat(spec.path("finally").isMissingNode() || spec.path("finally").isEmpty()).isTrue();
    }

    @Test
    void theDrillVerifiesThenDrillsThenAlwaysVerifiesAgain() {
        JsonNode spec = find(pipelines, "Pipeline", "rocketmq-failover-drill").orElseThrow().spec();
        JsonNode before = named(spec.path("tasks"), "verify-before").orElseThrow();
        JsonNode drill = named(spec.path("tasks"), "failover-drill").orElseThrow();
        JsonNode after = named(spec.path("finally"), "verify-after").orElseThrow();
        assertThat(before.path("taskRef").path("name").asText()).isEqualTo("crosszone-verify-distribution");
        assertThat(drill.path("taskRef").path("name").asText()).isEqualTo("crosszone-failover-drill");
        assertThat(drill.path("runAfter").toString()).isEqualTo("[\"verify-before\"]");
        // in finally: it runs when the drill failed too, but not when the drill never started
        assertThat(after.path("taskRef").path("name").asText()).isEqualTo("crosszone-verify-distribution");
        assertThat(after.path("when").get(0).path("input").asText()).isEqualTo("$(tasks.failover-drill.status)");
        assertThat(after.path("when").get(0).path("operator").asText()).isEqualTo("notin");
        assertThat(after.path("when").get(0).path("values").toString()).isEqualTo("[\"None\"]");
        assertThat(names(spec.path("results"))).contains("verdict", "rto-millis", "lost-messages", "history-page");
    }

    @Test
    void runsReferenceExistingObjectsAndRunAsTheCrosszoneServiceAccount() {
        List<Doc> runs = new ArrayList<>(YamlDocs.ofKind(docs, "TaskRun"));
        runs.addAll(YamlDocs.ofKind(docs, "PipelineRun"));
        assertThat(runs).hasSizeGreaterThanOrEqualTo(TASKS.size() + 3);
        for (Doc run : runs) {
            boolean taskRun = run.kind().equals("TaskRun");
            JsonNode spec = run.spec();
            String ref = spec.path(taskRun ? "taskRef" : "pipelineRef").path("name").asText();
            Doc target = find(docs, taskRun ? "Task" : "Pipeline", ref).orElseThrow(() -> new AssertionError(run + ": missing " + ref));
            assertThat(names(target.spec().path("params"))).as(run + " params").containsAll(names(spec.path("params")));
            assertThat(names(spec.path("workspaces"))).as(run + " workspaces")
                    .containsExactlyInAnyOrderElementsOf(names(target.spec().path("workspaces")));
            String sa = taskRun ? spec.path("serviceAccountName").asText()
                    : spec.path("taskRunTemplate").path("serviceAccountName").asText();
            assertThat(sa).as(run + " service account").isEqualTo("crosszone");
            assertThat(run.node().path("metadata").has("generateName")).as(run + ": kubectl create makes a fresh run").isTrue();
            assertThat(spec.path("workspaces").toString()).as(run + ": reads the sample configuration").contains("crosszone-config");
        }
    }

    @Test
    void onlyTektonVariablesAndEnvReferencesAppear() {
        for (Doc d : docs) {
            if (!d.apiVersion().startsWith("tekton.dev/")) {
                continue;
            }
            for (String s : strings(d.node()).values()) {
                for (String r : refs(s)) {
                    boolean known = Stream.of(Tekton.PARAM, Tekton.STEP_RESULT_PATH, Tekton.STEPS_RESULT, Tekton.WORKSPACE,
                            Tekton.TASK_RESULT, Tekton.TASK_STATUS, Tekton.CONTEXT, Tekton.ENV).anyMatch(p -> p.matcher(r).matches());
                    assertThat(known).as(d + ": $(" + r + ") is a Tekton variable or an env var").isTrue();
                }
            }
        }
    }

    @Test
    void catalogMetadataOnEveryReusableObject() {
        Set<String> versions = new HashSet<>();
        Set<String> imageDefaults = new HashSet<>();
        for (Doc d : Stream.of(stepActions, tasks, pipelines).flatMap(List::stream).toList()) {
            JsonNode meta = d.node().path("metadata");
            versions.add(meta.path("labels").path("app.kubernetes.io/version").asText());
            for (String a : List.of("tekton.dev/pipelines.minVersion", "tekton.dev/categories", "tekton.dev/tags",
                    "tekton.dev/displayName", "tekton.dev/platforms")) {
                assertThat(meta.path("annotations").path(a).asText()).as(d + " " + a).isNotBlank();
            }
            assertThat(meta.path("annotations").path("tekton.dev/tags").asText()).contains("rocketmq");
            assertThat(d.spec().path("description").asText()).as(d + " description").isNotBlank();
            imageDefaults.add(named(d.spec().path("params"), "image").orElseThrow().path("default").asText());
        }
        assertThat(versions).as("one version everywhere").hasSize(1).doesNotContain("");
        assertThat(imageDefaults).as("one default image everywhere").hasSize(1);
    }

    @Test
    void everyFolderHasAReadmeAndEveryTaskAndPipelineItsSamples() throws Exception {
        Path root = YamlDocs.root();
        for (String top : List.of("steps", "tekton")) {
            try (Stream<Path> dirs = Files.walk(root.resolve(top))) {
                for (Path dir : dirs.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().equals("samples")).toList()) {
                    assertThat(dir.resolve("README.md")).as("README in " + root.relativize(dir)).isRegularFile();
                }
            }
        }
        for (String t : TASKS) {
            assertThat(root.resolve("steps/crosszone-" + t + "/crosszone-" + t + ".yaml")).isRegularFile();
            assertThat(root.resolve("tekton/tasks/crosszone-" + t + "/crosszone-" + t + ".yaml")).isRegularFile();
            assertThat(root.resolve("tekton/tasks/crosszone-" + t + "/samples")).isDirectoryContaining("glob:**.yaml");
        }
        for (String p : List.of("rocketmq-crosszone-rollout", "rocketmq-failover-drill")) {
            assertThat(root.resolve("tekton/pipelines/" + p + "/samples")).isDirectoryContaining("glob:**.yaml");
        }
    }

    private static List<JsonNode> iterate(JsonNode... arrays) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode a : arrays) {
            a.forEach(out::add);
        }
        return out;
    }
}
