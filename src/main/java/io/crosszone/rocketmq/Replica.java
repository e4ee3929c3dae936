package io.crosszone.rocketmq;

/** A broker of a group as the controller knows it: controller-assigned id, address, and whether its heartbeats arrive. */
public record Replica(long brokerId, String address, boolean alive) {
}
