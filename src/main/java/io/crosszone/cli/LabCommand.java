package io.crosszone.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.core.Progress;
import io.crosszone.lab.LabEnvironment;
import io.crosszone.lab.LabFiles;
import io.crosszone.lab.LabRun;
import io.crosszone.lab.LabShape;
import io.crosszone.lab.LabShapes;
import io.crosszone.report.TaskReport;
import io.crosszone.report.TextTable;
import io.crosszone.report.Verdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "lab", mixinStandardHelpOptions = true, subcommands = LabUpCommand.class,
        description = {"Run the whole rollout and a failover drill of each zone against an embedded lab: no cluster needed.",
                "An in-process Kubernetes API with the runbook's STATIC deployment, and real RocketMQ processes",
                "(name servers, controller, brokers) as the pods, each zone a network namespace (as root; else on",
                "loopback addresses, a cut freezing processes), with stand-ins for the operator, scheduler, kubelets and",
                "Chaos Mesh. Reports go to --report-dir (default target/lab-report). 'crosszone lab up' keeps a lab",
                "running for trying the tasks by hand."})
public class LabCommand extends TaskCommand {
    @Option(names = "--nodes-per-zone", description = "Nodes in each zone (default: one per broker planned there, no spare:"
            + " the runbook's 3 for 3 groups x 2 replicas over 2 zones).")
    Integer nodesPerZone;

    @Option(names = "--mode", defaultValue = "partition", paramLabel = "partition|kill|chaos-mesh", description = {
            "The failure each drill models (default: ${DEFAULT-VALUE}): partition - the zone goes silent (the lab's",
            "network model drops its packets); kill - its broker pods crash (peers see the connections close);",
            "chaos-mesh - NetworkChaos partitions between the zone's pods and the other zones' (the lab plays",
            "Chaos Mesh: packet drops between pods; the drill, on the host, still reaches every pod). chaos-mesh",
            "needs the packet-drop network model (root, ip, iptables)."})
    String mode;

    @Option(names = "--storage", defaultValue = "zonal", paramLabel = "zonal|network", description = {
            "How the lab's volumes behave (default: ${DEFAULT-VALUE}): zonal - a claim stays in the zone of its first pod,",
            "as on the runbook's cluster (a pod whose volume is in a lost zone stays Pending); network - data follows its pod."})
    String storage;

    @Option(names = "--rocketmq-version", paramLabel = "VERSION", description = "The RocketMQ version to run (default: the one this build resolved, 5.1.4).")
    String rocketmqVersion;

    @Option(names = "--work-dir", defaultValue = "target/lab-work", description = "Where the RocketMQ processes keep their data and logs (default: ${DEFAULT-VALUE}).")
    Path workDir;

    @Option(names = "--pushgateway", paramLabel = "URL",
            description = "Push each drill's and verify's metrics to this Prometheus Pushgateway (cluster label 'lab').")
    String pushgateway;

    @Override
    protected List<String> validate(CrosszoneConfig config) {
        if (pushgateway != null && !pushgateway.isBlank()) {
            try {
                io.crosszone.report.metrics.Pushgateway.parse(pushgateway);
            } catch (IllegalArgumentException e) {
                throw new io.crosszone.config.ConfigException("--pushgateway " + e.getMessage());
            }
        }
        if (!List.of("partition", "kill", CHAOS_MESH).contains(mode)) {
            throw new io.crosszone.config.ConfigException("--mode must be partition, kill or chaos-mesh, got '" + mode + "'");
        }
        if (CHAOS_MESH.equals(mode)) {
            // the lab plays Chaos Mesh with packet drops: refuse before starting where it cannot
            String why = "freeze".equals(System.getProperty(LabEnvironment.NETWORK_PROPERTY))
                    ? "-D" + LabEnvironment.NETWORK_PROPERTY + "=freeze"
                    : io.crosszone.lab.network.LabNetwork.unavailableReason().orElse(null);
            if (why != null) {
                throw new io.crosszone.config.ConfigException(chaosMeshNeedsPacketDrop(why));
            }
        }
        return List.of();
    }

    @Override
    protected TaskReport execute(CrosszoneConfig config, Progress progress) {
        LabShape shape = LabShapes.from(config, nodesPerZone, rocketmqVersion, workDir, storage);
        Path reportDir = outputOptions.reportDir() != null ? outputOptions.reportDir() : Path.of("target/lab-report");
        long start = System.nanoTime();
        progress.info("starting a lab: " + shape.groups() + " groups x " + shape.replicasPerGroup() + " replicas over "
                + shape.zones() + ", " + shape.nodesPerZone() + " nodes per zone, " + shape.storage().flag() + " volumes ("
                + shape.storage().description() + ")");
        try (LabEnvironment lab = LabEnvironment.start(shape, line -> {
        })) {
            progress.info(lab.networkLine());
            progress.info(lab.chaosMeshLine());
            if (CHAOS_MESH.equals(mode) && !lab.playsChaosMesh()) {
                // namespaces could not be made after all (the line above says why)
                throw new io.crosszone.config.ConfigException(chaosMeshNeedsPacketDrop(lab.networkModel().id() + " network model"));
            }
            LabFiles.Written files = LabFiles.write(lab, reportDir.resolve("lab"));
            LabRun run = new LabRun(Crosszone::runInProcess, lab, files, reportDir, progress::info);
            if (pushgateway != null && !pushgateway.isBlank()) {
                run.withMetricsArgs(List.of("--pushgateway", pushgateway, "--cluster-name", "lab"));
            }
            boolean ok = run.rollOut() && run.drillEveryZone(mode);
            LabMetricsFiles.collect(reportDir);
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            // every request the tasks made of the API: what their ServiceAccount's RBAC must allow
            writeReport("api-requests.txt", String.join("\n", lab.takeTaskRequests()) + "\n");
            TaskReport report = report(run, ok, shape, seconds);
            report.put("networkModel", lab.networkModel().id()); // how a cut zone was modelled
            return report;
        }
    }

