package io.crosszone.tasks.drill;

import io.crosszone.cli.Crosszone;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.config.ZoneSeparation;
import io.crosszone.config.ZoneSpec;
import io.crosszone.k8s.K8sStatus;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.lab.LabEnvironment;
import io.crosszone.lab.LabShape;
import io.crosszone.lab.operator.OperatorDouble;
import io.crosszone.plan.BrokerPlacement;
import io.crosszone.plan.OperatorNames;
import io.crosszone.plan.PlacementPlan;
import io.crosszone.plan.PlacementPlanner;
import io.crosszone.report.Json;
import io.crosszone.rocketmq.RocketMqAccess;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * A lab rolled out as the drill expects to find it: zones labelled, the name servers one per
 * zone, CONTROLLER mode, and each broker StatefulSet with the planner's affinity (what
 * apply-affinity does; done here directly until that task lands): 2 groups x 2 brokers over
 * 2 zones x 2 nodes, one master per zone.
 */
final class DrillLab implements AutoCloseable {
    static final String NS = "rocketmq";
    final LabEnvironment lab;
    final ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
    final Path reports;

    private DrillLab(Path reports) {
        this.reports = reports;
        LabShape shape = new LabShape(2, 2, List.of("az1", "az2"), 2, OperatorDouble.Flavour.UPSTREAM, true,
                Path.of("target/lab-drill"));
        lab = LabEnvironment.start(shape, line -> {
            log.add(line);
            while (log.size() > 400) {
                log.poll();
            }
        });
    }

    static DrillLab rolledOut(Path reports) throws Exception {
        DrillLab d = new DrillLab(reports);
        try {
            d.rollOut();
            return d;
        } catch (Exception | AssertionError e) {
            d.close();
            throw e;
        }
    }

    static CrosszoneConfig config() {
        CrosszoneConfig c = new CrosszoneConfig();
        c.setZones(List.of(new ZoneSpec("az1", List.of("k8s-node-01", "k8s-node-02")),
                new ZoneSpec("az2", List.of("k8s-node-03", "k8s-node-04"))));
        c.getBrokers().setGroups(2);
        c.getBrokers().setReplicasPerGroup(2);
        c.getBrokers().setZoneSeparation(ZoneSeparation.REQUIRED);
        return c;
    }

    private void rollOut() throws Exception {
        KubernetesGateway k8s = new KubernetesGateway(lab.client());
        await("name servers running", Duration.ofSeconds(60), () -> readyPods("name_service_cr").size() == 2);
        cli("label-zones", "--zones", "az1,az2", "--zone-nodes", "az1=k8s-node-01,k8s-node-02",
                "--zone-nodes", "az2=k8s-node-03,k8s-node-04").expectExit(0);
        PlacementPlan plan = PlacementPlanner.plan(config());
        // one name server per zone (the fixture starts both in az1)
        k8s.mergePatchStatefulSet(NS, "namesrv", Map.of("spec", Map.of("template", Map.of("spec",
                Map.of("affinity", Json.MAPPER.convertValue(plan.nameServer(), Map.class))))));
        await("one name server per zone", Duration.ofSeconds(120), () -> {
            List<Pod> ns = readyPods("name_service_cr");
            return ns.size() == 2 && zonesOf(ns).size() == 2 && ns.stream().allMatch(this::fromCurrentTemplate);
        });
        cli("switch-to-controller-mode", "--zones", "az1,az2", "--delete-static-data", "--report-dir",
                reports.resolve("switch").toString(), "--poll-interval", "500ms", "--timeout", "3m").expectExit(0);
        // apply-affinity's part: the planner's affinity and group label on each broker StatefulSet
        for (BrokerPlacement b : plan.brokers()) {
            Map<String, Object> template = new LinkedHashMap<>();
            template.put("metadata", Map.of("labels", b.podLabels()));
            template.put("spec", Map.of("affinity", Json.MAPPER.convertValue(b.affinity(), Map.class)));
            k8s.mergePatchStatefulSet(NS, b.statefulSet(), Map.of("spec", Map.of("template", template)));
        }
        await("brokers placed by the plan", Duration.ofSeconds(120), () -> {
            List<Pod> brokers = readyPods("broker_cr");
            return brokers.size() == 4 && brokers.stream().allMatch(this::fromCurrentTemplate)
                    && brokers.stream().allMatch(p -> p.getMetadata().getLabels().containsKey(OperatorNames.GROUP_LABEL));
        });
        lab.rocketmq().awaitHealthy(Duration.ofSeconds(120));
    }

    private boolean fromCurrentTemplate(Pod p) {
        String owner = p.getMetadata().getOwnerReferences().get(0).getName();
        var sts = lab.client().apps().statefulSets().inNamespace(NS).withName(owner).get();
        String hash = owner + "-" + io.crosszone.lab.operator.StatefulSetPods.templateHash(sts);
        return hash.equals(p.getMetadata().getLabels().get(io.crosszone.lab.operator.StatefulSetPods.TEMPLATE_HASH));
    }

    List<Pod> readyPods(String crLabel) {
        return lab.client().pods().inNamespace(NS).withLabel(crLabel).list().getItems().stream()
                .filter(K8sStatus::podReady).filter(p -> p.getSpec().getNodeName() != null).toList();
    }

    Set<String> zonesOf(List<Pod> pods) {
        return pods.stream().map(p -> zoneOfNode(p.getSpec().getNodeName())).filter(Objects::nonNull).collect(Collectors.toSet());
    }

    String zoneOfNode(String node) {
        var n = lab.client().nodes().withName(node).get();
        return n == null || n.getMetadata().getLabels() == null ? null : n.getMetadata().getLabels().get("az");
    }

    /** The zone the controller pod runs in now. */
    String controllerZone() {
        return readyPods("controller_cr").stream().map(p -> zoneOfNode(p.getSpec().getNodeName())).findFirst().orElseThrow();
    }

    record Run(int exitCode, String out, String err) {
        Run expectExit(int code) {
            if (exitCode != code) {
                throw new AssertionError("exit " + exitCode + " (expected " + code + ")\n--- out\n" + out + "\n--- err\n" + err);
            }
            return this;
        }
    }

    Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Crosszone.commandLine(lab.clients(), RocketMqAccess.ADMIN_API);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    String recentLog() {
        return String.join("\n", log);
    }

    void await(String what, Duration limit, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError(what + ": not reached within " + limit + "\n" + recentLog());
            }
            Thread.sleep(200);
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        lab.close();
    }
}
