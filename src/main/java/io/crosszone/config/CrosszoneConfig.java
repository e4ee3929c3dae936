package io.crosszone.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The whole configuration of one cross-zone RocketMQ deployment: what {@code crosszone.yaml}
 * holds, overlaid by command-line flags. Validated by {@link ConfigValidator} before any task acts.
 */
public class CrosszoneConfig {
    public static final String DEFAULT_ZONE_LABEL_KEY = "az";

    private String namespace = "rocketmq";
    private ResourceNames resources = new ResourceNames();
    private String zoneLabelKey = DEFAULT_ZONE_LABEL_KEY;
    private List<ZoneSpec> zones = new ArrayList<>();
    private BrokerSpec brokers = new BrokerSpec();
    private ControllerSpec controller = new ControllerSpec();

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public ResourceNames getResources() {
        return resources;
    }

    public void setResources(ResourceNames resources) {
        this.resources = resources == null ? new ResourceNames() : resources;
    }

    public String getZoneLabelKey() {
        return zoneLabelKey;
    }

    public void setZoneLabelKey(String zoneLabelKey) {
        this.zoneLabelKey = zoneLabelKey;
    }

    public List<ZoneSpec> getZones() {
        return zones;
    }

    public void setZones(List<ZoneSpec> zones) {
        this.zones = zones == null ? new ArrayList<>() : new ArrayList<>(zones);
    }

    public BrokerSpec getBrokers() {
        return brokers;
    }

    public void setBrokers(BrokerSpec brokers) {
        this.brokers = brokers == null ? new BrokerSpec() : brokers;
    }

    public ControllerSpec getController() {
        return controller;
    }

    public void setController(ControllerSpec controller) {
        this.controller = controller == null ? new ControllerSpec() : controller;
    }

    /** The zone names, in order. */
    public List<String> zoneNames() {
        return zones.stream().map(ZoneSpec::getName).toList();
    }

    public Optional<ZoneSpec> zone(String name) {
        return zones.stream().filter(z -> z.getName().equals(name)).findFirst();
    }

    /** The zone that should host the controller: the configured one, else the last zone. */
    public String controllerZone() {
        if (controller.getZone() != null) {
            return controller.getZone();
        }
        return zones.isEmpty() ? null : zones.get(zones.size() - 1).getName();
    }
}
