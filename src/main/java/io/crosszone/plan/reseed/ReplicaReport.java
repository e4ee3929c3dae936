package io.crosszone.plan.reseed;

/**
 * What one surviving broker says about itself: its controller-assigned id (from its
 * {@code brokerIdentity}), its address, the last epoch in its epoch cache, its commit log's max
 * offset, and whether it was acting as master when read.
 */
public record ReplicaReport(long brokerId, String address, int lastEpoch, long maxOffset, boolean master) {
}
