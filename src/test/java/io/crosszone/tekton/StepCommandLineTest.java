package io.crosszone.tekton;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.cli.Crosszone;
import io.crosszone.tekton.TektonResolver.Container;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * What the containers would run, resolved from the Pipelines, Tasks and StepActions, is a
 * command line the real CLI accepts, with the values the pipeline meant.
 */
class StepCommandLineTest {
    /**
     * Flags the steps use that the CLI does not have yet. They are stripped before parsing while
     * the CLI lacks them (and reported); once the CLI has one, it is parsed like any other.
     * {@code --result-file NAME=PATH}: write the task's result NAME (TaskReport.results(), the
     * same values --results-dir writes as files) to PATH, the path Tekton gives a StepAction
     * for each of its results ($(step.results.NAME.path)).
     */
    static final Set<String> PENDING_CLI_FLAGS = Set.of("--result-file");
    static final Set<String> RESULT_NAMES = Set.of("verdict", "rto-millis", "lost-messages", "history-page");
    private static final Set<String> stillPending = new TreeSet<>();

    private final TektonResolver tekton = new TektonResolver(YamlDocs.all("steps", "tekton"));

    @AfterAll
    static void sayWhatIsPending() {
        stillPending.forEach(f -> System.out.println("NOTE: the CLI has no " + f + " yet; the Tekton steps use it"
                + " (stripped before parsing here)"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"label-zones", "switch-to-controller-mode", "apply-affinity", "verify-distribution", "failover-drill"})
    void eachStepActionWithItsDefaultsIsACommandLineOfItsTask(String task) {
        Container c = tekton.stepAction("crosszone-" + task, task, Map.of());
        assertThat(c.image()).isEqualTo("crosszone:0.1.0");
        assertThat(c.command()).containsExactly("java", "-cp", "@/app/jib-classpath-file", Crosszone.class.getName());
        ParseResult sub = parse(c.args());
        assertThat(sub.commandSpec().name()).isEqualTo(task);
        assertThat((Object) sub.matchedOptionValue("--config", null)).hasToString("/workspace/config/crosszone.yaml");
        assertThat((Object) sub.matchedOptionValue("--report-dir", null)).hasToString("/workspace/reports");
        for (String a : c.args().subList(1, c.args().size())) {
            assertThat(a).as("every arg is a --flag=value (nothing positional, nothing unexpanded)").startsWith("--").doesNotContain("$(");
        }
    }

    @Test
    void theRolloutRunsEachTaskWithThePipelinesValues() {
        String p = "rocketmq-crosszone-rollout";
        ParseResult label = parse(tekton.pipelineTask(p, "label-zones", Map.of()).args());
        assertThat(label.commandSpec().name()).isEqualTo("label-zones");
        assertThat((Object) label.matchedOptionValue("--config", null)).hasToString("/workspace/config/crosszone.yaml");
        assertThat((Object) label.matchedOptionValue("--report-dir", null)).hasToString("/workspace/reports/" + TektonResolver.TASKRUN_NAME);
        assertThat((Boolean) label.matchedOptionValue("--dry-run", null)).isFalse();
        assertThat((Boolean) label.matchedOptionValue("--overwrite", null)).isFalse();

        ParseResult sw = parse(tekton.pipelineTask(p, "switch-to-controller-mode", Map.of()).args());
        // the rollout asks for the runbook's step 2 explicitly (the CLI makes the backup first)
        assertThat((Boolean) sw.matchedOptionValue("--delete-static-data", null)).isTrue();
        assertThat((String) sw.matchedOptionValue("--timeout", null)).isEqualTo("10m");

        ParseResult aff = parse(tekton.pipelineTask(p, "apply-affinity", Map.of("dry-run", "true")).args());
        assertThat((Boolean) aff.matchedOptionValue("--dry-run", null)).isTrue();
        assertThat((Boolean) aff.matchedOptionValue("--no-restart", null)).isFalse();
        assertThat((String) aff.matchedOptionValue("--settle", null)).isEqualTo("15s");
        assertThat((Boolean) aff.matchedOptionValue("--replace-zonal-volumes", null)).isFalse();

        ParseResult verify = parse(tekton.pipelineTask(p, "verify-distribution", Map.of()).args());
        assertThat(verify.commandSpec().name()).isEqualTo("verify-distribution");
        assertThat((Boolean) verify.matchedOptionValue("--fix-topics", null)).isFalse();
    }

    @Test
    void theDrillPipelinesParamsReachTheCli() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("zone", "az2");
        params.put("mode", "partition");
        params.put("rto-objective", "30s");
        params.put("extra-args", List.of("--namespace", "prod-mq", "--broker-cr", "rmq-ha-i"));
        Container c = tekton.pipelineTask("rocketmq-failover-drill", "failover-drill", params);
        ParseResult drill = parse(c.args());
        assertThat((String) drill.matchedOptionValue("--zone", null)).isEqualTo("az2");
        assertThat((String) drill.matchedOptionValue("--mode", null)).isEqualTo("partition");
        assertThat((String) drill.matchedOptionValue("--rto-objective", null)).isEqualTo("30s");
        assertThat((String) drill.matchedOptionValue("--max-duration", null)).isEqualTo("15m");
        assertThat((Integer) drill.matchedOptionValue("--rpo-objective", null)).isZero();
        assertThat((Boolean) drill.matchedOptionValue("--replace-controller-volume", null)).isFalse();
        assertThat((String) drill.matchedOptionValue("--namespace", null)).isEqualTo("prod-mq");
        assertThat((String) drill.matchedOptionValue("--broker-cr", null)).isEqualTo("rmq-ha-i");

        for (String verify : List.of("verify-before", "verify-after")) {
            ParseResult v = parse(tekton.pipelineTask("rocketmq-failover-drill", verify, params).args());
            assertThat(v.commandSpec().name()).isEqualTo("verify-distribution");
            assertThat((String) v.matchedOptionValue("--namespace", null)).isEqualTo("prod-mq");
        }
    }

