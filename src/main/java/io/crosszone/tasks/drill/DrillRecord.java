package io.crosszone.tasks.drill;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * What a drill has changed (or is about to change), kept in its lock so that
 * {@code failover-drill --recover} can undo a drill whose process died. Written ahead: an entry is
 * recorded before the change is made, and every undo step is harmless when the change never happened.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DrillRecord {
    public String holder;
    public String zone;
    public String mode;
    public String startedAt;
    public DrillPhase phase;
    public List<String> cordonedNodes = new ArrayList<>();
    /** the label ({@code key=value}) put on the pods a NetworkPolicy cuts off */
    public String cutLabel;
    public List<String> cutPods = new ArrayList<>();
    public List<String> networkPolicies = new ArrayList<>();
    /** Chaos Mesh objects as {@code Kind/name} */
    public List<String> chaosObjects = new ArrayList<>();
    public List<String> deletedPods = new ArrayList<>();

    public DrillRecord() {
    }

    public DrillRecord(String holder, String zone, String mode, String startedAt) {
        this.holder = holder;
        this.zone = zone;
        this.mode = mode;
        this.startedAt = startedAt;
        this.phase = DrillPhase.PREFLIGHT;
    }

    /** True when nothing needs undoing. */
    public boolean nothingChanged() {
        return cordonedNodes.isEmpty() && cutPods.isEmpty() && networkPolicies.isEmpty() && chaosObjects.isEmpty();
    }
}
