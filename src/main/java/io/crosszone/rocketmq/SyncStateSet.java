package io.crosszone.rocketmq;

import java.util.List;

/**
 * A group's replication state from the controller leader: the master (controller id, address,
 * epoch), the SyncStateSet epoch, the in-sync replicas (master included) and the others.
 * {@code masterBrokerId} is null while the group has no master.
 */
public record SyncStateSet(String group, Long masterBrokerId, String masterAddress, int masterEpoch,
                           int syncStateSetEpoch, List<Replica> inSync, List<Replica> notInSync) {
    public SyncStateSet {
        inSync = List.copyOf(inSync);
        notInSync = List.copyOf(notInSync);
    }

    public boolean hasMaster() {
        return masterAddress != null && !masterAddress.isBlank() && masterBrokerId != null && masterBrokerId > 0;
    }

    /** In-sync replicas whose heartbeats arrive. */
    public long aliveInSync() {
        return inSync.stream().filter(Replica::alive).count();
    }
}
