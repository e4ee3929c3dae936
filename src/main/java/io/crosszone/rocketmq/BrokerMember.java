package io.crosszone.rocketmq;

/**
 * One broker as the name server lists it. {@code id} 0 is the master; in controller mode a slave
 * shows the id the controller assigned (1, 2, …). {@code version} is the broker's own
 * ({@code V5_1_4}), or "unknown" if it did not answer.
 */
public record BrokerMember(long id, String address, String version) {
    public static final String UNKNOWN_VERSION = "unknown";

    public boolean isMaster() {
        return id == 0;
    }
}
