package io.crosszone.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Values reach the CLI as data: the command line the step builds is run by a real /bin/sh, and a
 * parameter holding a command substitution, backquotes, quotes or a newline arrives intact in the
 * (fake) CLI's argv, and nothing in it runs.
 */
class ShellQuotingTest extends PipelineRig {

    @Test
    void hostileValuesArriveIntactAndNothingInThemRuns() throws Exception {
        Path p1 = tmp.resolve("pwned-1");
        Path p2 = tmp.resolve("pwned-2");
        Path p3 = tmp.resolve("pwned-3");
        Path p4 = tmp.resolve("pwned-4");
        Path p5 = tmp.resolve("pwned-5");
        String substitution = "$(touch " + p1 + ")";
        String backquotes = "`touch " + p2 + "`";
        String breakOut = "it's'; touch " + p3 + "; echo '";
        String doubleQuotes = "\"; touch " + p4 + "; \"$HOME\\ *";
        String newline = "az2\ntouch " + p5;
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("runner", "jar");
        config.put("jar", "tools/cross zone's $(touch " + p1 + ").jar");
        config.put("namespace", substitution);
        config.put("context", backquotes);
        config.put("consoleCr", breakOut);
        config.put("zones", List.of("az1", newline));
        config.put("brokerProperty", new LinkedHashMap<>(Map.of("key's", doubleQuotes)));
        config.put("reportDir", "reports $(touch " + p1 + ") it's");

        Object result = runStep("crosszoneLabelZones", config);

        for (Path p : List.of(p1, p2, p3, p4, p5)) {
            assertThat(p).as("nothing from a value ran").doesNotExist();
        }
        String reportDir = "reports $(touch " + p1 + ") it's/label-zones";
        assertThat(cliCalls()).containsExactly(List.of(
                "-jar", "tools/cross zone's $(touch " + p1 + ").jar", "label-zones",
                "--namespace=" + substitution,
                "--console-cr=" + breakOut,
                "--zones=az1," + newline,
                "--broker-property=key's=" + doubleQuotes,
                "--context=" + backquotes,
                "--output=json",
                "--report-dir=" + reportDir));
        assertThat(Files.exists(workspace.resolve(reportDir).resolve("label-zones.result.json"))).isTrue();
        assertThat(asMap(result)).containsEntry("verdict", "passed");
    }

    @Test
    void aValueThatLooksLikeAFlagStaysTheValueOfItsOwnFlag() throws Exception {
        runStep("crosszoneFailoverDrill", Map.of("runner", "container", "zone", "--recover", "mode", "-h"));

        assertThat(optionsOf(0, "failover-drill")).containsExactly("--zone=--recover", "--mode=-h",
                "--output=json", "--report-dir=crosszone-reports/failover-drill");
    }
}
