package io.crosszone.tasks.drill;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** Where a drill stands, as its lock records it (written ahead of each step; --recover reads it). */
public enum DrillPhase {
    PREFLIGHT("preflight"),
    INJECTING("injecting"),
    INJECTED("injected"),
    RESTORING("restoring");

    private final String flag;

    DrillPhase(String flag) {
        this.flag = flag;
    }

    /** The word in the lock's JSON record (unchanged from when the phase was a string). */
    @JsonValue
    public String flag() {
        return flag;
    }

    @JsonCreator
    public static DrillPhase of(String flag) {
        return Arrays.stream(values()).filter(p -> p.flag.equals(flag)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown drill phase '" + flag + "'"));
    }

    @Override
    public String toString() {
        return flag;
    }
}
