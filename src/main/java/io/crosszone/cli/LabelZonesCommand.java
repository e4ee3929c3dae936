package io.crosszone.cli;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.core.Progress;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.report.TaskReport;
import io.crosszone.tasks.labelzones.LabelZonesTask;
import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "label-zones", mixinStandardHelpOptions = true,
        description = "Label the nodes of each data centre with their zone (az=az1|az2).")
public class LabelZonesCommand extends MutatingTaskCommand {
    @Option(names = "--overwrite", description = "Relabel a node that carries another zone (refused without it).")
    boolean overwrite;

    @Override
    protected ClusterPreflight.Scope preflightScope() {
        return ClusterPreflight.Scope.NODES; // zones are labelled before (or without) the operator's CRs
    }

    @Override
    protected TaskReport execute(CrosszoneConfig config, Progress progress) {
        try (KubernetesClient client = openClient()) {
            return new LabelZonesTask(new KubernetesGateway(client), progress).run(config, overwrite, dryRun);
        }
    }
}
