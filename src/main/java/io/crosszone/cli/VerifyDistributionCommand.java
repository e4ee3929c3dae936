package io.crosszone.cli;

import io.crosszone.config.ConfigException;
import io.crosszone.config.ConfigValidator;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.config.Durations;
import io.crosszone.core.Progress;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.report.TaskReport;
import io.crosszone.report.Verdict;
import io.crosszone.tasks.verify.Verification;
import io.crosszone.tasks.verify.VerificationRendering;
import io.crosszone.tasks.verify.VerifyDistributionTask;
import io.crosszone.tasks.verify.VerifySummaries;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "verify-distribution", mixinStandardHelpOptions = true,
        description = {"Prove the placement from Kubernetes and from RocketMQ, and say what a zone loss would do.",
                "Writes verify-distribution.xml (JUnit, one test case per check) and verify-distribution.prom (Prometheus) into --report-dir.",
                "Exit codes: 0 every check passed, 1 a check failed, 2 bad input, 3 the cluster could not be reached."})
public class VerifyDistributionCommand extends ClusterTaskCommand {
    @Option(names = "--fix-topics", description = "Create on the slaves the topics their master has and they lack.")
    boolean fixTopics;

    @Option(names = "--all-namespaces", description = "Verify every Broker CR of the cluster, one result per deployment.")
    boolean allNamespaces;

    @Option(names = "--rebalance-masters", description = "Ask the controller to elect the planned master where it is not, one group at a time, only when in sync.")
    boolean rebalanceMasters;

    @Option(names = "--converge-timeout", defaultValue = "60s", paramLabel = "DURATION",
            description = {"When only checks RocketMQ settles by itself fail (sync-state-full, one-master-per-group,",
                    "brokers-match-pods, name-servers-agree, controller-leader), read again for up to this long before judging;",
                    "0s judges the first reading (default: ${DEFAULT-VALUE})."})
    String convergeTimeout;

    @Mixin
    MetricsOptions metricsOptions;

    /** verify writes with --fix-topics and --rebalance-masters, and pipelines pin every step to one cluster. */
    @Mixin
    ExpectClusterOption expectCluster;

    @Override
    protected String expectedCluster() {
        return expectCluster.expected();
    }

    private Duration converge;

    @Override
    protected List<String> validate(CrosszoneConfig config) {
        metricsOptions.pushgatewayUri();
        converge = Durations.parse("--converge-timeout", convergeTimeout);
        if (converge.isNegative()) {
            throw new ConfigException("--converge-timeout must not be negative, got " + convergeTimeout);
        }
        // verify reads where pods run; it needs the zone names, not the node lists
        return ConfigValidator.validate(config, false);
    }

    @Override
    protected ClusterPreflight.Scope preflightScope() {
        return allNamespaces ? ClusterPreflight.Scope.NODES : ClusterPreflight.Scope.DEPLOYMENT;
    }

    @Override
    protected String namespaceActedOn(CrosszoneConfig config) {
        return allNamespaces ? "*" : config.getNamespace();
    }

    @Override
    protected TaskReport execute(CrosszoneConfig config, Progress progress) {
        List<String> warnings = new ArrayList<>();
        List<Verification> results;
        try (KubernetesClient client = openClient()) {
            VerifyDistributionTask task = new VerifyDistributionTask(new KubernetesGateway(client), rocketMqAccess, progress,
                    Duration.ofSeconds(3));
            VerifyDistributionTask.Options options = new VerifyDistributionTask.Options(fixTopics, rebalanceMasters, converge);
            results = allNamespaces ? task.verifyAll(config, options, warnings)
                    : List.of(task.verify(config, options, warnings));
        }
        boolean passed = results.stream().allMatch(Verification::passed);
        TaskReport report = new TaskReport(taskName()).verdict(passed ? Verdict.PASSED : Verdict.FAILED);
        report.put("passed", passed);
        if (allNamespaces) {
            report.put("deployments", results.stream().map(VerificationRendering::json).toList());
        } else {
            VerificationRendering.json(results.get(0)).forEach(report::put);
        }
        for (Verification v : results) {
            VerificationRendering.text(v).forEach(report::line);
            report.line("");
        }
        warnings.stream().distinct().forEach(report::warn);
        writeReport("verify-distribution.xml", VerificationRendering.junit(results));
        // the last known controller metadata, for reseed-controller --known-state should the controller lose it
        for (Verification v : results) {
            if (!v.controllerState().isEmpty()) {
                writeReport(allNamespaces ? "controller-metadata-" + v.namespace() + "-" + v.brokerCr() + ".json"
                        : "controller-metadata.json", io.crosszone.core.Json.write(v.controllerState()));
            }
        }
        metricsOptions.publisher(outputOptions.reportDir()).verify(VerifySummaries.of(results, Instant.now()))
                .forEach(report::warn);
        return report;
    }
}
