package io.crosszone.cli;

import io.crosszone.config.ConfigException;
import io.crosszone.config.ConfigLoader;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.config.ZoneSeparation;
import io.crosszone.config.ZoneSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The configuration flags shared by every task: {@code --config FILE} and one flag per field of
 * {@code crosszone.yaml}. Precedence: built-in defaults, then the file, then the flags.
 */
public class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "crosszone.yaml to read (every field is also a flag).")
    Path configFile;

    @Option(names = {"-n", "--namespace"}, description = "Namespace of the RocketMQ deployment (default: rocketmq).")
    String namespace;

    @Option(names = "--broker-cr", paramLabel = "NAME", description = "Name of the Broker CR (default: broker).")
    String brokerCr;

    @Option(names = "--name-service-cr", paramLabel = "NAME", description = "Name of the NameService CR (default: namesrv).")
    String nameServiceCr;

    @Option(names = "--controller-cr", paramLabel = "NAME", description = "Name of the Controller CR (default: controller).")
    String controllerCr;

    @Option(names = "--console-cr", paramLabel = "NAME", description = "Name of the Console CR, if there is one.")
    String consoleCr;

    @Option(names = "--zone-label-key", paramLabel = "KEY", description = "Node label that names the zone (default: az).")
    String zoneLabelKey;

    @Option(names = "--zones", split = ",", paramLabel = "ZONE", description = "The zones, in order (e.g. az1,az2).")
    List<String> zones;

    @Option(names = "--zone-nodes", paramLabel = "ZONE=NODE[,NODE...]",
            description = "The nodes of a zone; repeat per zone (e.g. --zone-nodes az1=k8s-node-01,k8s-node-02).")
    Map<String, String> zoneNodes;

    @Option(names = "--zone-selector", paramLabel = "ZONE=LABEL=VALUE",
            description = "Select a zone's nodes by a label they carry; repeat per zone"
                    + " (e.g. --zone-selector az1=topology.kubernetes.io/zone=dc-a).")
    Map<String, String> zoneSelectors;

    @Option(names = "--groups", description = "Broker groups (read from the Broker CR when a cluster is there).")
    Integer groups;

    @Option(names = "--replicas-per-group", description = "Brokers per group (read from the Broker CR when a cluster is there).")
    Integer replicasPerGroup;

    @Option(names = "--zone-separation", paramLabel = "required|preferred",
            description = "Keep a group's members in different zones by a required rule (default) or only prefer it (the runbook).")
    String zoneSeparation;

    @Option(names = "--broker-property", paramLabel = "KEY=VALUE",
            description = "A broker property for controller mode, overriding the defaults; repeatable.")
    Map<String, String> brokerProperties;

    @Option(names = "--controller-image", description = "Image of a Controller CR to create.")
    String controllerImage;

    @Option(names = "--controller-image-pull-policy", description = "Pull policy of a Controller CR to create.")
    String controllerImagePullPolicy;

    @Option(names = "--controller-size", description = "Controllers in a Controller CR to create (odd).")
    Integer controllerSize;

    @Option(names = "--controller-storage-mode", description = "EmptyDir, HostPath or StorageClass (default).")
    String controllerStorageMode;

    @Option(names = "--controller-storage-size", description = "Volume size of a Controller CR to create (default: 1Gi).")
    String controllerStorageSize;

    @Option(names = "--controller-storage-class", description = "Storage class of the controller's volume.")
    String controllerStorageClass;

    @Option(names = "--controller-host-path", description = "Host path of the controller in HostPath mode.")
    String controllerHostPath;

    @Option(names = "--controller-memory", description = "Memory request and limit of the controller (default: 2Gi).")
    String controllerMemory;

    @Option(names = "--controller-zone", paramLabel = "ZONE",
            description = "Zone that should host the controller (default: the last zone, the runbook's zone B).")
    String controllerZone;

    /** The configuration: file (if any) overlaid by the flags. Not validated here. */
    public CrosszoneConfig load() {
        CrosszoneConfig c = configFile == null ? new CrosszoneConfig() : ConfigLoader.load(configFile);
        apply(c);
        return c;
    }

    void apply(CrosszoneConfig c) {
        if (namespace != null) c.setNamespace(namespace);
        if (brokerCr != null) c.getResources().setBroker(brokerCr);
        if (nameServiceCr != null) c.getResources().setNameService(nameServiceCr);
        if (controllerCr != null) c.getResources().setController(controllerCr);
        if (consoleCr != null) c.getResources().setConsole(consoleCr);
        if (zoneLabelKey != null) c.setZoneLabelKey(zoneLabelKey);
        applyZones(c);
        if (groups != null) c.getBrokers().setGroups(groups);
        if (replicasPerGroup != null) c.getBrokers().setReplicasPerGroup(replicasPerGroup);
        if (zoneSeparation != null) c.getBrokers().setZoneSeparation(parseSeparation(zoneSeparation));
        if (brokerProperties != null) {
            Map<String, String> merged = new LinkedHashMap<>(c.getBrokers().getProperties());
            merged.putAll(brokerProperties);
            c.getBrokers().setProperties(merged);
        }
        if (controllerImage != null) c.getController().setImage(controllerImage);
        if (controllerImagePullPolicy != null) c.getController().setImagePullPolicy(controllerImagePullPolicy);
        if (controllerSize != null) c.getController().setSize(controllerSize);
        if (controllerStorageMode != null) c.getController().setStorageMode(controllerStorageMode);
        if (controllerStorageSize != null) c.getController().setStorageSize(controllerStorageSize);
        if (controllerStorageClass != null) c.getController().setStorageClassName(controllerStorageClass);
        if (controllerHostPath != null) c.getController().setHostPath(controllerHostPath);
        if (controllerMemory != null) c.getController().setMemory(controllerMemory);
        if (controllerZone != null) c.getController().setZone(controllerZone);
    }

    private static ZoneSeparation parseSeparation(String value) {
        try {
            return ZoneSeparation.valueOf(value.trim().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--zone-separation must be 'required' or 'preferred', got '" + value + "'");
        }
    }

    private void applyZones(CrosszoneConfig c) {
        List<ZoneSpec> result = new ArrayList<>(c.getZones());
        if (zones != null) {
            List<ZoneSpec> ordered = new ArrayList<>();
            for (String name : zones) {
                ordered.add(c.zone(name.trim()).orElseGet(() -> new ZoneSpec(name.trim(), List.of())));
            }
            result = ordered;
        }
        if (zoneNodes != null) {
            for (Map.Entry<String, String> e : zoneNodes.entrySet()) {
                ZoneSpec z = zoneNamed(result, e.getKey().trim());
                z.setNodes(Arrays.stream(e.getValue().split(",")).map(String::trim).toList());
                z.setNodeSelector(Map.of());
            }
        }
        if (zoneSelectors != null) {
            for (Map.Entry<String, String> e : zoneSelectors.entrySet()) {
                String[] kv = e.getValue().split("=", 2);
                if (kv.length != 2 || kv[0].isBlank()) {
                    throw new ConfigException("--zone-selector " + e.getKey() + "=" + e.getValue()
                            + " must be ZONE=LABEL=VALUE, e.g. az1=topology.kubernetes.io/zone=dc-a");
                }
                ZoneSpec z = zoneNamed(result, e.getKey().trim());
                z.setNodeSelector(Map.of(kv[0].trim(), kv[1].trim()));
                z.setNodes(List.of());
            }
        }
        c.setZones(result);
    }

    private static ZoneSpec zoneNamed(List<ZoneSpec> zones, String name) {
        for (ZoneSpec z : zones) {
            if (name.equals(z.getName())) {
                return z;
            }
        }
        ZoneSpec z = new ZoneSpec(name, List.of());
        zones.add(z);
        return z;
    }
}
