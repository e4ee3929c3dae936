package io.crosszone.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosszone.cli.Crosszone;
import io.crosszone.config.ConfigLoader;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.core.Json;
import io.crosszone.k8s.K8sStatus;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.lab.LabEnvironment;
import io.crosszone.lab.LabFiles;
import io.crosszone.lab.LabRun;
import io.crosszone.lab.LabShape;
import io.crosszone.lab.LabShapes;
import io.crosszone.lab.RolloutProbe;
import io.crosszone.plan.OperatorNames;
import io.crosszone.rocketmq.AdminRocketMqGateway;
import io.crosszone.rocketmq.ClusterView;
import io.crosszone.rocketmq.RocketMqEndpoints;
import io.crosszone.rocketmq.SyncStateSet;
import io.crosszone.tasks.RocketMqDiscovery;
import io.crosszone.tasks.drill.ClusterHealth;
import io.crosszone.tasks.drill.ZonePods;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Benchmark (mvn -B -o -Pbench test -Dtest=ApplyAffinityBench, after package), not a test; issue #17:
 * apply-affinity's total time and failed probe writes, beside the runbook's way of placing the
 * brokers: patch every broker StatefulSet's affinity, then restart them all at once. Each sample is
 * a fresh in-process lab (as `crosszone lab up`, default shape) taken through label-zones and
 * switch-to-controller-mode as {@link LabRun#rollOut()} does; then, under a {@link RolloutProbe}
 * (one send per group every 100 ms):
 * <ul>
 *   <li>{@code crosszone-<storage>}: apply-affinity with LabRun's flags, then verify-distribution;</li>
 *   <li>{@code runbook-<storage>}: apply-affinity --no-restart (the placement only), every broker pod
 *   deleted at once, and a wait (-Dbench.wholeMinutes, default 10) until the deployment is whole as
 *   the failover drill judges it ({@link ClusterHealth}); then verify-distribution.</li>
 * </ul>
 * -Dbench.variants (default crosszone-zonal,runbook-zonal,runbook-network), -Dbench.rounds=N
 * (default 1, variants interleaved per round). Every sample and median (min..max) per variant go to
 * target/bench-results/apply-affinity.json; nothing about timings is asserted.
 */
class ApplyAffinityBench {
    private static final Path RESULTS = Path.of("target/bench-results");
    private static final Path WORK = Path.of("target/bench-apply-affinity");
    private static final Duration POLL = Duration.ofSeconds(1);

    @Test
    void applyAffinityBesideRestartingEveryBrokerAtOnce() throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 1);
        List<String> variants = Arrays.stream(System.getProperty("bench.variants", "crosszone-zonal,runbook-zonal,runbook-network")
                .split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        variants.forEach(ApplyAffinityBench::parse); // a misspelt variant fails before any lab starts
        Duration wholeTimeout = Duration.ofMinutes(Long.getLong("bench.wholeMinutes", 10));
        String loadBefore = loadavg();

        Map<String, List<Map<String, Object>>> samples = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (String v : variants) {
                Map<String, Object> s = sample(v, round, wholeTimeout);
                samples.computeIfAbsent(v, k -> new ArrayList<>()).add(s);
                System.out.println("[bench apply-affinity] " + v + " round " + round + ": " + Json.write(s));
            }
        }
        String loadAfter = loadavg();

        Map<String, Object> perVariant = new LinkedHashMap<>();
        samples.forEach((v, ss) -> perVariant.put(v, summary(v, ss, wholeTimeout)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("issue", "#17");
        out.put("machine", BenchMachine.describe(loadBefore, loadAfter));
        out.put("command", "mvn -B -o -Pbench test -Dtest=ApplyAffinityBench -Dbench.rounds=" + rounds
                + " -Dbench.variants=" + String.join(",", variants));
        out.put("rounds", rounds);
        out.put("probe", "a 5.1.4 producer, one synchronous send to each group every " + RolloutProbe.INTERVAL_MILLIS
                + " ms from before the first write to the cluster until the end (whole or given up), then every"
                + " acknowledged message read back; lost = acknowledged but not read back within 60 s (in a group"
                + " left without a master they may be unreadable rather than gone)");
        out.put("variants", perVariant);
        Files.createDirectories(RESULTS);
        Files.writeString(RESULTS.resolve("apply-affinity.json"), Json.write(out));
        System.out.println("[bench apply-affinity] " + oneLine(perVariant) + " (load " + loadBefore + " -> " + loadAfter + ")");

        // that it ran, not how fast: one sample per variant and round
        assertThat(samples.values().stream().mapToInt(List::size).sum()).isEqualTo(rounds * variants.size());
    }

    private record Variant(String kind, String storage) {
    }

    private static Variant parse(String name) {
        String[] p = name.split("-", 2);
        if (p.length != 2 || !List.of("crosszone", "runbook").contains(p[0]) || !List.of("zonal", "network").contains(p[1])) {
            throw new IllegalArgumentException("-Dbench.variants: '" + name + "' is not (crosszone|runbook)-(zonal|network)");
        }
        return new Variant(p[0], p[1]);
    }

    /** One fresh lab, one variant; whatever fails is recorded in the sample, and the lab is always closed. */
    private static Map<String, Object> sample(String name, int round, Duration wholeTimeout) throws IOException {
        Variant v = parse(name);
        Path dir = WORK.resolve("r" + round + "-" + name).toAbsolutePath();
        deleteTree(dir);
        Files.createDirectories(dir);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("round", round);
        s.put("loadavgAtStart", loadavg());
        try (PrintWriter log = new PrintWriter(Files.newBufferedWriter(dir.resolve("lab.log")), true)) {
            java.util.function.Consumer<String> progress = line -> {
                synchronized (log) {
                    log.println(line);
                }
                System.out.println("[bench apply-affinity " + name + " r" + round + "] " + line);
            };
            CrosszoneConfig defaults = new CrosszoneConfig(); // `lab up` without --config: the default shape
            LabShape shape = LabShapes.from(defaults, null, null, dir.resolve("work"), v.storage());
            long labStart = System.nanoTime();
            try (LabEnvironment lab = LabEnvironment.start(shape, line -> {
                synchronized (log) {
                    log.println(line);
                }
            })) {
                progress.accept(lab.networkLine());
                LabFiles.Written files = LabFiles.write(lab, dir.resolve("lab"));
                LabRun run = new LabRun(Crosszone::runInProcess, lab, files, dir.resolve("reports"), progress);
                CrosszoneConfig config = ConfigLoader.load(files.config());
                // the name-server processes start only as the kubelet double adopts their pods: under load they
                // were not Ready yet when switch-to-controller-mode ran (it refused), so wait for them first
                KubernetesGateway k8s = new KubernetesGateway(lab.client());
                long nsDeadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
                while (RocketMqDiscovery.nameServers(k8s, config).size() < shape.zones().size() && System.nanoTime() < nsDeadline) {
                    Thread.sleep(200);
                }
                s.put("nameServersReadySeconds", seconds(labStart));
                // LabRun.rollOut's first two steps, with its flags
                if (!run.step("label-zones") || !run.step("switch-to-controller-mode", "--delete-static-data", "--poll-interval", "500ms")) {
                    s.put("error", "the lab's rollout failed before apply-affinity: " + last(run));
                    return s;
                }
                s.put("labUpToSwitchedSeconds", seconds(labStart)); // not measured: the state both variants start from
                List<String> groups = OperatorNames.brokerNames(shape.brokerCr(), shape.groups());
                try (RolloutProbe probe = RolloutProbe.start(lab.rocketmq().nameServerList(), lab.rocketmq().controllerList(), groups)) {
                    if (v.kind().equals("crosszone")) {
                        crosszone(run, probe, s);
                    } else {
                        runbook(lab, run, config, shape, probe, wholeTimeout, s, progress);
                    }
                }
                // as LabRun.rollOut ends; run whether or not the deployment got whole, to say what is wrong
                run.step("verify-distribution", "--fix-topics");
                s.put("verifyDistribution", verify(last(run)));
            }
        } catch (Exception e) {
            s.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            e.printStackTrace();
        } finally {
            deleteTree(dir.resolve("work")); // the RocketMQ stores; logs and reports stay
        }
        return s;
    }

    /** apply-affinity as LabRun.rollOut runs it: one broker at a time, masters handed over first. */
    private static void crosszone(LabRun run, RolloutProbe probe, Map<String, Object> s) {
        long start = System.nanoTime();
        boolean ok = run.step("apply-affinity", "--settle", "2s", "--timeout", "5m", "--replace-zonal-volumes");
        s.put(ok ? "totalSeconds" : "gaveUpAfterSeconds", seconds(start));
        LabRun.Step step = last(run);
        s.put("applyAffinity", stepJson(step));
        s.put("whole", ok); // apply-affinity passes only with every group back in sync
        if (step.result() != null) {
            List<String> restarts = new ArrayList<>();
            step.result().path("restarts").forEach(r -> restarts.add(r.path("statefulSet").asText() + " ("
                    + r.path("role").asText() + ") " + r.path("seconds").asText() + " s"));
            s.put("restarts", restarts);
            s.put("mastersPerZone", step.result().path("mastersPerZone"));
        }
        probe(probe.finish(), s);
    }

    /**
     * The runbook: the placement written (apply-affinity --no-restart: every StatefulSet patched, its
     * rollout held with rollingUpdate.partition), then every broker pod deleted at once.
     */
    private static void runbook(LabEnvironment lab, LabRun run, CrosszoneConfig config, LabShape shape, RolloutProbe probe,
                                Duration wholeTimeout, Map<String, Object> s, java.util.function.Consumer<String> progress)
            throws InterruptedException {
        long start = System.nanoTime();
        boolean patched = run.step("apply-affinity", "--no-restart", "--settle", "2s", "--timeout", "5m");
        s.put("applyAffinity", stepJson(last(run)));
        if (!patched) {
            s.put("error", "apply-affinity --no-restart failed: " + last(run).error());
            probe(probe.finish(), s);
            return;
        }
        // The runbook edits each broker StatefulSet's affinity and restarts them all: one replica each, so
        // every broker pod is replaced from the new template at the same moment (`kubectl rollout restart`
        // of every StatefulSet at once amounts to that). Here that is deleting every broker pod: the lab's
        // StatefulSet double recreates a deleted pod from the current (patched) template even below the
        // partition --no-restart set (a real cluster would use the old revision there; the runbook sets no
        // partition). The lab's kubelet double kills a deleted pod's process (SIGKILL), as it does for
        // every pod apply-affinity restarts.
        String ns = config.getNamespace();
        String cr = config.getResources().getBroker();
        KubernetesGateway k8s = new KubernetesGateway(lab.client());
        Map<String, String> oldUids = k8s.pods(ns, OperatorNames.brokerLabels(cr)).stream()
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getMetadata().getUid()));
        long deleteAt = System.nanoTime();
        oldUids.keySet().forEach(p -> lab.client().pods().inNamespace(ns).withName(p).delete());
        s.put("podsDeleted", oldUids.keySet().stream().sorted().toList());
        progress.accept("bench: deleted every broker pod at once: " + oldUids.keySet().stream().sorted().toList());

        List<String> problems = List.of("not read yet");
        long deadline = deleteAt + wholeTimeout.toNanos();
        long lastPrint = System.nanoTime();
        Health health = new Health(k8s, config, shape.groups(), shape.replicasPerGroup());
        try (health) {
            while (System.nanoTime() < deadline) {
                List<Pod> brokers = k8s.pods(ns, OperatorNames.brokerLabels(cr));
                List<String> notNew = brokers.stream().filter(p -> p.getMetadata().getUid().equals(oldUids.get(p.getMetadata().getName())))
                        .map(p -> p.getMetadata().getName() + " is still the old pod").toList();
                problems = new ArrayList<>(notNew);
                problems.addAll(health.problems());
                if (problems.isEmpty()) {
                    break;
                }
                if (System.nanoTime() - lastPrint > Duration.ofSeconds(30).toNanos()) {
                    lastPrint = System.nanoTime();
                    progress.accept("bench: not whole after " + seconds(deleteAt) + " s: " + String.join("; ", problems));
                }
                Thread.sleep(POLL.toMillis());
            }
        }
        boolean whole = problems.isEmpty();
        s.put("whole", whole);
        if (whole) {
            s.put("totalSeconds", seconds(start));
            s.put("deleteToWholeSeconds", seconds(deleteAt));
        } else {
            // not hidden: what was still wrong when the wait gave up, and why the Pending pods are Pending
            s.put("notWholeAfterMinutes", wholeTimeout.toMinutes());
            s.put("gaveUpAfterSeconds", seconds(start));
            s.put("problemsAtGiveUp", problems);
            s.put("pendingPods", pending(k8s.pods(ns, OperatorNames.brokerLabels(cr))));
        }
        progress.accept("bench: " + (whole ? "whole " + s.get("deleteToWholeSeconds") + " s after the delete"
                : "not whole after " + wholeTimeout.toMinutes() + " min: " + problems));
        probe(probe.finish(), s);
    }

    /**
     * "Is the deployment whole?" as the failover drill asks it (DrillCluster.health): every pod Ready,
     * one master per group in the name server's view, a full SyncStateSet. RocketMQ is found from the
     * Ready pods' IPs (RocketMqDiscovery) and the gateway kept while those stay the same.
     */
    private static final class Health implements AutoCloseable {
        private final KubernetesGateway k8s;
        private final CrosszoneConfig config;
        private final int groups;
        private final int replicas;
        private AdminRocketMqGateway gateway;

        Health(KubernetesGateway k8s, CrosszoneConfig config, int groups, int replicas) {
            this.k8s = k8s;
            this.config = config;
            this.groups = groups;
            this.replicas = replicas;
        }

        List<String> problems() {
            String ns = config.getNamespace();
            String cr = config.getResources().getBroker();
            ZonePods pods = ZonePods.of(config, k8s.nodes(), k8s.pods(ns, OperatorNames.brokerLabels(cr)),
                    k8s.pods(ns, OperatorNames.nameServiceLabels(config.getResources().getNameService())),
                    k8s.pods(ns, OperatorNames.controllerLabels(config.getResources().getController())));
            ClusterView view = null;
            Map<String, SyncStateSet> sets = null;
            String error = null;
            Optional<RocketMqEndpoints> found = RocketMqDiscovery.find(k8s, RocketMqDiscovery.Where.of(config),
                    RocketMqEndpoints.DEFAULT_TIMEOUT);
            if (found.isEmpty()) {
                error = "no Ready name server";
            } else {
                try {
                    if (gateway == null || !gateway.endpoints().equals(found.get())) {
                        close();
                        gateway = new AdminRocketMqGateway(found.get());
                    }
                    view = gateway.clusterView(false);
                    sets = gateway.syncStateSets(OperatorNames.brokerNames(cr, groups));
                } catch (RuntimeException e) {
                    error = e.getMessage();
                }
            }
            return ClusterHealth.problems(cr, groups, replicas, pods, List.of(), view, sets, error);
        }

        @Override
        public void close() {
            if (gateway != null) {
                gateway.close();
                gateway = null;
            }
        }
    }

    /** Broker pods not Ready, each with its phase, node and the scheduler's reason. */
    private static List<String> pending(List<Pod> pods) {
        List<String> out = new ArrayList<>();
        for (Pod p : pods.stream().sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList()) {
            if (K8sStatus.podReady(p)) {
                continue;
            }
            String scheduled = p.getStatus() == null || p.getStatus().getConditions() == null ? null
                    : p.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType()))
                    .map(c -> c.getStatus() + " " + c.getReason() + ": " + c.getMessage()).findFirst().orElse(null);
            out.add(p.getMetadata().getName() + ": " + (p.getStatus() == null ? "?" : p.getStatus().getPhase())
                    + ", node " + p.getSpec().getNodeName() + (scheduled == null ? "" : ", PodScheduled " + scheduled));
        }
        return out;
    }

    private static void probe(RolloutProbe.Outcome o, Map<String, Object> s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sent", o.sent());
        m.put("acked", o.acked());
        m.put("failed", o.failed());
        m.put("lost", o.lost());
        m.put("duplicates", o.duplicates());
        Map<String, Object> gaps = new LinkedHashMap<>();
        o.groups().forEach(g -> {
            Map<String, Object> gm = new LinkedHashMap<>();
            gm.put("sent", g.sent());
            gm.put("failed", g.failed());
            gm.put("longestGapMillis", g.longestGapMillis());
            gm.put("lost", g.lost());
            if (g.lostBetween() != null) {
                gm.put("lostAcknowledged", g.lostBetween()); // when, and by which broker
            }
            gaps.put(g.group(), gm);
        });
        m.put("groups", gaps);
        m.put("longestGapMillis", o.groups().stream().mapToLong(RolloutProbe.GroupWrites::longestGapMillis).max().orElse(0));
        s.put("probe", m);
    }

    private static Map<String, Object> stepJson(LabRun.Step step) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("exitCode", step.exitCode());
        m.put("verdict", step.verdict());
        m.put("seconds", Math.round(step.durationMillis() / 10.0) / 100.0);
        if (step.error() != null) {
            m.put("error", step.error());
        }
        return m;
    }

    /** verify-distribution's verdict, its failed checks and where each broker ended. */
    private static Map<String, Object> verify(LabRun.Step step) {
        Map<String, Object> m = stepJson(step);
        JsonNode doc = step.result();
        if (doc != null) {
            List<String> failed = new ArrayList<>();
            List<String> brokers = new ArrayList<>();
            // one deployment: its checks and brokers at the top; --all-namespaces: under "deployments"
            List<JsonNode> deployments = new ArrayList<>();
            (doc.has("deployments") ? doc.path("deployments") : List.of(doc)).forEach(deployments::add);
            for (JsonNode d : deployments) {
                d.path("checks").forEach(c -> {
                    if (!c.path("passed").asBoolean()) { // lint-* checks are warnings: they do not fail the verdict
                        failed.add(c.path("severity").asText() + " " + c.path("name").asText() + ": " + c.path("message").asText());
                    }
                });
                d.path("brokers").forEach(b -> brokers.add(b.path("pod").asText() + " " + b.path("zone").asText() + " "
                        + b.path("role").asText() + (b.path("inSync").asBoolean() ? "" : " (not in sync)")));
            }
            m.put("failedChecks", failed);
            m.put("brokers", brokers);
        }
        return m;
    }

    private static Map<String, Object> summary(String v, List<Map<String, Object>> ss, Duration wholeTimeout) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Double> totals = ss.stream().map(x -> (Double) x.get("totalSeconds")).filter(Objects::nonNull).toList();
        List<Map<?, ?>> probes = ss.stream().<Map<?, ?>>map(x -> (Map<?, ?>) x.get("probe")).filter(Objects::nonNull).toList();
        m.put("note", v.startsWith("crosszone")
                ? "apply-affinity also moves the name servers and the controller into their zones (see restarts)"
                : "apply-affinity --no-restart patches the name server and controller too but holds them: only the broker"
                + " pods are restarted, so verify-distribution can fail on name-server-per-zone or controller-zone even when whole");
        m.put("samples", ss.size());
        m.put("wholeSamples", ss.stream().filter(x -> Boolean.TRUE.equals(x.get("whole"))).count());
        if (v.startsWith("runbook")) {
            m.put("notWholeAfterMinutes", ss.stream().anyMatch(x -> x.containsKey("notWholeAfterMinutes")) ? wholeTimeout.toMinutes() : null);
        }
        m.put("totalSeconds", totals.isEmpty() ? null : StartupBench.Stats.of(totals));
        for (String k : List.of("failed", "lost", "longestGapMillis")) {
            List<Double> vals = probes.stream().map(p -> ((Number) p.get(k)).doubleValue()).toList();
            m.put(k.equals("failed") ? "failedWrites" : k.equals("lost") ? "lostWrites" : k, vals.isEmpty() ? null : StartupBench.Stats.of(vals));
        }
        m.put("verifyPassed", ss.stream().filter(x -> x.get("verifyDistribution") instanceof Map<?, ?> vd
                && Integer.valueOf(0).equals(vd.get("exitCode"))).count() + " of " + ss.size());
        m.put("errors", ss.stream().map(x -> (String) x.get("error")).filter(Objects::nonNull).toList());
        m.put("all", ss);
        return m;
    }

    private static String oneLine(Map<String, Object> perVariant) {
        List<String> parts = new ArrayList<>();
        perVariant.forEach((v, o) -> {
            Map<?, ?> m = (Map<?, ?>) o;
            parts.add(v + ": " + (m.get("totalSeconds") == null ? "never whole" : "total " + fmt(m.get("totalSeconds")) + " s")
                    + (m.get("notWholeAfterMinutes") != null ? " (not whole after " + m.get("notWholeAfterMinutes") + " min in "
                    + (((Number) m.get("samples")).longValue() - ((Number) m.get("wholeSamples")).longValue()) + " of " + m.get("samples") + ")" : "")
                    + ", failed writes " + fmt(m.get("failedWrites")) + ", lost " + fmt(m.get("lostWrites"))
                    + ", longest gap " + fmt(m.get("longestGapMillis")) + " ms, verify passed " + m.get("verifyPassed"));
        });
        return String.join(" | ", parts);
    }

    private static String fmt(Object stats) {
        if (!(stats instanceof StartupBench.Stats s)) {
            return "n/a";
        }
        return s.min() == s.max() ? num(s.median()) : num(s.median()) + " (" + num(s.min()) + ".." + num(s.max()) + ")";
    }

    private static String num(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static LabRun.Step last(LabRun run) {
        List<LabRun.Step> steps = run.steps();
        return steps.get(steps.size() - 1);
    }

    private static double seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0;
    }

    private static String loadavg() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
