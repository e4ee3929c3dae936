package io.crosszone.rocketmq;

import java.util.List;

/**
 * The controller group as one controller sees it: the leader's id and address (null when there is
 * no leader, e.g. without a Raft majority), the peers, and which address answered.
 */
public record ControllerMetadata(String group, String leaderId, String leaderAddress, List<String> peers,
                                 String answeredBy) {
    public ControllerMetadata {
        peers = List.copyOf(peers);
    }

    public boolean hasLeader() {
        return leaderAddress != null && !leaderAddress.isBlank();
    }
}
