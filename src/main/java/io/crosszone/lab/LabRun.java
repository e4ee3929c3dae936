package io.crosszone.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crosszone.k8s.KubernetesClients;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs the real steps against a lab exactly as a pipeline would, each a {@code crosszone}
 * command with {@code --config} and {@code --report-dir}: label-zones, switch-to-controller-mode,
 * apply-affinity, verify-distribution, a failover drill of each zone, and a final verify.
 */
public final class LabRun {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One step: its command line, exit code, verdict, JSON document and time. */
    public record Step(String name, List<String> args, int exitCode, String verdict, long durationMillis, JsonNode result,
                       String error) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /**
     * Runs one {@code crosszone} command line in process against the given clients, printing to
     * {@code out} and {@code err}, and returns its exit code. The CLI hands this in, so the lab
     * never reaches up into it.
     */
    @FunctionalInterface
    public interface Cli {
        int run(KubernetesClients.Factory clients, String[] args, PrintWriter out, PrintWriter err);
    }

    private final Cli cli;
    private final LabEnvironment lab;
    private final LabFiles.Written files;
    private final Path reportDir;
    private final Consumer<String> progress;
    private final List<Step> steps = new ArrayList<>();
    /** Added to every failover-drill and verify-distribution step: where their metrics go (--pushgateway). */
    private List<String> metricsArgs = List.of();
    private RolloutProbe.Outcome rolloutWrites;

    public LabRun(Cli cli, LabEnvironment lab, LabFiles.Written files, Path reportDir, Consumer<String> progress) {
        this.cli = cli;
        this.lab = lab;
        this.files = files;
        this.reportDir = reportDir;
        this.progress = progress;
    }

    /** Flags for the metrics of the drill and verify steps, e.g. {@code --pushgateway URL}. */
    public LabRun withMetricsArgs(List<String> args) {
        this.metricsArgs = List.copyOf(args);
        return this;
    }

    public List<Step> steps() {
        return List.copyOf(steps);
    }

    /** The write probe's figures through apply-affinity, once the rollout ran it. */
    public Optional<RolloutProbe.Outcome> rolloutWrites() {
        return Optional.ofNullable(rolloutWrites);
    }

    /**
     * The rollout: stops at the first step that does not pass. Returns whether every step passed.
     * apply-affinity runs under a write probe ({@link RolloutProbe}): what an application saw.
     */
    public boolean rollOut() {
        if (!step("label-zones") || !step("switch-to-controller-mode", "--delete-static-data", "--poll-interval", "500ms")) {
            return false;
        }
        List<String> groups = io.crosszone.plan.OperatorNames.brokerNames(lab.shape().brokerCr(),
                lab.shape().groups());
        boolean ok;
        try (RolloutProbe probe = RolloutProbe.start(lab.rocketmq().nameServerList(), lab.rocketmq().controllerList(), groups)) {
            ok = step("apply-affinity", "--settle", "2s", "--timeout", "5m", "--replace-zonal-volumes");
            rolloutWrites = probe.finish();
            progress.accept("lab: writes through apply-affinity: " + rolloutWrites.summary());
        }
        if (rolloutWrites.lost() > 0) {
            // a rollout that loses what it acknowledged fails the lab, as a drill that does fails its step
            progress.accept("lab: the rollout lost " + rolloutWrites.lost() + " acknowledged message(s): failed");
            return false;
        }
        return ok && step("verify-distribution", "--fix-topics");
    }

    /** A drill of each zone in turn, then a final verify. Returns whether all passed. */
    public boolean drillEveryZone(String mode) {
        boolean ok = true;
        for (String zone : lab.shape().zones()) {
            ok &= step("failover-drill", "--zone", zone, "--mode", mode, "--max-duration", "5m", "--replace-controller-volume");
        }
        return step("verify-distribution") && ok;
    }

    /** Runs one step through the CLI, in process, against the lab's API and its real RocketMQ. */
    public boolean step(String task, String... extra) {
        int n = steps.size() + 1;
        String dirName = String.format("%02d-%s", n, task);
        List<String> args = new ArrayList<>(List.of(task, "--config", files.config().toString(),
                "--kubeconfig", files.kubeconfig().toString(), "-o", "json",
                "--report-dir", reportDir.resolve(dirName).toString()));
        args.addAll(List.of(extra));
        if (task.equals("failover-drill") || task.equals("verify-distribution")) {
            args.addAll(metricsArgs);
        }
        progress.accept("lab: step " + n + ": crosszone " + String.join(" ", args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        int code = cli.run(lab.clients(), args.toArray(String[]::new), new PrintWriter(out, true),
                new PrintWriter(new ForwardingWriter(progress), true));
        long millis = (System.nanoTime() - start) / 1_000_000;
        JsonNode doc = null;
        try {
            doc = JSON.readTree(out.toString());
        } catch (Exception e) {
            // a step that printed no JSON: its exit code and stderr say what happened
        }
        String verdict = doc != null && doc.has("verdict") ? doc.get("verdict").asText() : "error";
        String error = doc != null && doc.has("error") ? doc.get("error").asText() : null;
        steps.add(new Step(task, args, code, verdict, millis, doc, error));
        progress.accept("lab: step " + n + " " + task + ": " + verdict + " (exit " + code + ", " + millis + " ms)"
                + (error == null ? "" : ": " + error));
        return code == 0;
    }

    /** Sends a command's stderr lines on as progress lines. */
    private static final class ForwardingWriter extends java.io.Writer {
        private final Consumer<String> sink;
        private final StringBuilder line = new StringBuilder();

        ForwardingWriter(Consumer<String> sink) {
            this.sink = sink;
        }

        @Override
        public synchronized void write(char[] buf, int off, int len) {
            for (int i = off; i < off + len; i++) {
                if (buf[i] == '\n') {
                    sink.accept("  " + line);
                    line.setLength(0);
                } else {
                    line.append(buf[i]);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
