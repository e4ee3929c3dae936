package io.crosszone.cli;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.report.TaskReport;
import io.crosszone.tasks.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "switch-to-controller-mode", mixinStandardHelpOptions = true,
        description = "Move a RocketMQ operator deployment from STATIC to CONTROLLER (DLedger controller) mode.")
public class SwitchToControllerModeCommand extends MutatingTaskCommand {
    @Option(names = "--delete-static-data", description = "After the switch, back up and delete the STATIC StatefulSets, pods and PVCs (without it they are only listed).")
    boolean deleteStaticData;

    @Option(names = "--controller-addr-dns", description = "Brokers find the controllers through the headless Service (fetchControllerAddrByDnsLookup=true).")
    boolean controllerAddrDns;

    @Option(names = "--timeout", defaultValue = "10m", paramLabel = "DURATION", description = "How long to wait for the CONTROLLER-mode brokers (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Override
    protected TaskReport execute(CrosszoneConfig config, Progress progress) {
        throw NotImplemented.yet(taskName());
    }
}
