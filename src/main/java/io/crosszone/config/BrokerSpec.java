package io.crosszone.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The broker side of the deployment. {@code groups} and {@code replicasPerGroup} are null until
 * they are given (offline planning) or read from the Broker CR (against a cluster).
 */
public class BrokerSpec {
    /**
     * The recommended bound on a broker's name-server registration timeout (5.1.4's default is
     * 24000). A registration round waits up to this long for every name server, and a new master's
     * registration waits behind a round in flight: with a frozen name server it reached the
     * surviving one 24.1 s after the freeze with the default, 6.1 s with 6000 (README, failover-drill).
     */
    public static final int REGISTER_BROKER_TIMEOUT_MS = 6_000;
    /** The broker properties controller mode needs; see the facts file on allAckInSyncStateSet. */
    public static final Map<String, String> DEFAULT_PROPERTIES = defaults();

    private Integer groups;
    private Integer replicasPerGroup;
    private ZoneSeparation zoneSeparation = ZoneSeparation.REQUIRED;
    private Map<String, String> properties = new LinkedHashMap<>(DEFAULT_PROPERTIES);

    private static Map<String, String> defaults() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("inSyncReplicas", "2");
        p.put("totalReplicas", "2");
        p.put("minInSyncReplicas", "1");
        p.put("enableAutoInSyncReplicas", "true");
        // Without it a synchronous send to a group that lost its slave waits for inSyncReplicas
        // acknowledgements and fails with FLUSH_SLAVE_TIMEOUT (measured on 5.1.4).
        p.put("allAckInSyncStateSet", "true");
        // A frozen (partitioned) name server otherwise holds a new master's registration for up to 24 s.
        p.put("registerBrokerTimeoutMills", String.valueOf(REGISTER_BROKER_TIMEOUT_MS));
        return java.util.Collections.unmodifiableMap(p);
    }

    public Integer getGroups() {
        return groups;
    }

    public void setGroups(Integer groups) {
        this.groups = groups;
    }

    public Integer getReplicasPerGroup() {
        return replicasPerGroup;
    }

    public void setReplicasPerGroup(Integer replicasPerGroup) {
        this.replicasPerGroup = replicasPerGroup;
    }

    public ZoneSeparation getZoneSeparation() {
        return zoneSeparation;
    }

    public void setZoneSeparation(ZoneSeparation zoneSeparation) {
        this.zoneSeparation = zoneSeparation;
    }

    /** The properties to set, defaults overlaid by what the configuration gives. */
    public Map<String, String> getProperties() {
        return properties;
    }

    /** Overlays the given properties on the defaults; a file never drops a default silently. */
    public void setProperties(Map<String, String> properties) {
        Map<String, String> merged = new LinkedHashMap<>(DEFAULT_PROPERTIES);
        if (properties != null) {
            properties.forEach((k, v) -> merged.put(k, v == null ? null : String.valueOf(v)));
        }
        this.properties = merged;
    }
}
