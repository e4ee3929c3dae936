package io.crosszone.tasks.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.rocketmq.BrokerGroup;
import io.crosszone.rocketmq.BrokerMember;
import io.crosszone.rocketmq.ClusterView;
import io.crosszone.rocketmq.Replica;
import io.crosszone.rocketmq.SyncStateSet;
import io.crosszone.rocketmq.probe.SendRecord;
import io.crosszone.tasks.drill.DrillEvent.Kind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimelineTrackerTest {
    private static final String OLD = "10.0.0.1:10911";
    private static final String NEW = "10.0.0.2:10911";

    private static ClusterView view(String master0, String master1) {
        return new ClusterView(Map.of(
                "b-0", new BrokerGroup("b", "b-0", master0 == null ? List.of() : List.of(new BrokerMember(0, master0, "x"))),
                "b-1", new BrokerGroup("b", "b-1", List.of(new BrokerMember(0, master1, "x")))));
    }

    private static SyncStateSet set(String group, long id, String master, int inSync) {
        List<Replica> replicas = inSync == 2 ? List.of(new Replica(id, master, true), new Replica(9, "other", true))
                : List.of(new Replica(id, master, true));
        return new SyncStateSet(group, id, master, 2, 2, replicas, List.of());
    }

    @Test
    void aGroupRecoversWhenBothViewsShowTheNewMaster() {
        TimelineTracker t = new TimelineTracker("b", 2, Map.of(0, OLD, 1, "10.0.1.1:10911"), Map.of(0, 2, 1, 2), List.of(0));
        t.nameServer(100, view(null, "10.0.1.1:10911"));
        assertThat(t.serversRecovered()).isFalse();
        t.controller(150, Map.of("b-0", set("b-0", 2, NEW, 1), "b-1", set("b-1", 1, "10.0.1.1:10911", 2)));
        assertThat(t.serversRecovered()).isFalse();
        assertThat(t.withoutMaster()).isEmpty();
        t.nameServer(300, view(NEW, "10.0.1.1:10911"));
        assertThat(t.serversRecovered()).isTrue();
        assertThat(t.newMasters()).containsEntry(0, NEW);
        assertThat(t.events()).extracting(DrillEvent::kind).containsExactly(Kind.MASTER_LOST, Kind.MASTER_ELECTED,
                Kind.SYNC_STATE_SHRUNK, Kind.NAMESRV_MASTER);
        assertThat(t.events().get(0).atMillis()).isEqualTo(100);
        var groups = DrillMeasurements.groups(t.events(), "b", 2, List.of(0), t.newMasters(), Map.of());
        assertThat(groups.get(0).rtoMillis()).isEqualTo(300L);
        assertThat(groups.get(1).lostMaster()).isFalse();
    }

    @Test
    void theFirstWriteIsTheFirstAcknowledgementAfterAFailure() {
        TimelineTracker t = new TimelineTracker("b", 2, Map.of(0, OLD), Map.of(), List.of(0));
        long injected = 1_000_000;
        List<SendRecord> sends = List.of(
                new SendRecord("k0", "b-0", injected - 50, injected - 40, true, null, "b-0"),   // before the injection
                new SendRecord("k1", "b-0", injected + 10, injected + 3010, false, "timeout", null),
                new SendRecord("k2", "b-1", injected + 20, injected + 25, true, null, "b-1"),   // another group, no failure
                new SendRecord("k3", "b-0", injected + 3020, injected + 3030, false, "refused", null),
                new SendRecord("k4", "b-0", injected + 3500, injected + 3510, true, null, "b-0"));
        t.probe(sends.subList(0, 4), injected);
        assertThat(t.clientsRecovered()).isFalse();
        assertThat(t.notWrittenAgain()).containsExactly(0);
        t.probe(sends, injected);
        assertThat(t.clientsRecovered()).isTrue();
        assertThat(t.events()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Kind.FIRST_WRITE);
            assertThat(e.group()).isEqualTo(0);
            assertThat(e.atMillis()).isEqualTo(3510);
        });
    }
}
