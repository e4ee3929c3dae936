package io.crosszone.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.rocketmq.Replica;
import io.crosszone.rocketmq.SyncStateSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which ids an empty controller is given: an id a broker left behind when it registered again is not. */
class ControllerReplacementIdsTest {

    @Test
    void anIdLeftBehindAtTheAddressOfALiveReplicaIsNotSeeded() {
        // broker-2 after apply-affinity replaced replica 1's claim: it came back as id 3, id 2 stayed listed
        SyncStateSet s = new SyncStateSet("broker-2", 1L, "10.0.0.120:10911", 4, 7,
                List.of(new Replica(1, "10.0.0.120:10911", true), new Replica(3, "10.0.0.121:10911", true)),
                List.of(new Replica(2, "10.0.0.121:10911", false)));
        assertThat(ControllerReplacement.idsToSeed(s)).containsOnlyKeys(1L, 3L);
    }

    @Test
    void aReplicaThatIsDownIsSeededWhenNoOtherIdHoldsItsAddress() {
        SyncStateSet s = new SyncStateSet("broker-0", 1L, "10.0.0.100:10911", 4, 7,
                List.of(new Replica(1, "10.0.0.100:10911", true)),
                List.of(new Replica(2, "10.0.0.101:10911", false)));
        assertThat(ControllerReplacement.idsToSeed(s)).containsOnlyKeys(1L, 2L);
    }

    @Test
    void twoLiveIdsAreBothKept() {
        SyncStateSet s = new SyncStateSet("broker-1", 1L, "10.0.0.110:10911", 4, 7,
                List.of(new Replica(1, "10.0.0.110:10911", true)),
                List.of(new Replica(2, "10.0.0.111:10911", true)));
        assertThat(ControllerReplacement.idsToSeed(s)).containsEntry(2L, "10.0.0.111:10911").hasSize(2);
    }
}
