package io.crosszone.tasks.drill;

import io.crosszone.config.ConfigException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** How the drill takes a zone offline: each mode is named by the failure it models. */
public enum DrillMode {
    /**
     * The zone's broker pods crash (SIGKILL, zero-grace delete: their peers see the connections
     * close at once); its name servers and controllers are cut off; its nodes are cordoned.
     */
    KILL("kill", "the zone's broker pods crash (their peers see the connections close); its name servers and"
            + " controllers are cut off"),
    /**
     * The zone goes silent, as on a power or network loss: every RocketMQ pod of the zone is cut off
     * with a deny-all NetworkPolicy (the processes keep running, nobody is told), its nodes cordoned.
     */
    PARTITION("partition", "the zone goes silent (power or network loss): every RocketMQ pod of the zone is cut"
            + " off, nothing closes a connection"),
    /** A Chaos Mesh NetworkChaos partition between the zone's pods and every other zone's. */
    CHAOS_MESH("chaos-mesh", "Chaos Mesh NetworkChaos partitions between the zone's pods and every other zone's");

    private final String flag;
    private final String models;

    DrillMode(String flag, String models) {
        this.flag = flag;
        this.models = models;
    }

    /** What failure this mode models, for the reports. */
    public String models() {
        return models;
    }

    public String flag() {
        return flag;
    }

    public static DrillMode parse(String value) {
        for (DrillMode m : values()) {
            if (m.flag.equalsIgnoreCase(value == null ? "" : value.trim())) {
                return m;
            }
        }
        throw new ConfigException("--mode '" + value + "' is not one of "
                + Arrays.stream(values()).map(DrillMode::flag).collect(Collectors.joining(", ")));
    }
}
