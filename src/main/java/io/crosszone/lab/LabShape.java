package io.crosszone.lab;

import io.crosszone.lab.operator.OperatorDouble;
import io.crosszone.lab.scheduler.LabStorage;
import java.nio.file.Path;
import java.util.List;

/**
 * The shape of a lab: the runbook's names (namespace {@code rocketmq}, CRs {@code broker},
 * {@code namesrv}, {@code controller}, {@code console}; nodes {@code k8s-node-01..} zone by zone)
 * with a configurable size.
 *
 * @param fastFailureDetection the shorter broker/controller timers measured to cut a partition's
 *                             RTO from ~11 s to ~3-4 s (a killed broker is seen at once either way)
 * @param storage              how volumes behave: zonal (the default, as the runbook's cluster) or network
 */
public record LabShape(int groups, int replicasPerGroup, List<String> zones, int nodesPerZone,
                       OperatorDouble.Flavour operatorFlavour, boolean fastFailureDetection, Path workDir,
                       LabStorage storage) {

    /** Zonal volumes, as the runbook's cluster has them. */
    public LabShape(int groups, int replicasPerGroup, List<String> zones, int nodesPerZone,
                    OperatorDouble.Flavour operatorFlavour, boolean fastFailureDetection, Path workDir) {
        this(groups, replicasPerGroup, zones, nodesPerZone, operatorFlavour, fastFailureDetection, workDir, LabStorage.ZONAL);
    }

    public static LabShape runbook(Path workDir) {
        return new LabShape(3, 2, List.of("az1", "az2"), 3, OperatorDouble.Flavour.UPSTREAM, true, workDir);
    }

    public LabShape withStorage(LabStorage s) {
        return new LabShape(groups, replicasPerGroup, zones, nodesPerZone, operatorFlavour, fastFailureDetection, workDir, s);
    }

    public String namespace() {
        return "rocketmq";
    }

    public String brokerCr() {
        return "broker";
    }

    public String nameServiceCr() {
        return "namesrv";
    }

    public String controllerCr() {
        return "controller";
    }

    public String consoleCr() {
        return "console";
    }

    /** The STATIC deployment a fresh operator install leaves, in this shape. */
    public StaticDeploymentFixture fixture() {
        return StaticDeploymentFixture.runbook()
                .namespace(namespace())
                .brokerCr(brokerCr())
                .brokers(groups, replicasPerGroup - 1)
                .zones(zones, nodesPerZone)
                .nameServers(zones.size())
                // apply-affinity holds the name server's rollout under allowRestart=true (a new
                // name-server IP would make the operator restart every broker at once); the lab
                // turns it off so that the name servers move into their zones
                .allowRestart(false)
                // where the nodes physically are, as a cloud provider labels them: zonal volumes follow it
                .topologyZoneLabel("topology.kubernetes.io/zone")
                .consoleCr(consoleCr());
    }
}
