package io.crosszone.cli;

import io.crosszone.core.ExitCodes;
import io.crosszone.k8s.KubernetesClients;
import io.crosszone.rocketmq.RocketMqAccess;
import java.io.PrintWriter;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code crosszone} command line: one subcommand per task. */
@Command(name = "crosszone", mixinStandardHelpOptions = true, version = "crosszone 0.1.0",
        description = {"Roll out, verify and drill a cross-zone highly available RocketMQ 5 on Kubernetes.",
                "Exit codes: 0 ok, 1 a check failed, 2 bad input or usage, 3 a runtime failure."},
        subcommands = {PlanCommand.class, LabelZonesCommand.class, SwitchToControllerModeCommand.class,
                ApplyAffinityCommand.class, VerifyDistributionCommand.class, FailoverDrillCommand.class,
                DrillHistoryCommand.class, ReseedControllerCommand.class, LabCommand.class})
public class Crosszone implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "give a task, e.g. 'crosszone plan --help'");
    }

    /** Bad usage: one line naming the problem and where help is, exit 2 (no wall of usage text). */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": error: " + e.getMessage()
                + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        cmd.getErr().flush();
        return ExitCodes.BAD_INPUT;
    }

    public static void main(String[] args) {
        configureLogging(args);
        System.exit(commandLine(KubernetesClients.DEFAULT).execute(args));
    }

    /** How the lab runs a step: this command line, in process, against the lab's clients. */
    public static int runInProcess(KubernetesClients.Factory clients, String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine(clients, RocketMqAccess.ADMIN_API);
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    /**
     * Quiet logging unless {@code --verbose} is among {@code args}; call first thing in a main
     * (before a Kubernetes or RocketMQ client class is loaded).
     */
    public static void configureLogging(String[] args) {
        Logging.configure(Logging.verbose(args));
    }

    /** The command line with every cluster task opening its client through {@code clients}. */
    public static CommandLine commandLine(KubernetesClients.Factory clients) {
        return commandLine(clients, RocketMqAccess.ADMIN_API);
    }

    /** As {@link #commandLine(KubernetesClients.Factory)}, reaching RocketMQ through {@code rocketmq}. */
    public static CommandLine commandLine(KubernetesClients.Factory clients, RocketMqAccess rocketmq) {
        return commandLine(clients, rocketmq, command -> { });
    }

    /**
     * As {@link #commandLine(KubernetesClients.Factory, RocketMqAccess)}, and {@code customize} sees
     * every command object as it is made: tests hand in their stand-ins (e.g. a task's RocketMQ hook).
     */
    public static CommandLine commandLine(KubernetesClients.Factory clients, RocketMqAccess rocketmq,
                                          Consumer<Object> customize) {
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K instance = defaults.create(cls);
                if (instance instanceof ClusterTaskCommand task) {
                    task.clientFactory = clients;
                    task.rocketMqAccess = rocketmq;
                }
                customize.accept(instance);
                return instance;
            }
        };
        CommandLine cl = new CommandLine(new Crosszone(), factory);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler(Crosszone::usageError);
        return cl;
    }
}
