package io.crosszone.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.cli.Crosszone;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The library's pure helpers load outside a pipeline, as the image test uses them. */
class LibraryFunctionsTest {

    @Test
    void theKubernetesRunnerStartsTheImagesEntrypointInAContainerKeptAliveBySleep() throws Exception {
        LibraryFunctions library = LibraryFunctions.load(Path.of("").toAbsolutePath());
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("image", "registry.example.com/crosszone:0.1.0-debug");
        step.put("namespace", "rocketmq");

        // the words Jib's entrypoint runs (ImageIT checks the image's Entrypoint is exactly these)
        assertThat(library.cliWords(step)).containsExactly("java", "-cp", "@/app/jib-classpath-file", Crosszone.class.getName());
        assertThat(library.crosszoneContainer(step)).containsEntry("image", "registry.example.com/crosszone:0.1.0-debug")
                .containsEntry("command", "sleep").containsEntry("args", "infinity");
        String script = library.commandScript("verify-distribution", step);
        assertThat(script.lines().toList()).containsExactly(
                "rm -rf 'crosszone-reports/verify-distribution'",
                "mkdir -p 'crosszone-reports/verify-distribution'",
                "'java' '-cp' '@/app/jib-classpath-file' '" + Crosszone.class.getName() + "' 'verify-distribution'"
                        + " '--namespace=rocketmq' '--output=json' '--report-dir=crosszone-reports/verify-distribution'"
                        + " > 'crosszone-reports/verify-distribution/verify-distribution.result.json'");
        assertThat(library.resultFile("verify-distribution", step))
                .isEqualTo("crosszone-reports/verify-distribution/verify-distribution.result.json");
    }
}
