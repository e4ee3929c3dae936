package io.crosszone.plan.reseed;

import java.util.Map;

/**
 * What the repair does for one group. {@code Elect}: register {@code brokerIds} (id → address, the
 * survivors and the lost replicas the controller knew, so that they can rejoin) and make
 * {@code master} the master; the controller's new master epoch must exceed {@code epochFloor}
 * (the highest epoch any replica is known to hold) or the brokers ignore it. {@code warning} is
 * empty for a clean election. {@code Refuse}: nothing is done for the group, {@code reason} says why.
 */
public sealed interface ReseedDecision {
    String group();

    record Elect(String group, ReplicaReport master, Map<Long, String> brokerIds, int epochFloor, String warning)
            implements ReseedDecision {
        public Elect {
            brokerIds = Map.copyOf(brokerIds);
        }

        public boolean unclean() {
            return !warning.isEmpty();
        }
    }

    record Refuse(String group, String reason) implements ReseedDecision {
    }
}
