package io.crosszone.support;

import io.crosszone.cli.Crosszone;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the real command line against the mock API server (each run opens its own client). */
public final class Cli {
    public record Result(int exitCode, String out, String err) {
    }

    private Cli() {
    }

    public static Result run(KubernetesMockServer server, String... args) {
        return run(server, command -> { }, args);
    }

    /** As {@link #run(KubernetesMockServer, String...)}; {@code customize} sees each command object (to hand in stand-ins). */
    public static Result run(KubernetesMockServer server, java.util.function.Consumer<Object> customize, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // no RocketMQ behind the mock API's made-up pod IPs: never dial them
        CommandLine cl = Crosszone.commandLine((kubeconfig, context) -> server.createClient(),
                io.crosszone.rocketmq.RocketMqAccess.NONE, customize);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
