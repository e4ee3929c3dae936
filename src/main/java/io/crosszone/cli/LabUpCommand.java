package io.crosszone.cli;

import io.crosszone.config.ConfigException;
import io.crosszone.core.ExitCodes;
import io.crosszone.lab.LabEnvironment;
import io.crosszone.lab.LabFiles;
import io.crosszone.lab.LabRun;
import io.crosszone.lab.LabShape;
import io.crosszone.lab.LabShapes;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Keep a lab running in the foreground until Ctrl-C or SIGTERM, which stop every process it started.",
                "Writes a kubeconfig and a matching crosszone.yaml into --out-dir and prints 'lab ready: <dir>', so",
                "each task can be run by hand from another terminal, e.g.:",
                "  crosszone label-zones --config target/lab/crosszone.yaml --kubeconfig target/lab/kubeconfig",
                "Where the zones are network namespaces the lab plays Chaos Mesh too (NetworkChaos partitions),",
                "so 'failover-drill --mode chaos-mesh' runs against it."})
public class LabUpCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--nodes-per-zone", description = "Nodes in each zone (default: one per broker planned there, no spare:"
            + " the runbook's 3 for 3 groups x 2 replicas over 2 zones).")
    Integer nodesPerZone;

    @Option(names = "--storage", defaultValue = "zonal", paramLabel = "zonal|network", description = {
            "How the lab's volumes behave (default: ${DEFAULT-VALUE}): zonal - a claim stays in the zone of its first pod,",
            "as on the runbook's cluster (a pod whose volume is in a lost zone stays Pending); network - data follows its pod."})
    String storage;

    @Option(names = "--rocketmq-version", paramLabel = "VERSION", description = "The RocketMQ version to run (default: the one this build resolved).")
    String rocketmqVersion;

    @Option(names = "--rolled-out", description = "Run the rollout (label-zones .. verify-distribution) before saying ready.")
    boolean rolledOut;

    @Option(names = "--out-dir", defaultValue = "target/lab", description = "Where to write kubeconfig and crosszone.yaml (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--work-dir", defaultValue = "target/lab-work", description = "Where the RocketMQ processes keep their data and logs (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        LabShape shape;
        try {
            shape = LabShapes.from(configOptions.load(), nodesPerZone, rocketmqVersion, workDir, storage);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("crosszone lab up: error: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        var err = spec.commandLine().getErr();
        LabEnvironment lab = LabEnvironment.start(shape, line -> {
        });
        err.println(lab.networkLine());
        err.println(lab.chaosMeshLine());
        err.println("lab storage: " + shape.storage().flag() + ": " + shape.storage().description());
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            lab.close();
            stopped.countDown();
        }, "lab-up-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        LabFiles.Written files = LabFiles.write(lab, outDir);
        if (rolledOut) {
            LabRun run = new LabRun(Crosszone::runInProcess, lab, files, outDir.resolve("reports"), line -> {
                err.println(line);
                err.flush();
            });
            if (!run.rollOut()) {
                err.println("crosszone lab up: the rollout failed; the lab stays up as it is");
            }
        }
        err.println("lab API " + lab.apiUrl() + ", name servers " + lab.rocketmq().nameServerList());
        err.println("try: crosszone verify-distribution --config " + files.config() + " --kubeconfig " + files.kubeconfig());
        err.flush();
        spec.commandLine().getOut().println("lab ready: " + outDir.toAbsolutePath());
        spec.commandLine().getOut().flush();
        stopped.await();
        return ExitCodes.OK;
    }
}
