package io.crosszone.tasks.drill;

import io.crosszone.cli.Crosszone;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.config.ZoneSeparation;
import io.crosszone.config.ZoneSpec;
import io.crosszone.core.Json;
import io.crosszone.k8s.K8sStatus;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.lab.LabEnvironment;
import io.crosszone.lab.LabRollout;
import io.crosszone.lab.LabShape;
import io.crosszone.lab.operator.OperatorDouble;
import io.crosszone.plan.BrokerPlacement;
import io.crosszone.plan.OperatorNames;
import io.crosszone.plan.PlacementPlan;
import io.crosszone.plan.PlacementPlanner;
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

    CrosszoneConfig config() {
        return LabRollout.config(lab);
    }

    private void rollOut() throws Exception {
        await("name servers running", Duration.ofSeconds(60), () -> readyPods("name_service_cr").size() == 2);
        StringBuilder sb = new StringBuilder();
        LabRollout.labelAndSwitch(lab, reports.resolve("switch"), sb);
        // apply-affinity's part, by force until that task runs here: the plan's affinity everywhere
        LabRollout.forcePlannedPlacement(lab);
        // masters where the plan wants them (one per zone), as a rollout leaves them
        Run rebalance = cli("verify-distribution", "--zones", "az1,az2", "--rebalance-masters");
        await("masters rebalanced", Duration.ofSeconds(60), () -> rebalance.exitCode() == 0
                || cli("verify-distribution", "--zones", "az1,az2").exitCode() == 0);
        await("one name server per zone", Duration.ofSeconds(60), () -> zonesOf(readyPods("name_service_cr")).size() == 2);
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