    private static final String CHAOS_MESH = "chaos-mesh";

    private static String chaosMeshNeedsPacketDrop(String why) {
        return "--mode chaos-mesh needs the lab's packet-drop network model (each zone a network namespace; root, ip and"
                + " iptables), and it cannot run here: " + why + "; use --mode partition or --mode kill";
    }

    private TaskReport report(LabRun run, boolean ok, LabShape shape, long seconds) {
        TaskReport report = new TaskReport(taskName()).verdict(ok ? Verdict.PASSED : Verdict.FAILED);
        List<Map<String, Object>> steps = new ArrayList<>();
        List<Map<String, Object>> drills = new ArrayList<>();
        JsonNode lastVerify = null;
        TextTable table = new TextTable("STEP", "VERDICT", "EXIT", "TIME");
        for (LabRun.Step s : run.steps()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("exitCode", s.exitCode());
            m.put("verdict", s.verdict());
            m.put("durationMillis", s.durationMillis());
            if (s.error() != null) {
                m.put("error", s.error());
            }
            steps.add(m);
            table.row(s.name() + (s.name().equals("failover-drill") ? " " + s.args().get(s.args().indexOf("--zone") + 1) : ""),
                    s.verdict(), s.exitCode(), s.durationMillis() / 1000.0 + " s");
            if (s.name().equals("verify-distribution") && s.result() != null) {
                lastVerify = s.result();
            }
            if (s.name().equals("failover-drill") && s.result() != null) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("zone", s.args().get(s.args().indexOf("--zone") + 1));
                d.put("mode", s.args().get(s.args().indexOf("--mode") + 1));
                d.put("networkModel", value(s.result(), "networkModel")); // how the cut was enforced
                d.put("rtoMillis", value(s.result(), "rtoMillis"));
                d.put("writeOutageMillis", value(s.result(), "writeOutageMillis"));
                d.put("lost", value(s.result(), "lost"));
                d.put("duplicates", value(s.result(), "duplicates"));
                d.put("repairs", s.result().path("actions"));
                d.put("verdict", s.verdict());
                drills.add(d);
            }
        }
        report.put("steps", steps);
        report.put("distribution", lastVerify);
        report.put("drills", drills);
        report.put("durationSeconds", seconds);
        run.rolloutWrites().ifPresent(w -> report.put("rolloutWrites", w));
        report.line("Lab: " + shape.groups() + " groups x " + shape.replicasPerGroup() + " replicas over " + shape.zones()
                + " in " + seconds + " s");
        table.lines().forEach(report::line);
        if (lastVerify != null && lastVerify.has("brokers")) {
            report.line("");
            report.line("Distribution (last verify):");
            TextTable d = new TextTable("GROUP", "REPLICA", "POD", "NODE", "ZONE", "ROLE", "IN SYNC");
            for (JsonNode b : lastVerify.get("brokers")) {
                d.row(b.path("group").asText(), b.path("replica").asText(), b.path("pod").asText(), b.path("node").asText(),
                        b.path("zone").asText(), b.path("role").asText(), b.path("inSync").asText());
            }
            d.lines().forEach(report::line);
        }
        run.rolloutWrites().ifPresent(w -> {
            report.line("");
            report.line("Writes through apply-affinity (a producer sending to each group every "
                    + io.crosszone.lab.RolloutProbe.INTERVAL_MILLIS + " ms):");
            TextTable t = new TextTable("GROUP", "SENT", "FAILED", "LONGEST GAP (ms)");
            w.groups().forEach(g -> t.row(g.group(), g.sent(), g.failed(), g.longestGapMillis()));
            t.lines().forEach(report::line);
            report.line("acknowledged " + w.acked() + ", acknowledged and lost " + w.lost() + ", duplicates " + w.duplicates());
        });
        if (!drills.isEmpty()) {
            report.line("");
            report.line("Drills:");
            TextTable t = new TextTable("ZONE", "MODE", "NETWORK MODEL", "RTO (ms)", "WRITE OUTAGE (ms)", "LOST", "DUPLICATES",
                    "VERDICT");
            drills.forEach(d -> t.row(d.get("zone"), d.get("mode"), d.get("networkModel"), d.get("rtoMillis"), d.get("writeOutageMillis"),
                    d.get("lost"), d.get("duplicates"), d.get("verdict")));
            t.lines().forEach(report::line);
        }
        return report;
    }

    private static Object value(JsonNode doc, String field) {
        JsonNode n = doc.findValue(field);
        return n == null || n.isNull() ? null : n.isNumber() ? n.numberValue() : n.asText();
    }
}
