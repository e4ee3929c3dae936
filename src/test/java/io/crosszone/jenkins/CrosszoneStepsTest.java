package io.crosszone.jenkins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each step's command line, where it runs, what it publishes, and what its exit code does to the build. */
class CrosszoneStepsTest extends PipelineRig {
    private static final String IMAGE = "registry.example.com/crosszone:0.1.0-debug";

    @Test
    void labelZonesRunsTheImageInAKubernetesPodWithTheFlagsOfItsParameters() throws Exception {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("image", IMAGE);
        config.put("serviceAccount", "crosszone");
        config.put("unstash", "crosszone-config");
        config.put("namespace", "rocketmq");
        config.put("zones", List.of("az1", "az2"));
        config.put("zoneNodes", new LinkedHashMap<>(Map.of("az1", List.of("k8s-node-01", "k8s-node-02"))));
        config.put("dryRun", true);
        config.put("overwrite", false);
        config.put("context", "");

        Object result = runStep("crosszoneLabelZones", config);

        assertThat(shellRuns).hasSize(1);
        assertThat(shellRuns.get(0).script()).isEqualTo("""
                rm -rf 'crosszone-reports/label-zones'
                mkdir -p 'crosszone-reports/label-zones'
                'java' '-cp' '@/app/jib-classpath-file' 'io.crosszone.cli.Crosszone' 'label-zones' \
                '--namespace=rocketmq' '--zones=az1,az2' '--zone-nodes=az1=k8s-node-01,k8s-node-02' '--dry-run' \
                '--output=json' '--report-dir=crosszone-reports/label-zones' \
                > 'crosszone-reports/label-zones/label-zones.result.json'
                """);
        assertThat(shellRuns.get(0).where()).containsExactly("pod", "node:crosszone-pod-1", "container:crosszone");
        assertThat(podTemplates).hasSize(1);
        assertThat(asMap(podTemplates.get(0))).containsEntry("serviceAccount", "crosszone");
        assertThat(asList(podTemplates.get(0).get("containers"))).containsExactly(
                Map.of("name", "crosszone", "image", IMAGE, "command", "sleep", "args", "infinity"));
        assertThat(unstashed).containsExactly("crosszone-config");
        assertThat(optionsOf(0, "label-zones")).containsExactly("--namespace=rocketmq", "--zones=az1,az2",
                "--zone-nodes=az1=k8s-node-01,k8s-node-02", "--dry-run", "--output=json",
                "--report-dir=crosszone-reports/label-zones");
        assertThat(asMap(result)).containsEntry("task", "label-zones").containsEntry("exitCode", 0)
                .containsEntry("verdict", "passed").containsEntry("reportDir", "crosszone-reports/label-zones");
        assertThat(archived).containsExactly("crosszone-reports/label-zones/**");
        assertThat(matching(archived.get(0))).extracting(Path::toString).containsExactly(
                "crosszone-reports/label-zones/label-zones.json", "crosszone-reports/label-zones/label-zones.result.json");
        assertThat(build.getResult()).isEqualTo("SUCCESS");
    }

