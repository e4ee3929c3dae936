package io.crosszone.cli;

import io.crosszone.k8s.KubernetesClients;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the CLI in process and keeps its exit code, stdout and stderr: the test's view of a run. */
public record CliRun(int exitCode, String out, String err) {

    public static CliRun run(KubernetesClients.Factory clients, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Crosszone.commandLine(clients, io.crosszone.rocketmq.RocketMqAccess.NONE);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    public static CliRun run(String... args) {
        return run((kubeconfig, context) -> {
            throw new AssertionError("this run must not open a Kubernetes client");
        }, args);
    }
}
