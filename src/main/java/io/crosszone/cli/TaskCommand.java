package io.crosszone.cli;

import io.crosszone.config.ConfigException;
import io.crosszone.config.ConfigValidator;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.core.ExitCodes;
import io.crosszone.core.Json;
import io.crosszone.core.Progress;
import io.crosszone.core.Redaction;
import io.crosszone.core.RuntimeFailure;
import io.crosszone.k8s.KubernetesClients;
import io.crosszone.report.TaskReport;
import io.crosszone.report.Verdict;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The frame every task runs in: load and validate the configuration first (bad input: exit 2,
 * nothing touched), run the task, print its report as text or JSON, write it to --report-dir,
 * and turn every failure into one clear line and its exit code.
 */
public abstract class TaskCommand implements Callable<Integer> {
    @Mixin
    protected ConfigOptions configOptions;

    @Mixin
    protected OutputOptions outputOptions;

    @Spec
    protected CommandSpec spec;

    /** The task's name as on the command line, e.g. {@code label-zones}. */
    protected String taskName() {
        return spec.name();
    }

    /** Validates the configuration; tasks that need the broker shape up front override it. */
    protected List<String> validate(CrosszoneConfig config) {
        return ConfigValidator.validate(config);
    }

    /**
     * Runs after the configuration is valid and before {@link #execute}: cluster tasks say which
     * cluster they act on and check that what the flags name exists there (bad input otherwise).
     */
    protected void preflight(CrosszoneConfig config, Progress progress) {
    }

    /** The {@code cluster} object of the JSON output and report; null for tasks without a cluster. */
    protected Map<String, Object> clusterJson() {
        return null;
    }

    /** A text line naming the cluster acted on, for the summary; null for tasks without a cluster. */
    protected String clusterLine() {
        return null;
    }

    /** The API server, for messages about reaching it; null when not known (yet). */
    protected String apiServer() {
        return null;
    }

    /** Runs the task against a validated configuration. */
    protected abstract TaskReport execute(CrosszoneConfig config, Progress progress) throws Exception;

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    protected Progress progress() {
        return new Progress(taskName(), err());
    }

    @Override
    public Integer call() {
        try {
            CrosszoneConfig config = configOptions.load();
            List<String> warnings = validate(config);
            Progress progress = progress();
            preflight(config, progress);
            warnings.forEach(progress::warn);
            TaskReport report = execute(config, progress);
            warnings.forEach(report::warn);
            Map<String, Object> cluster = clusterJson();
            if (cluster != null) {
                report.put("cluster", cluster);
            }
            render(report);
            return report.exitCode();
        } catch (ConfigException e) {
            return fail(ExitCodes.BAD_INPUT, e.getMessage(), e);
        } catch (RuntimeFailure e) {
            return fail(ExitCodes.RUNTIME_FAILURE, e.getMessage(), e);
        } catch (KubernetesClientException e) {
            return fail(ExitCodes.RUNTIME_FAILURE, "Kubernetes API" + (apiServer() == null ? "" : " " + apiServer())
                    + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(ExitCodes.RUNTIME_FAILURE, "interrupted", e);
        } catch (Exception e) {
            return fail(ExitCodes.RUNTIME_FAILURE, e.getClass().getSimpleName() + ": " + e.getMessage()
                    + (outputOptions.verbose() ? "" : " (run with --verbose for details)"), e);
        }
    }

    private static String describe(KubernetesClientException e) {
        String msg = e.getMessage();
        if (timedOut(e)) {
            return msg + " The API server did not answer in time: each of " + (KubernetesClients.RETRIES + 1)
                    + " tries waited --api-timeout; check the API server (or raise --api-timeout for a slow one)";
        }
        if (e.getCode() == 0 && e.getCause() != null) {
            msg = "cannot reach the API server (" + e.getCause().getMessage() + "): check --kubeconfig and --context";
        }
        return msg;
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.http.HttpTimeoutException || t instanceof java.net.SocketTimeoutException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
        }
        return false;
    }

    private void render(TaskReport report) {
        if (outputOptions.json()) {
            out().println(Json.write(report));
        } else {
            out().print(report.text());
            report.warnings().forEach(w -> out().println("WARNING: " + w));
            if (clusterLine() != null) {
                out().println(clusterLine());
            }
            out().println(taskName() + ": " + report.verdict().json()
                    + (Boolean.TRUE.equals(report.dryRun()) ? " (dry run: nothing was written)" : ""));
        }
        out().flush();
        writeReport(taskName() + ".json", Json.write(report));
        writeResults(report.results());
    }

    /**
     * One file per result, no trailing newline (Tekton reads the file as the value): every result
     * into --results-dir, and each --result-file NAME=PATH (empty when the task has no such result).
     */
    private void writeResults(Map<String, String> results) {
        Path dir = outputOptions.resultsDir();
        try {
            if (dir != null) {
                Files.createDirectories(dir);
                for (Map.Entry<String, String> r : results.entrySet()) {
                    Files.writeString(dir.resolve(r.getKey()), r.getValue());
                }
            }
            for (Map.Entry<String, Path> f : outputOptions.resultFiles().entrySet()) {
                Path parent = f.getValue().toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.writeString(f.getValue(), results.getOrDefault(f.getKey(), ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results into " + dir, e);
        }
    }

    /** Writes a file into --report-dir, if one was given. */
    protected void writeReport(String fileName, String content) {
        Path dir = outputOptions.reportDir();
        if (dir == null) {
            return;
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(fileName), content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report " + dir.resolve(fileName), e);
        }
    }

    private int fail(int code, String rawMessage, Exception e) {
        // a library's message may quote a URL with user info or a token: masked before it goes anywhere
        String message = Redaction.redact(rawMessage);
        err().println("crosszone " + taskName() + ": error: " + message);
        if (outputOptions.verbose()) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            err().print(Redaction.redact(trace.toString()));
        }
        err().flush();
        try {
            writeResults(Map.of("verdict", Verdict.ERROR.json()));
        } catch (UncheckedIOException ignored) {
            // the error itself is what matters here
        }
        if (outputOptions.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("task", taskName());
            doc.put("verdict", Verdict.ERROR);
            doc.put("exitCode", code);
            doc.put("error", message);
            if (clusterJson() != null) {
                doc.put("cluster", clusterJson());
            }
            out().println(Json.write(doc));
            out().flush();
        }
        return code;
    }
}