    static Stream<Arguments> ownParameters() {
        return Stream.of(
                Arguments.of("crosszoneLabelZones", "label-zones",
                        Map.of("overwrite", true, "dryRun", "true"), List.of("--dry-run", "--overwrite")),
                Arguments.of("crosszoneSwitchToControllerMode", "switch-to-controller-mode",
                        Map.of("deleteStaticData", true, "controllerAddrDns", true, "timeout", "20m"),
                        List.of("--delete-static-data", "--controller-addr-dns", "--timeout=20m")),
                Arguments.of("crosszoneApplyAffinity", "apply-affinity",
                        Map.of("timeout", "5m", "settle", "30s", "noRestart", true),
                        List.of("--timeout=5m", "--settle=30s", "--no-restart")),
                Arguments.of("crosszoneVerifyDistribution", "verify-distribution",
                        Map.of("fixTopics", true, "allNamespaces", true, "rebalanceMasters", true),
                        List.of("--fix-topics", "--all-namespaces", "--rebalance-masters")),
                Arguments.of("crosszoneFailoverDrill", "failover-drill",
                        Map.of("zone", "az1", "mode", "partition", "maxDuration", "10m", "rtoObjective", "30s",
                                "rpoObjective", 0, "pollInterval", "100ms", "failBack", true, "recover", false),
                        List.of("--zone=az1", "--mode=partition", "--max-duration=10m", "--rto-objective=30s",
                                "--rpo-objective=0", "--poll-interval=100ms", "--fail-back")),
                // the drill fails back by default: false turns it off, once however it is said
                Arguments.of("crosszoneFailoverDrill", "failover-drill",
                        Map.of("zone", "az2", "failBack", false, "noFailBack", true, "recover", false),
                        List.of("--zone=az2", "--no-fail-back")),
                Arguments.of("crosszoneFailoverDrill", "failover-drill",
                        Map.of("zone", "az2", "failBack", "false"), List.of("--zone=az2", "--no-fail-back")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ownParameters")
    void eachStepPassesItsOwnParametersAsTheTasksFlags(String step, String task, Map<String, Object> own,
                                                       List<String> flags) throws Exception {
        Map<String, Object> config = new LinkedHashMap<>(own);
        config.put("runner", "jar");
        config.put("jar", "tools/crosszone.jar");
        config.put("groups", 3);

        Object result = runStep(step, config);

        assertThat(cliCalls()).hasSize(1);
        assertThat(cliCalls().get(0).subList(0, 3)).containsExactly("-jar", "tools/crosszone.jar", task);
        List<String> expected = new java.util.ArrayList<>(List.of("--groups=3"));
        expected.addAll(flags);
        expected.addAll(List.of("--output=json", "--report-dir=crosszone-reports/" + task));
        assertThat(optionsOf(0, task)).containsExactlyElementsOf(expected);
        assertThat(shellRuns.get(0).where()).isEmpty();
        assertThat(podTemplates).isEmpty();
        assertThat(asMap(result)).containsEntry("task", task).containsEntry("verdict", "passed");
    }

    @Test
    void verifyDistributionPublishesTheJUnitXmlItWrote() throws Exception {
        runStep("crosszoneVerifyDistribution", Map.of("runner", "jar", "jar", "crosszone.jar", "reportDir", "out/reports/"));

        assertThat(junitPublished).containsExactly("out/reports/verify-distribution/**/*.xml");
        assertThat(matching(junitPublished.get(0))).extracting(Path::toString)
                .containsExactly("out/reports/verify-distribution/verify-distribution-junit.xml");
    }

    @Test
    void aStaleReportOfAnEarlierRunIsNotPublishedAgain() throws Exception {
        Path stale = workspace.resolve("crosszone-reports/verify-distribution/old-junit.xml");
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "<testsuite/>");

        runStep("crosszoneVerifyDistribution", Map.of("runner", "jar", "jar", "crosszone.jar"));

        assertThat(stale).doesNotExist();
        assertThat(matching(junitPublished.get(0))).extracting(Path::toString)
                .containsExactly("crosszone-reports/verify-distribution/verify-distribution-junit.xml");
    }

    @Test
    void unknownKeysAreRejectedBeforeAnythingRuns() {
        assertThatThrownBy(() -> runStep("crosszoneApplyAffinity",
                Map.of("image", IMAGE, "namspace", "rocketmq", "overwrite", true)))
                .hasMessageStartingWith("crosszoneApplyAffinity: unknown parameters ")
                .hasMessageContaining("'namspace'").hasMessageContaining("'overwrite'")
                .hasMessageContaining("(known: config, namespace,");
        assertThat(shellRuns).isEmpty();
        assertThat(podTemplates).isEmpty();
    }

    @Test
    void valuesOfTheWrongKindAndMissingSettingsAreRejected() {
        assertThatThrownBy(() -> runStep("crosszoneLabelZones",
                Map.of("dryRun", "yes", "zoneNodes", "az1=n1", "brokerProperty", Map.of("a=b", "c"))))
                .hasMessageContaining("dryRun must be true or false, got 'yes'")
                .hasMessageContaining("zoneNodes must be a map")
                .hasMessageContaining("brokerProperty: a key must be non-empty and hold no '='")
                .hasMessageContaining("image is required with the kubernetes runner");
        assertThatThrownBy(() -> runStep("crosszoneLabelZones", Map.of("runner", "jar")))
                .hasMessageContaining("jar is required with the jar runner");
        assertThatThrownBy(() -> runStep("crosszoneLabelZones", Map.of("runner", "docker")))
                .hasMessageContaining("runner must be 'kubernetes', 'jar' or 'container', got 'docker'");
        assertThatThrownBy(() -> runStep("crosszoneLabelZones", Map.of("runner", "container", "reportDir", "../x")))
                .hasMessageContaining("reportDir must be a relative path inside the workspace");
        assertThatThrownBy(() -> runStep("crosszoneLabelZones", Map.of("runner", "container", "onCheckFailure", "ignore")))
                .hasMessageContaining("onCheckFailure must be 'FAILURE' or 'UNSTABLE', got 'ignore'");
        assertThat(shellRuns).isEmpty();
    }

    @Test
    void aFailedCheckFailsTheBuildAfterTheReportsArePublished() throws Exception {
        exitCode("verify-distribution", 1);

        assertThatThrownBy(() -> runStep("crosszoneVerifyDistribution", Map.of("runner", "container")))
                .isInstanceOf(PipelineError.class)
                .hasMessage("crosszone verify-distribution: a check failed (exit 1); see crosszone-reports/verify-distribution");
        assertThat(build.getResult()).isEqualTo("FAILURE");
        assertThat(archived).containsExactly("crosszone-reports/verify-distribution/**");
        assertThat(matching(junitPublished.get(0))).hasSize(1);
    }

    @Test
    void aFailedCheckMarksTheBuildUnstableWhenSoConfigured() throws Exception {
        exitCode("verify-distribution", 1);

        Object result = runStep("crosszoneVerifyDistribution", Map.of("runner", "container", "onCheckFailure", "unstable"));

        assertThat(build.getResult()).isEqualTo("UNSTABLE");
        assertThat(asMap(result)).containsEntry("exitCode", 1).containsEntry("verdict", "failed");
    }

    @Test
    void badInputAndRuntimeFailuresEndTheBuildWithTheCliError() throws Exception {
        exitCode("failover-drill", 2);
        assertThatThrownBy(() -> runStep("crosszoneFailoverDrill", Map.of("runner", "container", "zone", "az1")))
                .hasMessage("crosszone failover-drill: bad input (exit 2): simulated exit 2");

        exitCode("failover-drill", 3);
        assertThatThrownBy(() -> runStep("crosszoneFailoverDrill",
                Map.of("runner", "container", "zone", "az1", "onCheckFailure", "UNSTABLE")))
                .hasMessage("crosszone failover-drill: runtime failure (exit 3): simulated exit 3");
        assertThat(build.getResult()).isEqualTo("FAILURE");
    }

    @Test
    void aCliThatCannotStartEndsTheBuild() {
        assertThatThrownBy(() -> runStep("crosszoneLabelZones",
                Map.of("runner", "jar", "jar", "x.jar", "java", tmp.resolve("no-such-java").toString())))
                .hasMessage("crosszone label-zones: the CLI did not finish (exit 127)");
    }

    @Test
    void aKubeconfigCredentialReachesTheCliAsTheKubeconfigVariableNotOnTheCommandLine() throws Exception {
        runStep("crosszoneVerifyDistribution", Map.of("runner", "container", "kubeconfigCredentialsId", "prod-kube"));

        assertThat(cliEnv(0)).isEqualTo("KUBECONFIG=" + tmp.resolve("secret-prod-kube"));
        assertThat(String.join(" ", cliCalls().get(0))).doesNotContain("kubeconfig").doesNotContain("prod-kube");
    }

    /** The step against the real CLI (this build's classes): its exit 2 and JSON error come through. */
    @Test
    void theRealCliRejectsBadInputAndTheStepReportsItsMessage() {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cli = List.of(java, "-cp", System.getProperty("java.class.path"), "io.crosszone.cli.Crosszone");

        assertThatThrownBy(() -> runStep("crosszoneLabelZones",
                Map.of("runner", "container", "cli", cli, "zoneSeparation", "sideways")))
                .hasMessage("crosszone label-zones: bad input (exit 2): --zone-separation must be 'required' or 'preferred', got 'sideways'");
        assertThat(shellRuns.get(0).exitCode()).isEqualTo(2);
    }
}
