package io.crosszone.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One data centre: its zone name and either the nodes it holds or a selector on a label the
 * nodes already carry (for example {@code topology.kubernetes.io/zone: dc-a}).
 */
public class ZoneSpec {
    private String name;
    private List<String> nodes = new ArrayList<>();
    private Map<String, String> nodeSelector = new LinkedHashMap<>();

    public ZoneSpec() {
    }

    public ZoneSpec(String name, List<String> nodes) {
        this.name = name;
        this.nodes = new ArrayList<>(nodes);
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public List<String> getNodes() {
        return nodes;
    }

    public void setNodes(List<String> nodes) {
        this.nodes = nodes == null ? new ArrayList<>() : new ArrayList<>(nodes);
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector == null ? new LinkedHashMap<>() : new LinkedHashMap<>(nodeSelector);
    }

    /** True when the zone's nodes are found by a label selector rather than listed by name. */
    public boolean selectsBySelector() {
        return nodes.isEmpty() && !nodeSelector.isEmpty();
    }
}
