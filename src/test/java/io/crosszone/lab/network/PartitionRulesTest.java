package io.crosszone.lab.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.lab.network.PodPartitions.Direction;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DROP rules a partition asks of the host's cut chain: one per pair and direction, none for a pod and itself. */
class PartitionRulesTest {
    @Test
    void oneRulePerPairAndDirection() {
        List<String> from = List.of("10.1.1.2", "10.1.1.1");
        List<String> to = List.of("10.1.1.9");
        assertThat(LabNetwork.partitionRules(from, to, Direction.TO))
                .containsExactly("-s 10.1.1.1 -d 10.1.1.9 -j DROP", "-s 10.1.1.2 -d 10.1.1.9 -j DROP");
        assertThat(LabNetwork.partitionRules(from, to, Direction.FROM))
                .containsExactly("-s 10.1.1.9 -d 10.1.1.1 -j DROP", "-s 10.1.1.9 -d 10.1.1.2 -j DROP");
        assertThat(LabNetwork.partitionRules(from, to, Direction.BOTH)).hasSize(4)
                .contains("-s 10.1.1.1 -d 10.1.1.9 -j DROP", "-s 10.1.1.9 -d 10.1.1.1 -j DROP");
    }

    @Test
    void aPodInBothSetsIsNotCutFromItself() {
        assertThat(LabNetwork.partitionRules(List.of("10.1.1.1", "10.1.1.2"), List.of("10.1.1.2"), Direction.BOTH))
                .containsExactly("-s 10.1.1.1 -d 10.1.1.2 -j DROP", "-s 10.1.1.2 -d 10.1.1.1 -j DROP");
        assertThat(LabNetwork.partitionRules(List.of("10.1.1.1"), List.of(), Direction.BOTH)).isEmpty();
    }
}
