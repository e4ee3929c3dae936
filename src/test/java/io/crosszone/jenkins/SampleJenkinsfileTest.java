package io.crosszone.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** jenkins/Jenkinsfile loads the library with @Library and runs: a rollout on demand, a drill on its timer. */
class SampleJenkinsfileTest extends PipelineRig {
    private static final String JENKINSFILE = "jenkins/Jenkinsfile";

    @BeforeEach
    void defaults() {
        // a build's parameters as Jenkins fills them from the defaults (a timer build gets these)
        params.put("ACTION", "rollout");
        params.put("DRY_RUN", true);
        params.put("IMAGE", "registry.example.com/crosszone:0.1.0-debug");
        params.put("DRILL_ZONE", "az1");
        params.put("RTO_OBJECTIVE", "30s");
    }

    @Test
    void aManualRolloutRunsTheFourTasksInOrderAndPublishesTheReports() throws Exception {
        params.put("DRY_RUN", false);

        runScript(JENKINSFILE);

        assertThat(tasksRun()).containsExactly("label-zones", "switch-to-controller-mode", "apply-affinity",
                "verify-distribution");
        assertThat(optionsOf(0, "label-zones")).containsExactly("--config=crosszone.yaml", "--output=json",
                "--report-dir=crosszone-reports/label-zones");
        assertThat(stashed).containsExactly(Map.of("name", "crosszone-config", "includes", "crosszone.yaml"));
        assertThat(unstashed).containsExactly("crosszone-config");
        assertThat(asMap(podTemplates.get(0))).containsEntry("serviceAccount", "crosszone");
        assertThat(archived).hasSize(4);
        assertThat(matching(junitPublished.get(3))).hasSize(1);
        assertThat(properties).contains(Map.of("pipelineTriggers", List.of(Map.of("cron", "H 3 * * 1"))));
        assertThat(build.getResult()).isEqualTo("SUCCESS");
    }

    @Test
    void theDefaultManualBuildIsADryRunOfTheRollout() throws Exception {
        runScript(JENKINSFILE);

        assertThat(tasksRun()).containsExactly("label-zones", "switch-to-controller-mode", "apply-affinity");
        assertThat(optionsOf(2, "apply-affinity")).contains("--dry-run");
    }

    @Test
    void theTimerRunsTheDrillAndThenVerifies() throws Exception {
        build.causedBy("hudson.triggers.TimerTrigger$TimerTriggerCause");

        runScript(JENKINSFILE);

        assertThat(tasksRun()).containsExactly("failover-drill", "verify-distribution");
        assertThat(optionsOf(0, "failover-drill")).containsExactly("--config=crosszone.yaml", "--zone=az1",
                "--rto-objective=30s", "--output=json", "--report-dir=crosszone-reports/failover-drill");
        assertThat(archived).containsExactly("crosszone-reports/failover-drill/**", "crosszone-reports/verify-distribution/**");
    }

    @Test
    void aDrillThatMissesItsObjectivesFailsTheBuildAndSkipsTheVerification() throws Exception {
        build.causedBy("hudson.triggers.TimerTrigger$TimerTriggerCause");
        exitCode("failover-drill", 1);

        assertThatThrownBy(() -> runScript(JENKINSFILE))
                .hasMessageStartingWith("crosszone failover-drill: a check failed (exit 1)");
        assertThat(tasksRun()).containsExactly("failover-drill");
        assertThat(archived).containsExactly("crosszone-reports/failover-drill/**");
    }
}
