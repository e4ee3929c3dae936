package io.crosszone.lab;

import io.crosszone.config.ConfigException;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.lab.operator.OperatorDouble;
import io.crosszone.lab.rocketmq.RocketMqServers;
import io.crosszone.lab.scheduler.LabStorage;
import java.nio.file.Path;
import java.util.List;

/** Builds a lab's shape from the CLI's flags, refusing what the lab cannot run. */
public final class LabShapes {
    private LabShapes() {
    }

    /** Zonal volumes. */
    public static LabShape from(CrosszoneConfig config, Integer nodesPerZone, String rocketmqVersion, Path workDir) {
        return from(config, nodesPerZone, rocketmqVersion, workDir, LabStorage.ZONAL.flag());
    }

    /**
     * @param nodesPerZone null: one node per broker planned in a zone, no spare (the runbook's shape)
     * @param storage      zonal or network
     */
    public static LabShape from(CrosszoneConfig config, Integer nodesPerZone, String rocketmqVersion, Path workDir,
                                String storage) {
        LabStorage volumes;
        try {
            volumes = LabStorage.of(storage == null ? LabStorage.ZONAL.flag() : storage);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--storage: " + e.getMessage());
        }
        int groups = config.getBrokers().getGroups() == null ? 3 : config.getBrokers().getGroups();
        int replicas = config.getBrokers().getReplicasPerGroup() == null ? 2 : config.getBrokers().getReplicasPerGroup();
        List<String> zones = config.getZones().isEmpty() ? List.of("az1", "az2") : config.zoneNames();
        if (groups < 1 || groups > 8) {
            throw new ConfigException("--groups must be 1..8 in the lab (each broker is a JVM), got " + groups);
        }
        if (replicas < 2 || replicas > zones.size()) {
            throw new ConfigException("--replicas-per-group must be 2.." + zones.size() + " in the lab (one per zone), got " + replicas);
        }
        if (zones.size() < 2 || zones.size() > 4) {
            throw new ConfigException("the lab takes 2 to 4 zones, got " + zones.size());
        }
        int needed = (int) Math.ceil(groups * replicas / (double) zones.size());
        if (nodesPerZone == null) {
            nodesPerZone = needed;
        }
        if (nodesPerZone < needed) {
            throw new ConfigException("--nodes-per-zone " + nodesPerZone + " is too few: " + groups + "x" + replicas
                    + " brokers on their own nodes need at least " + needed + " per zone");
        }
        if (rocketmqVersion != null) {
            String built = RocketMqServers.locate().version();
            if (!rocketmqVersion.equals(built)) {
                throw new ConfigException("--rocketmq-version " + rocketmqVersion + ": this build has the RocketMQ "
                        + built + " servers; build with `mvn -B -DskipTests -Drocketmq.version=" + rocketmqVersion
                        + " package` to run another version");
            }
        }
        return new LabShape(groups, replicas, zones, nodesPerZone, OperatorDouble.Flavour.UPSTREAM, true, workDir, volumes);
    }
}
