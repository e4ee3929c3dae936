package io.crosszone.tasks.affinity;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.tasks.affinity.ZoneSlack.Mover;
import io.crosszone.tasks.affinity.ZoneSlack.NodeView;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** apply-affinity's room-to-move rule on hand-made node tables. */
class ZoneSlackTest {
    private static final Map<String, Long> RUNBOOK = Map.of("az1", 3L, "az2", 3L);

    /** {@code brokers} of the zone's {@code count} schedulable nodes run a broker. */
    private static List<NodeView> zone(String zone, int count, int brokers) {
        List<NodeView> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new NodeView(zone + "-n" + i, zone, true, i < brokers));
        }
        return out;
    }

    private static List<NodeView> both(List<NodeView> a, List<NodeView> b) {
        List<NodeView> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    @Test
    void oneNodePerBroker_andABrokerMustChangeZone_isAShortageNamingTheZoneAndTheNodesItNeeds() {
        List<ZoneSlack.Shortage> s = ZoneSlack.shortages(both(zone("az1", 3, 3), zone("az2", 3, 3)), RUNBOOK,
                List.of(new Mover("broker-0-1", "az1", "az2"), new Mover("broker-2-0", "az2", "az1")));
        assertThat(s).extracting(ZoneSlack.Shortage::zone).containsExactly("az1", "az2");
        assertThat(s.get(0).needed()).isEqualTo(4);
        assertThat(s.get(0).free()).isZero();
        assertThat(s.get(0).message("broker")).contains("zone az1", "broker-0-1 (now in az2)", "3 schedulable node(s)",
                "at least 4 schedulable nodes", "--no-restart");
    }

    @Test
    void noBrokerMustMove_orASpareBeyondThePlanned_orAFreeNodePerMover_isRoomEnough() {
        List<NodeView> tight = both(zone("az1", 3, 3), zone("az2", 3, 3));
        assertThat(ZoneSlack.shortages(tight, RUNBOOK, List.of())).isEmpty();
        // the lab's shape: a spare per zone, even while the spare's zone is full of brokers planned elsewhere
        assertThat(ZoneSlack.shortages(both(zone("az1", 4, 4), zone("az2", 4, 2)), RUNBOOK,
                List.of(new Mover("broker-0-1", "az1", "az2")))).isEmpty();
        // no spare, but a free node for the one broker moving in (a broker went missing from az1)
        assertThat(ZoneSlack.shortages(both(zone("az1", 3, 2), zone("az2", 3, 3)), RUNBOOK,
                List.of(new Mover("broker-0-1", "az1", null)))).isEmpty();
        // ... but not for two
        assertThat(ZoneSlack.shortages(both(zone("az1", 3, 2), zone("az2", 3, 3)), RUNBOOK,
                List.of(new Mover("broker-0-1", "az1", null), new Mover("broker-1-1", "az1", "az2")))).hasSize(1);
    }

    @Test
    void nodesABrokerCannotBeScheduledOnDoNotCount() {
        List<NodeView> nodes = new ArrayList<>(both(zone("az1", 3, 3), zone("az2", 3, 3)));
        nodes.add(new NodeView("az1-cordoned", "az1", false, false));
        nodes.add(new NodeView("unlabelled", null, true, false));
        assertThat(ZoneSlack.shortages(nodes, RUNBOOK, List.of(new Mover("broker-0-1", "az1", "az2"))))
                .singleElement().satisfies(s -> assertThat(s.schedulable()).isEqualTo(3));
    }

    @Test
    void taintsNeedAMatchingToleration() {
        Taint master = new TaintBuilder().withKey("node-role.kubernetes.io/control-plane").withEffect("NoSchedule").build();
        Taint prefer = new TaintBuilder().withKey("x").withEffect("PreferNoSchedule").build();
        Taint dedicated = new TaintBuilder().withKey("dedicated").withValue("mq").withEffect("NoExecute").build();
        Toleration anyControlPlane = new TolerationBuilder().withKey("node-role.kubernetes.io/control-plane")
                .withOperator("Exists").build();
        Toleration mq = new TolerationBuilder().withKey("dedicated").withOperator("Equal").withValue("mq")
                .withEffect("NoExecute").build();
        Toleration other = new TolerationBuilder().withKey("dedicated").withValue("db").build();
        Toleration everything = new TolerationBuilder().withOperator("Exists").build();

        assertThat(ZoneSlack.tolerates(null, null)).isTrue();
        assertThat(ZoneSlack.tolerates(null, List.of(prefer))).isTrue();
        assertThat(ZoneSlack.tolerates(null, List.of(master))).isFalse();
        assertThat(ZoneSlack.tolerates(List.of(anyControlPlane), List.of(master))).isTrue();
        assertThat(ZoneSlack.tolerates(List.of(anyControlPlane), List.of(master, dedicated))).isFalse();
        assertThat(ZoneSlack.tolerates(List.of(anyControlPlane, mq), List.of(master, dedicated))).isTrue();
        assertThat(ZoneSlack.tolerates(List.of(other), List.of(dedicated))).isFalse();
        assertThat(ZoneSlack.tolerates(List.of(everything), List.of(master, dedicated))).isTrue();
    }
}
