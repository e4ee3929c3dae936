package io.crosszone.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.cli.Crosszone;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.config.ZoneSpec;
import io.crosszone.lab.rocketmq.LocalRocketMqCluster;
import io.crosszone.plan.BrokerPlacement;
import io.crosszone.plan.PlacementPlan;
import io.crosszone.plan.PlacementPlanner;
import io.crosszone.rocketmq.RocketMqAccess;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Test support: runs the CLI against a lab, and brings a lab to the rolled-out state. */
public final class LabRollout {
    private LabRollout() {
    }

    public record Run(int exitCode, String out, String err) {
    }

    public static Run cli(LabEnvironment lab, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Crosszone.commandLine(lab.clients(), RocketMqAccess.ADMIN_API);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** The zone flags of the lab's shape: --zones and --zone-nodes per zone. */
    public static List<String> zoneArgs(LabEnvironment lab) {
        List<String> args = new ArrayList<>(List.of("--zones", String.join(",", lab.shape().zones())));
        lab.shape().fixture().nodesByZone().forEach((zone, nodes) -> {
            args.add("--zone-nodes");
            args.add(zone + "=" + String.join(",", nodes));
        });
        return args;
    }

    public static CrosszoneConfig config(LabEnvironment lab) {
        CrosszoneConfig c = new CrosszoneConfig();
        List<ZoneSpec> zones = new ArrayList<>();
        lab.shape().fixture().nodesByZone().forEach((z, nodes) -> zones.add(new ZoneSpec(z, nodes)));
        c.setZones(zones);
        c.getBrokers().setGroups(lab.shape().groups());
        c.getBrokers().setReplicasPerGroup(lab.shape().replicasPerGroup());
        return c;
    }

    /** label-zones and switch-to-controller-mode through the CLI, as a pipeline runs them. */
    public static void labelAndSwitch(LabEnvironment lab, Path reports, StringBuilder log) {
        List<String> label = new ArrayList<>(List.of("label-zones"));
        label.addAll(zoneArgs(lab));
        Run l = cli(lab, label.toArray(String[]::new));
        assertThat(l.exitCode()).as(l.out() + l.err()).isZero();
        List<String> sw = new ArrayList<>(List.of("switch-to-controller-mode", "--delete-static-data",
                "--report-dir", reports.toString(), "--poll-interval", "500ms", "--timeout", "3m"));
        sw.addAll(zoneArgs(lab));
        Run s = cli(lab, sw.toArray(String[]::new));
        assertThat(s.exitCode()).as(s.out() + s.err() + log).isZero();
    }

    /**
     * The planned placement by force, for tests that need it before apply-affinity runs: every
     * broker StatefulSet, the name server and the controller get the plan's affinity and their
     * pods are deleted at once (no availability kept: a test setup, not a rollout).
     */
    public static void forcePlannedPlacement(LabEnvironment lab) {
        PlacementPlan plan = PlacementPlanner.plan(config(lab));
        var sts = lab.client().apps().statefulSets().inNamespace("rocketmq");
        List<String> pods = new ArrayList<>();
        for (BrokerPlacement b : plan.brokers()) {
            sts.withName(b.statefulSet()).edit(s -> {
                s.getSpec().getTemplate().getSpec().setAffinity(b.affinity());
                s.getSpec().getTemplate().getMetadata().getLabels().putAll(b.podLabels());
                return s;
            });
            pods.add(b.statefulSet() + "-0");
        }
        sts.withName("namesrv").edit(s -> {
            s.getSpec().getTemplate().getSpec().setAffinity(plan.nameServer());
            return s;
        });
        sts.withName("controller").edit(s -> {
            s.getSpec().getTemplate().getSpec().setAffinity(plan.controller());
            return s;
        });
        for (Pod p : lab.client().pods().inNamespace("rocketmq").list().getItems()) {
            String app = p.getMetadata().getLabels() == null ? "" : p.getMetadata().getLabels().getOrDefault("app", "");
            if (app.equals("name_service") || app.equals("controller")) {
                pods.add(p.getMetadata().getName());
            }
        }
        // every pod restarts at once, so each starts afresh: with zonal volumes a pod moving zone could
        // not take its claim along, and half the cluster keeping data the other half lost would not fit
        for (String p : pods) {
            Pod pod = lab.client().pods().inNamespace("rocketmq").withName(p).get();
            if (pod != null) {
                io.crosszone.k8s.VolumeTopology.claims(pod).forEach(c ->
                        lab.client().persistentVolumeClaims().inNamespace("rocketmq").withName(c).delete());
            }
        }
        pods.forEach(p -> lab.client().pods().inNamespace("rocketmq").withName(p).withGracePeriod(0).delete());
        lab.rocketmq().awaitHealthy(Duration.ofSeconds(120));
        LocalRocketMqCluster.poll(Duration.ofSeconds(60), Duration.ofMillis(200), () -> allReady(lab));
    }

    static boolean allReady(LabEnvironment lab) {
        return lab.client().pods().inNamespace("rocketmq").list().getItems().stream()
                .filter(p -> !Map.of().equals(p.getMetadata().getLabels()))
                .allMatch(p -> io.crosszone.k8s.K8sStatus.podReady(p));
    }
}
