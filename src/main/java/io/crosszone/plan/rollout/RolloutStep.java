package io.crosszone.plan.rollout;

import java.util.List;

/**
 * One step of a rollout: its brokers' pods are deleted together and the step is over when every
 * one of them is back, Ready, in its planned zone, and each touched group's SyncStateSet is full
 * again. One broker is a plain restart; two or more are a swap set (of distinct groups), needed
 * when the zones they move into have no free node until the others leave.
 *
 * @param number   1-based position in the plan
 * @param restarts the brokers of the step
 * @param reason   why this step, in this form, now
 */
public record RolloutStep(int number, List<Restart> restarts, String reason) {
    public RolloutStep {
        restarts = List.copyOf(restarts);
    }

    public boolean swap() {
        return restarts.size() > 1;
    }

    /** The brokers' names, in the step's order. */
    public List<String> brokers() {
        return restarts.stream().map(Restart::broker).toList();
    }

    /** The role a broker has when its step starts (before any switch the step makes). */
    public enum Role { MASTER, SLAVE, UNKNOWN }

    /**
     * One broker of a step.
     *
     * @param fromZone its zone now (null: on a node with no zone label, or not running)
     * @param fromNode its node now
     * @param toZone   its planned zone, where it comes back
     * @param handoff  what happens to its group's master role before it goes down
     */
    public record Restart(String broker, String group, String fromZone, String fromNode, String toZone, Role role,
                          Handoff handoff) {
        public boolean moves() {
            return !toZone.equals(fromZone);
        }
    }

    /**
     * How a broker's going down is handled for its group's master role, and why.
     *
     * @param elected the broker made master first (PLANNED_SWITCH), else null
     */
    public record Handoff(Kind kind, String elected, String reason) {
        public enum Kind {
            /** A slave: its group keeps its master, nothing to elect. */
            NONE,
            /** The master: its in-sync slave {@code elected} is made master first (electMaster), then it goes down. */
            PLANNED_SWITCH,
            /** Its group's master is not known: if it is this broker, the controller fails over when it goes down. */
            UNPLANNED_FAILOVER
        }
    }
}
