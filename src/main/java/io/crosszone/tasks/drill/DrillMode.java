package io.crosszone.tasks.drill;

import io.crosszone.config.ConfigException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** How the drill takes a zone offline. */
public enum DrillMode {
    /** cordon the zone's nodes, SIGKILL its brokers (zero-grace delete), cut off its name servers and controllers */
    KILL("kill"),
    /** cordon the zone's nodes and cut all its RocketMQ pods off with a deny-all NetworkPolicy (processes stay alive) */
    PARTITION("partition"),
    /** a Chaos Mesh NetworkChaos partition between the zone's pods and the others' */
    CHAOS_MESH("chaos-mesh");

    private final String flag;

    DrillMode(String flag) {
        this.flag = flag;
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
