package io.crosszone.lab.network;

/** How the lab takes a zone (or a pod a deny-all NetworkPolicy selects) off the network. */
public enum LabNetworkModel {
    /** Every zone is a network namespace; a cut drops the packets: no handshake, no FIN, no RST. */
    PACKET_DROP("packet-drop", "each zone is a network namespace; a cut drops its packets"),
    /**
     * The fallback where namespaces cannot be made (not root, no ip/iptables): a cut SIGSTOPs the
     * processes, whose kernel still accepts connections and ACKs data.
     */
    FREEZE("freeze", "a cut freezes the processes (SIGSTOP); their kernel still accepts connections");

    private final String id;
    private final String description;

    LabNetworkModel(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** The name reports use. */
    public String id() {
        return id;
    }

    public String description() {
        return description;
    }
}
