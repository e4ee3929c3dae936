package io.crosszone.lab.network;

import java.util.Collection;

/**
 * Drops the packets between two sets of pod IPs until they are healed: what a Chaos Mesh
 * partition asks of the network. {@link LabNetwork} does it with iptables; a test records it.
 */
public interface PodPartitions {
    /** Which packets a partition drops, as Chaos Mesh's {@code direction} names them. */
    enum Direction {
        /** from {@code from} to {@code to} */
        TO,
        /** from {@code to} to {@code from} */
        FROM,
        /** both ways */
        BOTH
    }

    /**
     * Makes partition {@code id} drop the packets between these addresses that {@code direction}
     * names; called again with the same id, replaces what it dropped (idempotent).
     */
    void partition(String id, Collection<String> from, Collection<String> to, Direction direction);

    /** Lifts partition {@code id}; nothing if there is none. */
    void heal(String id);
}