    /** {@code api-timeout} reaches the CLI as {@code --api-timeout}: the CLI's default (30s) unless given. */
    @ParameterizedTest
    @ValueSource(strings = {"label-zones", "switch-to-controller-mode", "apply-affinity", "verify-distribution", "failover-drill",
            "reseed-controller"})
    void apiTimeoutReachesTheCliFromEachStepActionAndTask(String task) {
        String name = "crosszone-" + task;
        for (Container c : List.of(tekton.stepAction(name, task, Map.of()), tekton.task(name, Map.of()))) {
            assertThat(c.args()).as(name).containsOnlyOnce("--api-timeout=30s");
            assertThat((String) parse(c.args()).matchedOptionValue("--api-timeout", null)).as(name).isEqualTo("30s");
        }
        Container step = tekton.stepAction(name, task, Map.of("api-timeout", "45s"));
        assertThat(step.args()).as(name + " StepAction").containsOnlyOnce("--api-timeout=45s");
        assertThat((String) parse(step.args()).matchedOptionValue("--api-timeout", null)).isEqualTo("45s");
        Container t = tekton.task(name, Map.of("api-timeout", "2m"));
        assertThat(t.args()).as(name + " Task").containsOnlyOnce("--api-timeout=2m");
        assertThat((String) parse(t.args()).matchedOptionValue("--api-timeout", null)).isEqualTo("2m");
    }

    @Test
    void eachPipelineGivesApiTimeoutToEveryTask() {
        Map<String, List<String>> pipelines = Map.of(
                "rocketmq-crosszone-rollout", List.of("label-zones", "switch-to-controller-mode", "apply-affinity", "verify-distribution"),
                "rocketmq-failover-drill", List.of("verify-before", "failover-drill", "verify-after"));
        pipelines.forEach((p, tasks) -> {
            for (String t : tasks) {
                assertThat((String) parse(tekton.pipelineTask(p, t, Map.of()).args()).matchedOptionValue("--api-timeout", null))
                        .as(p + "/" + t + " default").isEqualTo("30s");
                assertThat((String) parse(tekton.pipelineTask(p, t, Map.of("api-timeout", "90s")).args())
                        .matchedOptionValue("--api-timeout", null)).as(p + "/" + t).isEqualTo("90s");
            }
        });
    }

    @Test
    void aHostileValueStaysOneArgumentAndIsNeverRun() {
        String hostile = "az1 $(touch /tmp/pwned); rm -rf / 'quoted' \"double\" `id`";
        Container c = tekton.task("crosszone-failover-drill", Map.of("zone", hostile));
        assertThat(c.command().get(0)).isEqualTo("java");
        assertThat(c.argv()).doesNotContain("sh", "bash", "/bin/sh", "-c");
        assertThat(c.args()).containsOnlyOnce("--zone=" + hostile);
        assertThat((String) parse(c.args()).matchedOptionValue("--zone", null)).isEqualTo(hostile);
    }

    @Test
    void eachResultIsWrittenByTheCliToItsStepResultFile() {
        Map<String, List<String>> expected = Map.of(
                "label-zones", List.of("verdict=verdict"),
                "switch-to-controller-mode", List.of("verdict=verdict"),
                "apply-affinity", List.of("verdict=verdict"),
                "verify-distribution", List.of("verdict=verdict"),
                "failover-drill", List.of("verdict=verdict", "rto-millis=rto-millis", "lost-messages=lost-messages",
                        "history-page=history-page"));
        expected.forEach((task, pairs) -> {
            Container c = tekton.task("crosszone-" + task, Map.of());
            List<String> requested = new ArrayList<>();
            for (String a : c.args()) {
                if (a.startsWith("--result-file=")) {
                    String[] kv = a.substring("--result-file=".length()).split("=", 2);
                    assertThat(RESULT_NAMES).as(task + ": a result of the task").contains(kv[0]);
                    assertThat(kv[1]).as(task).startsWith("/tekton/steps/step-" + task + "/results/");
                    requested.add(kv[0] + "=" + kv[1].substring(kv[1].lastIndexOf('/') + 1));
                }
            }
            assertThat(requested).as(task).containsExactlyInAnyOrderElementsOf(pairs);
        });
    }

    /** Parses args as the CLI does (the task's subcommand), leaving out flags still pending. */
    private static ParseResult parse(List<String> args) {
        CommandLine cl = Crosszone.commandLine((kubeconfig, context) -> {
            throw new AssertionError("parsing only: no client is opened");
        });
        CommandLine task = cl.getSubcommands().get(args.get(0));
        assertThat(task).as("subcommand " + args.get(0)).isNotNull();
        CommandSpec spec = task.getCommandSpec();
        List<String> kept = new ArrayList<>();
        for (String a : args) {
            String flag = a.split("=", 2)[0];
            if (PENDING_CLI_FLAGS.contains(flag) && spec.findOption(flag) == null) {
                stillPending.add(flag);
            } else {
                kept.add(a);
            }
        }
        ParseResult result = cl.parseArgs(kept.toArray(String[]::new));
        assertThat(result.hasSubcommand()).isTrue();
        return result.subcommand();
    }
}
