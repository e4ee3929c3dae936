package io.crosszone.plan.reseed;

import java.util.Map;
import java.util.Set;

/**
 * A group as the controller described it before the loss (the drill reads it before the cut):
 * every broker id it knew with its address, the SyncStateSet's ids and the master epoch.
 */
public record KnownGroupState(Map<Long, String> brokerAddresses, Set<Long> inSync, int masterEpoch) {
    public KnownGroupState {
        brokerAddresses = Map.copyOf(brokerAddresses);
        inSync = Set.copyOf(inSync);
    }
}
