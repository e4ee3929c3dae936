package io.crosszone.rocketmq;

/** RocketMQ member addresses ({@code ip:port}), as the name server and the controller give them. */
public final class Addresses {
    private Addresses() {
    }

    /** The host of {@code ip:port} (the pod IP that finds the pod); an address without a port is its own host. */
    public static String host(String address) {
        if (address == null) {
            return null;
        }
        int colon = address.lastIndexOf(':');
        return colon < 0 ? address : address.substring(0, colon);
    }
}
