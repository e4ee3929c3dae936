package io.crosszone.plan.reseed;

import java.util.List;
import java.util.Optional;

/** Everything known about one group when the repair runs: its survivors and, when read, its state before the loss. */
public record GroupEvidence(String group, List<ReplicaReport> survivors, Optional<KnownGroupState> before) {
    public GroupEvidence {
        survivors = List.copyOf(survivors);
    }
}
