package io.crosszone.tasks.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.core.FakeTime;
import io.crosszone.rocketmq.RocketMqAccess;
import io.crosszone.rocketmq.RocketMqEndpoints;
import io.crosszone.rocketmq.RocketMqGateway;
import io.crosszone.tasks.drill.ZonePods.PodInfo;
import io.crosszone.tasks.drill.ZonePods.Role;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The simultaneous cut: the drill waits until every cut-off member of the zone stops answering,
 * measured on a {@link FakeTime} (each probe round costs a 100 ms sleep here; a real probe also
 * its timeout when unanswered).
 */
class CutCheckTest {
    private final FakeTime time = new FakeTime(1_000_000);

    /** Answers its probes as scripted, then never again. */
    private static final class Scripted implements CutCheck.Member {
        final String name;
        final List<Boolean> answers;
        int probes;

        Scripted(String name, Boolean... answers) {
            this.name = name;
            this.answers = List.of(answers);
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean answers() {
            int i = probes++;
            return i < answers.size() && answers.get(i);
        }
    }

    @Test
    void theCutIsInEffectOnceEveryMemberMissedTwoProbesInARow() throws Exception {
        Scripted ns = new Scripted("name-server ns-1", true, true);           // silent from the 3rd probe
        Scripted controller = new Scripted("controller c-0", true, true, true, true); // silent from the 5th
        long cutAt = time.currentMillis();

        CutCheck.Result r = CutCheck.await(List.of(ns, controller), time, cutAt, CutCheck.WAIT);

        assertThat(r.inEffect()).isTrue();
        // the controller's 5th and 6th probes are rounds 5 and 6: five 100 ms sleeps after the cut
        assertThat(r.millis()).isEqualTo(500);
        assertThat(r.silent()).containsExactly("name-server ns-1", "controller c-0");
        assertThat(r.stillAnswering()).isEmpty();
        assertThat(ns.probes).isEqualTo(4); // a silent member is not asked again
    }

    @Test
    void oneUnansweredProbeBetweenAnswersIsNotACut() throws Exception {
        Scripted flaky = new Scripted("controller c-0", false, true, false, true, true);

        CutCheck.Result r = CutCheck.await(List.of(flaky), time, time.currentMillis(), CutCheck.WAIT);

        assertThat(r.millis()).isEqualTo(600); // probes 6 and 7 are the first two unanswered in a row
    }

    @Test
    void aMemberThatKeepsAnsweringStopsTheDrillAfterTheWait() throws Exception {
        CutCheck.Member alive = new CutCheck.Member() {
            @Override
            public String name() {
                return "name-server ns-1 (10.192.2.5:9876)";
            }

            @Override
            public boolean answers() {
                return true;
            }
        };
        Scripted gone = new Scripted("controller c-0");
        long cutAt = time.currentMillis();

        CutCheck.Result r = CutCheck.await(List.of(alive, gone), time, cutAt, Duration.ofSeconds(30));

        assertThat(r.inEffect()).isFalse();
        assertThat(r.stillAnswering()).containsExactly("name-server ns-1 (10.192.2.5:9876)");
        assertThat(r.silent()).containsExactly("controller c-0");
        assertThat(time.currentMillis() - cutAt).isEqualTo(30_000);
    }

    @Test
    void eachCutOffPodIsAskedAloneWithTheShortTimeout() {
        ZonePods pods = new ZonePods(Map.of("n1", "az1", "n2", "az2"), Map.of(), List.of(
                new PodInfo("broker-0-0-0", Role.BROKER, "n2", "10.0.0.1", true, 0, 0, Map.of()),
                new PodInfo("broker-0-1-0", Role.BROKER, "n1", "10.0.0.2", true, 0, 1, Map.of()),
                new PodInfo("namesrv-0", Role.NAME_SERVER, "n1", "10.0.1.1", true, -1, -1, Map.of()),
                new PodInfo("namesrv-1", Role.NAME_SERVER, "n2", "10.0.1.2", true, -1, -1, Map.of()),
                new PodInfo("controller-0", Role.CONTROLLER, "n2", "10.0.2.1", true, -1, -1, Map.of())));
        List<RocketMqEndpoints> opened = new ArrayList<>();
        RocketMqAccess access = e -> {
            opened.add(e);
            return Optional.of((RocketMqGateway) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {RocketMqGateway.class}, (proxy, method, args) -> null));
        };

        DrillPlan kill = DrillPlan.plan("rocketmq", "az", List.of("az1", "az2"), "az2", DrillMode.KILL, pods,
                Map.of(0, "10.0.0.1:10911"), Duration.ofMinutes(15));
        List<CutCheck.RocketMqMember> members = CutCheck.members(kill, pods, access, List.of("10.0.1.1:9876"));

        assertThat(members).extracting(CutCheck.RocketMqMember::name).containsExactlyInAnyOrder(
                "name-server namesrv-1 (10.0.1.2:9876)", "controller controller-0 (10.0.2.1:9878)");
        assertThat(opened).allMatch(e -> e.callTimeout().equals(CutCheck.PROBE_TIMEOUT));
        // the name server alone; the controller through a name server outside the zone, and only it
        assertThat(opened).anySatisfy(e -> {
            assertThat(e.nameServers()).containsExactly("10.0.1.2:9876");
            assertThat(e.controllers()).isEmpty();
        }).anySatisfy(e -> {
            assertThat(e.nameServers()).containsExactly("10.0.1.1:9876");
            assertThat(e.controllers()).containsExactly("10.0.2.1:9878");
        });

        // partition cuts the zone's brokers too: they are asked as well
        DrillPlan partition = DrillPlan.plan("rocketmq", "az", List.of("az1", "az2"), "az2", DrillMode.PARTITION, pods,
                Map.of(0, "10.0.0.1:10911"), Duration.ofMinutes(15));
        assertThat(CutCheck.members(partition, pods, access, List.of("10.0.1.1:9876")))
                .extracting(CutCheck.RocketMqMember::name).contains("broker broker-0-0-0 (10.0.0.1:10911)");
    }
}
