package io.crosszone.lab;

import io.crosszone.lab.operator.OperatorDouble;
import java.nio.file.Path;
import java.util.List;

/**
 * The shape of a lab: the runbook's names (namespace {@code rocketmq}, CRs {@code broker},
 * {@code namesrv}, {@code controller}, {@code console}; nodes {@code k8s-node-01..} zone by zone)
 * with a configurable size.
 *
 * @param fastFailureDetection the shorter broker/controller timers measured to cut a partition's
 *                             RTO from ~11 s to ~3-4 s (a killed broker is seen at once either way)
 */
public record LabShape(int groups, int replicasPerGroup, List<String> zones, int nodesPerZone,
                       OperatorDouble.Flavour operatorFlavour, boolean fastFailureDetection, Path workDir) {

    public static LabShape runbook(Path workDir) {
        return new LabShape(3, 2, List.of("az1", "az2"), 3, OperatorDouble.Flavour.UPSTREAM, true, workDir);
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
                .consoleCr(consoleCr());
    }
}
