package io.crosszone.support;

import io.crosszone.cli.Crosszone;
import io.crosszone.k8s.KubernetesClients;
import io.crosszone.rocketmq.RocketMqAccess;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Consumer;
import picocli.CommandLine;

/**
 * Runs the real command line in process and keeps its exit code, stdout and stderr: the tests'
 * one way to run the CLI. RocketMQ is never dialled (no RocketMQ stands behind the test clusters'
 * pod IPs); the Kubernetes client comes from the mock API server, from a factory (a kubeconfig),
 * or must not be opened at all.
 */
public final class Cli {
    public record Result(int exitCode, String out, String err) {
    }

    private Cli() {
    }

    /** Against the mock API server (each run opens its own client). */
    public static Result run(KubernetesMockServer server, String... args) {
        return run(server, command -> { }, args);
    }

    /** As {@link #run(KubernetesMockServer, String...)}; {@code customize} sees each command object (to hand in stand-ins). */
    public static Result run(KubernetesMockServer server, Consumer<Object> customize, String... args) {
        return run((kubeconfig, context) -> server.createClient(), customize, args);
    }

    /** With clients from {@code clients} (e.g. {@link KubernetesClients#DEFAULT} and a --kubeconfig). */
    public static Result run(KubernetesClients.Factory clients, String... args) {
        return run(clients, command -> { }, args);
    }

    /** A run that must not open a Kubernetes client (plan, --help, bad input found before the cluster is asked). */
    public static Result run(String... args) {
        return run((kubeconfig, context) -> {
            throw new AssertionError("this run must not open a Kubernetes client");
        }, args);
    }

    private static Result run(KubernetesClients.Factory clients, Consumer<Object> customize, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Crosszone.commandLine(clients, RocketMqAccess.NONE, customize);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        cl.getOut().flush();
        cl.getErr().flush();
        return new Result(code, out.toString(), err.toString());
    }
}
