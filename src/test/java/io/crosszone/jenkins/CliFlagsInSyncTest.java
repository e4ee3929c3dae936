package io.crosszone.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import groovy.lang.GroovyObject;
import io.crosszone.cli.Crosszone;
import io.crosszone.k8s.KubernetesClients;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The library's parameters and the CLI's flags stay one set: every option of a task (but the
 * {@link #STEP_OWNED} ones) is a key named in camelCase after its flag, and no key
 * names a flag the task lacks. Then a step given every key is run through the real shell, and the
 * argv the CLI receives is parsed by the CLI's own picocli model: every option arrives with its value.
 */
class CliFlagsInSyncTest extends PipelineRig {
    private static final Map<String, String> STEPS = Map.of(
            "label-zones", "crosszoneLabelZones",
            "switch-to-controller-mode", "crosszoneSwitchToControllerMode",
            "apply-affinity", "crosszoneApplyAffinity",
            "verify-distribution", "crosszoneVerifyDistribution",
            "failover-drill", "crosszoneFailoverDrill",
            "reseed-controller", "crosszoneReseedController");

    /**
     * Flags the step sets itself (--output, --report-dir) or has no use for: --results-dir and --result-file write
     * Tekton's one-file-per-result; a Jenkins step reads the JSON result instead.
     */
    private static final List<String> STEP_OWNED = List.of("--output", "--report-dir", "--results-dir", "--result-file");

    @ParameterizedTest
    @ValueSource(strings = {"label-zones", "switch-to-controller-mode", "apply-affinity", "verify-distribution", "failover-drill",
            "reseed-controller"})
    void everyFlagOfTheTaskIsAStepParameterAndArrivesWithItsValue(String task) throws Exception {
        List<OptionSpec> options = cliOptions(task);
        Map<String, Object> expectedTable = new LinkedHashMap<>();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("runner", "container");
        for (OptionSpec o : options) {
            String key = camelCase(o.longestName());
            expectedTable.put(key, List.of(o.longestName(), kind(o)));
            Object value = sample(o, key);
            config.put(key, value instanceof java.nio.file.Path ? value.toString() : value);
        }

        runStep(STEPS.get(task), config);
        Map<?, ?> table = (Map<?, ?>) ((GroovyObject) getBinding().getVariable("crosszoneCli"))
                .invokeMethod("taskOptions", task);

        assertThat(new LinkedHashMap<>(table)).isEqualTo(expectedTable);
        // the step's help page names every parameter it takes
        String help = java.nio.file.Files.readString(PROJECT_ROOT.resolve("vars/" + STEPS.get(task) + ".txt"));
        List<Object> keys = new ArrayList<>(table.keySet());
        keys.addAll((List<?>) ((GroovyObject) getBinding().getVariable("crosszoneCli")).invokeMethod("stepKeys", null));
        for (Object key : keys) {
            assertThat(help).as("help of " + STEPS.get(task)).contains("<code>" + key + "</code>");
        }
        List<String> argv = new ArrayList<>(cliCalls().get(0));
        ParseResult parsed = Crosszone.commandLine(KubernetesClients.DEFAULT)
                .parseArgs(argv.subList(argv.indexOf(task), argv.size()).toArray(String[]::new))
                .subcommand();
        assertThat(parsed.commandSpec().name()).isEqualTo(task);
        for (OptionSpec o : options) {
            Object expected = sample(o, camelCase(o.longestName()));
            Object actual = parsed.<Object>matchedOptionValue(o.longestName(), null);
            assertThat(actual).as(o.longestName()).isEqualTo(expected);
        }
        assertThat(String.valueOf(parsed.<Object>matchedOptionValue("--output", null))).isEqualTo("json");
        assertThat(String.valueOf(parsed.<Object>matchedOptionValue("--report-dir", null))).isEqualTo("crosszone-reports/" + task);
    }

    private static List<OptionSpec> cliOptions(String task) {
        CommandLine sub = Crosszone.commandLine(KubernetesClients.DEFAULT).getSubcommands().get(task);
        List<OptionSpec> out = new ArrayList<>();
        for (OptionSpec o : sub.getCommandSpec().options()) {
            if (o.usageHelp() || o.versionHelp() || STEP_OWNED.contains(o.longestName())) {
                continue;
            }
            out.add(o);
        }
        return out;
    }

    static String camelCase(String flag) {
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (char c : flag.replaceFirst("^--", "").toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }

    private static String kind(OptionSpec o) {
        if (o.type() == boolean.class || o.type() == Boolean.class) {
            return "flag";
        }
        if (Map.class.isAssignableFrom(o.type())) {
            return "map";
        }
        return List.class.isAssignableFrom(o.type()) ? "list" : "value";
    }

    /** A value of the option's type; the same object is what picocli must parse back. */
    private static Object sample(OptionSpec o, String key) {
        String kind = kind(o);
        if (kind.equals("flag")) {
            return true;
        }
        if (kind.equals("map")) {
            return Map.of("az1", "v-" + key);
        }
        if (kind.equals("list")) {
            return List.of("az1", "az2");
        }
        if (o.type() == int.class || o.type() == Integer.class) {
            return 3;
        }
        if (o.type() == java.nio.file.Path.class) {
            return java.nio.file.Path.of("p-" + key);
        }
        return "v-" + key;
    }
}
