package io.crosszone.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** crosszoneRollout: the four tasks in order, each with its own parameters, stopping at the first failure. */
class CrosszoneRolloutTest extends PipelineRig {
    private static final List<String> ROLLOUT =
            List.of("label-zones", "switch-to-controller-mode", "apply-affinity", "verify-distribution");

    private static Map<String, Object> rollout() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("image", "registry.example.com/crosszone:0.1.0-debug");
        config.put("unstash", "crosszone-config");
        config.put("config", "crosszone.yaml");
        config.put("overwrite", true);
        config.put("timeout", "20m");
        config.put("fixTopics", true);
        config.put("applyAffinity", Map.of("timeout", "5m", "noRestart", true));
        return config;
    }

    @Test
    void runsTheFourTasksInOrderInOnePodEachWithTheParametersItTakes() throws Exception {
        Object results = runStep("crosszoneRollout", rollout());

        assertThat(tasksRun()).containsExactlyElementsOf(ROLLOUT);
        assertThat(podTemplates).hasSize(1);
        assertThat(unstashed).containsExactly("crosszone-config");
        assertThat(shellRuns).allSatisfy(run ->
                assertThat(run.where()).containsExactly("pod", "node:crosszone-pod-1", "container:crosszone"));
        assertThat(optionsOf(0, "label-zones")).containsExactly("--config=crosszone.yaml", "--overwrite",
                "--output=json", "--report-dir=crosszone-reports/label-zones");
        assertThat(optionsOf(1, "switch-to-controller-mode")).containsExactly("--config=crosszone.yaml",
                "--timeout=20m", "--output=json", "--report-dir=crosszone-reports/switch-to-controller-mode");
        assertThat(optionsOf(2, "apply-affinity")).containsExactly("--config=crosszone.yaml", "--timeout=5m",
                "--no-restart", "--output=json", "--report-dir=crosszone-reports/apply-affinity");
        assertThat(optionsOf(3, "verify-distribution")).containsExactly("--config=crosszone.yaml", "--fix-topics",
                "--output=json", "--report-dir=crosszone-reports/verify-distribution");
        assertThat(asList(results)).extracting(r -> asMap(r).get("task")).containsExactlyElementsOf(ROLLOUT);
        assertThat(archived).containsExactly("crosszone-reports/label-zones/**",
                "crosszone-reports/switch-to-controller-mode/**", "crosszone-reports/apply-affinity/**",
                "crosszone-reports/verify-distribution/**");
        assertThat(matching(junitPublished.get(3))).hasSize(1);
        assertThat(build.getResult()).isEqualTo("SUCCESS");
    }

    @Test
    void aRuntimeFailureStopsTheRolloutAndFailsTheBuild() throws Exception {
        exitCode("switch-to-controller-mode", 3);

        assertThatThrownBy(() -> runStep("crosszoneRollout", rollout()))
                .isInstanceOf(PipelineError.class)
                .hasMessage("crosszone switch-to-controller-mode: runtime failure (exit 3): simulated exit 3");
        assertThat(tasksRun()).containsExactly("label-zones", "switch-to-controller-mode");
        assertThat(build.getResult()).isEqualTo("FAILURE");
    }

    @Test
    void aFailedCheckStopsTheRolloutAndFailsTheBuild() throws Exception {
        exitCode("apply-affinity", 1);

        assertThatThrownBy(() -> runStep("crosszoneRollout", rollout()))
                .hasMessageStartingWith("crosszone apply-affinity: a check failed (exit 1)");
        assertThat(tasksRun()).containsExactly("label-zones", "switch-to-controller-mode", "apply-affinity");
    }

    @Test
    void aFailedCheckConfiguredAsUnstableStillStopsTheRollout() throws Exception {
        exitCode("apply-affinity", 1);
        Map<String, Object> config = rollout();
        config.put("onCheckFailure", "UNSTABLE");

        Object results = runStep("crosszoneRollout", config);

        assertThat(tasksRun()).containsExactly("label-zones", "switch-to-controller-mode", "apply-affinity");
        assertThat(asList(results)).extracting(r -> asMap(r).get("exitCode")).containsExactly(0, 0, 1);
        assertThat(build.getResult()).isEqualTo("UNSTABLE");
        assertThat(echoes).anyMatch(e -> e.contains("stopped after apply-affinity (exit 1); the later tasks did not run"));
    }

    @Test
    void aDryRunRunsTheThreeMutatingTasksWithDryRunAndNoVerification() throws Exception {
        Map<String, Object> config = rollout();
        config.put("dryRun", true);
        config.put("runner", "jar");
        config.put("jar", "crosszone.jar");

        runStep("crosszoneRollout", config);

        assertThat(tasksRun()).containsExactly("label-zones", "switch-to-controller-mode", "apply-affinity");
        for (int i = 0; i < 3; i++) {
            assertThat(optionsOf(i, ROLLOUT.get(i))).contains("--dry-run");
        }
        assertThat(podTemplates).isEmpty();
    }

    @Test
    void keysNoRolloutTaskTakesAreRejectedBeforeAnythingRuns() {
        Map<String, Object> config = rollout();
        config.put("zone", "az1");
        config.put("verifyDistribution", Map.of("overwrite", true));

        assertThatThrownBy(() -> runStep("crosszoneRollout", config))
                .hasMessageContaining("crosszoneRollout: unknown parameter 'zone'")
                .hasMessageContaining("verify-distribution (with verifyDistribution): unknown parameter 'overwrite'");
        assertThat(shellRuns).isEmpty();
        assertThat(podTemplates).isEmpty();
    }
}
