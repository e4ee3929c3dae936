package io.crosszone.tasks.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.tasks.verify.DistributionSnapshot.BrokerPod;
import io.crosszone.tasks.verify.DistributionSnapshot.RegisteredBroker;
import io.crosszone.tasks.verify.DistributionSnapshot.Replica;
import io.crosszone.tasks.verify.DistributionSnapshot.SyncState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DistributionVerifierTest {

    private static Verification verify(Snapshots.Builder b) {
        return DistributionVerifier.evaluate(b.build(), Snapshots.PLAN, Snapshots.CONFIG, Map.of());
    }

    private static CheckResult check(Verification v, String name) {
        return v.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(name));
    }

    /** Only the named checks fail (errors); everything else passes or is a warning. */
    private static void onlyFails(Verification v, String... names) {
        assertThat(v.checks().stream().filter(CheckResult::failsVerdict).map(CheckResult::name))
                .containsExactlyInAnyOrder(names);
        assertThat(v.passed()).isEqualTo(names.length == 0);
    }

    @Test
    void aHealthyPlannedDeploymentPasses() {
        Verification v = verify(Snapshots.healthy());
        onlyFails(v);
        assertThat(v.brokers()).hasSize(6);
        Verification.BrokerRow first = v.brokers().get(0);
        assertThat(first.statefulSet()).isEqualTo("broker-0-0");
        assertThat(first.zone()).isEqualTo("az2");
        assertThat(first.role()).isEqualTo("master");
        assertThat(first.inSync()).isTrue();
        assertThat(check(v, "masters-balanced").message()).contains("az1=1 az2=2", "as planned");
        // the runbook's single controller sits with most masters: reported, not failed
        assertThat(check(v, "lint-controller-beside-masters").passed()).isFalse();
        assertThat(check(v, "lint-controller-beside-masters").severity()).isEqualTo(CheckResult.Severity.WARNING);
        assertThat(v.zoneLoss()).hasSize(2);
        assertThat(v.zoneLoss().get(0).automaticRecovery()).isTrue();
        assertThat(v.zoneLoss().get(1).automaticRecovery()).isFalse();
    }

    @Test
    void aGroupWithBothMembersInOneZoneFailsNamingIt() {
        Snapshots.Builder b = Snapshots.healthy();
        b.nodeZones.put("n7", "az2");
        b.replaceBroker("broker-1-1",
                p -> new BrokerPod(p.statefulSet(), p.group(), p.replica(), p.pod(), "n7", p.ip(), true, p.templateAffinity(), p.templateLabels()));
        Verification v = verify(b);
        onlyFails(v, "groups-span-zones");
        assertThat(check(v, "groups-span-zones").message()).contains("group 1").contains("az2");
        assertThat(v.zoneLoss().get(1).groupsWithoutReplica()).containsExactly(1);
    }

    @Test
    void twoBrokersOnOneNode() {
        Snapshots.Builder b = Snapshots.healthy().replaceBroker("broker-2-1",
                p -> new BrokerPod(p.statefulSet(), p.group(), p.replica(), p.pod(), "n4", p.ip(), true, p.templateAffinity(), p.templateLabels()));
        Verification v = verify(b);
        assertThat(check(v, "brokers-on-distinct-nodes").passed()).isFalse();
        assertThat(check(v, "brokers-on-distinct-nodes").message()).contains("n4");
    }

    @Test
    void aMasterMovedByAFailoverIsSeen() {
        Snapshots.Builder b = Snapshots.healthy();
        // group 2's master (az1) died and its slave in az2 took over: BID 0 moves
        List<RegisteredBroker> g2 = b.cluster.get("broker-2");
        b.cluster.put("broker-2", List.of(new RegisteredBroker(0, g2.get(1).address())));
        b.sync.put("broker-2", new SyncState(2, g2.get(1).address(), 2, List.of(new Replica(2, g2.get(1).address(), true)), List.of()));
        Verification v = verify(b);
        assertThat(v.brokers().stream().filter(r -> r.statefulSet().equals("broker-2-1")).findFirst().orElseThrow().role())
                .isEqualTo("master");
        // all three masters now in az2: unbalanced, and the group is not in sync
        onlyFails(v, "masters-balanced", "sync-state-full");
        assertThat(check(v, "masters-balanced").message()).contains("az1=0 az2=3", "all masters are in one zone");
    }

    @Test
    void anOutOfSyncSlaveIsSeen() {
        Snapshots.Builder b = Snapshots.healthy();
        SyncState s = b.sync.get("broker-0");
        b.sync.put("broker-0", new SyncState(1, s.masterAddress(), 1, List.of(s.inSync().get(0)), List.of(s.inSync().get(1))));
        Verification v = verify(b);
        onlyFails(v, "sync-state-full");
        assertThat(check(v, "sync-state-full").message()).contains("broker-0: 1/2", "not in sync");
        assertThat(v.brokers().get(1).inSync()).isFalse();
    }

    @Test
    void anAliveFalseReplicaIsNotInSync() {
        Snapshots.Builder b = Snapshots.healthy();
        SyncState s = b.sync.get("broker-1");
        Replica slave = s.inSync().get(1);
        b.sync.put("broker-1", new SyncState(1, s.masterAddress(), 1,
                List.of(s.inSync().get(0), new Replica(slave.brokerId(), slave.address(), false)), List.of()));
        assertThat(check(verify(b), "sync-state-full").message()).contains("alive=false");
    }

    @Test
    void aRevertedAffinityIsDrift() {
        Snapshots.Builder b = Snapshots.healthy().replaceBroker("broker-0-1",
                p -> new BrokerPod(p.statefulSet(), p.group(), p.replica(), p.pod(), p.node(), p.ip(), true,
                        Snapshots.PLAN.brokerCommon(), Map.of("broker_cr", "broker")));
        Verification v = verify(b);
        onlyFails(v, "affinity-drift");
        assertThat(check(v, "affinity-drift").message()).contains("broker-0-1 affinity differs", "lacks pod label");
    }

    @Test
    void noNameServerInAZone() {
        Snapshots.Builder b = Snapshots.healthy();
        b.nameServers.remove(1);
        onlyFails(verify(b), "name-server-per-zone");
    }

    @Test
    void controllerElsewhereAndEvenCount() {
        Snapshots.Builder b = Snapshots.healthy();
        b.controllers.set(0, new DistributionSnapshot.MemberPod("controller-0", "n1", "10.2.0.1", true));
        onlyFails(verify(b), "controller-zone");
        b.controllers.add(new DistributionSnapshot.MemberPod("controller-1", "n4", "10.2.0.2", true));
        onlyFails(verify(b), "controller-zone", "lint-controller-count");
    }

    @Test
    void twoMastersInOneGroup() {
        Snapshots.Builder b = Snapshots.healthy();
        List<RegisteredBroker> g0 = b.cluster.get("broker-0");
        b.cluster.put("broker-0", List.of(new RegisteredBroker(0, g0.get(0).address()), new RegisteredBroker(0, g0.get(1).address())));
        assertThat(check(verify(b), "one-master-per-group").message()).contains("broker-0 has 2 masters");
    }

    @Test
    void lintsTheRuntimeConfiguration() {
        Snapshots.Builder b = Snapshots.healthy();
        String addr = b.cluster.get("broker-0").get(0).address();
        b.configs.get(addr).remove("allAckInSyncStateSet");
        b.configs.get(addr).put("enableElectUncleanMaster", "true");
        Verification v = verify(b);
        onlyFails(v, "lint-all-ack-in-sync-state-set", "lint-unclean-election");
        assertThat(check(v, "lint-all-ack-in-sync-state-set").message()).contains(addr, "FLUSH_SLAVE_TIMEOUT");
        assertThat(check(v, "lint-failure-detection").message()).contains("10-15 s");
        b.configs.values().forEach(c -> c.put("controllerHeartBeatTimeoutMills", "3000"));
        assertThat(check(verify(b), "lint-failure-detection").passed()).isTrue();
    }

    @Test
    void aRegistrationTimeoutAboveTheBoundIsAWarning() {
        Snapshots.Builder b = Snapshots.healthy();
        assertThat(check(verify(b), "lint-register-broker-timeout").passed()).isTrue();
        String addr = b.cluster.get("broker-1").get(1).address();
        b.configs.get(addr).put("registerBrokerTimeoutMills", "24000");
        String other = b.cluster.get("broker-2").get(0).address();
        b.configs.get(other).remove("registerBrokerTimeoutMills"); // the broker's own default, 24000
        Verification v = verify(b);
        onlyFails(v);
        CheckResult lint = check(v, "lint-register-broker-timeout");
        assertThat(lint.severity()).isEqualTo(CheckResult.Severity.WARNING);
        assertThat(lint.message()).contains(addr + " (24000)", other + " (24000)", "registerBrokerTimeoutMills=6000")
                .doesNotContain(b.cluster.get("broker-0").get(0).address());
    }

    @Test
    void zonalControllerVolumeIsReported() {
        Snapshots.Builder b = Snapshots.healthy();
        b.storage = new DistributionSnapshot.ControllerStorage("StorageClass", true);
        Verification v = verify(b);
        onlyFails(v);
        assertThat(check(v, "lint-controller-volume").severity()).isEqualTo(CheckResult.Severity.WARNING);
        assertThat(v.zoneLoss().get(1).actions().get(0)).contains("cannot follow");
    }

    @Test
    void topicsMissingOnASlave() {
        Snapshots.Builder b = Snapshots.healthy();
        String master = b.cluster.get("broker-1").get(0).address();
        String slave = b.cluster.get("broker-1").get(1).address();
        b.topics.put(master, Set.of("TopicTest", "broker-1", "Orders"));
        Verification v = verify(b);
        onlyFails(v, "topics-on-slaves");
        assertThat(check(v, "topics-on-slaves").message()).contains(slave + " lacks [Orders]");
        assertThat(TopicChecks.missingOnSlaves(b.build())).containsOnly(Map.entry(slave, Set.of("Orders")));
        Verification fixed = DistributionVerifier.evaluate(b.build(), Snapshots.PLAN, Snapshots.CONFIG,
                Map.of(slave, Set.of("Orders")));
        onlyFails(fixed);
    }

    @Test
    void rocketmqUnreachableFails() {
        Snapshots.Builder b = Snapshots.healthy();
        b.rocketmqUp = false;
        Verification v = verify(b);
        onlyFails(v, "rocketmq-reachable", "topics-on-slaves");
        assertThat(v.brokers().get(0).role()).isEqualTo("unknown");
    }

    @Test
    void aMissingStatefulSetOrUnscheduledPod() {
        Snapshots.Builder b = Snapshots.healthy();
        b.brokers.removeIf(p -> p.statefulSet().equals("broker-2-0"));
        b.replaceBroker("broker-1-0", p -> new BrokerPod(p.statefulSet(), p.group(), p.replica(), p.pod(), null, null,
                false, p.templateAffinity(), p.templateLabels()));
        Verification v = verify(b);
        assertThat(check(v, "brokers-scheduled").message()).contains("broker-2-0 does not exist", "broker-1-0 has no scheduled pod");
    }

    @Test
    void aBrokerTemplateNamingANameServerThatMovedIsAWarning() {
        Snapshots.Builder b = Snapshots.healthy();
        assertThat(check(verify(b), "broker-name-server-env").passed()).isTrue();
        // namesrv-1 came back with a new IP; the operator (allowRestart=false) left the templates alone
        b.nameServers.set(1, new DistributionSnapshot.MemberPod("namesrv-1", "n4", "10.1.0.9", true));
        Verification v = verify(b);
        onlyFails(v);
        CheckResult c = check(v, "broker-name-server-env");
        assertThat(c.passed()).isFalse();
        assertThat(c.severity()).isEqualTo(CheckResult.Severity.WARNING);
        assertThat(c.message()).contains("broker-0-0 lacks [10.1.0.9:9876] and names [10.1.0.2:9876]", "next restart");
    }

    @Test
    void aBrokerMissingFromOneNameServerFailsNamingBoth() {
        Snapshots.Builder b = Snapshots.healthy();
        assertThat(check(verify(b), "name-servers-agree").message()).isEqualTo("each of the 2 name servers lists all 6 brokers");
        // broker-1-1 restarted with a NAMESRV_ADDR naming only the first name server
        java.util.Set<String> listed = new java.util.TreeSet<>();
        b.cluster.values().forEach(m -> m.forEach(r -> listed.add(r.address())));
        listed.remove("10.0.1.11:10911");
        b.listedByNameServer.put("10.1.0.2:9876", listed);
        Verification v = verify(b);
        onlyFails(v, "name-servers-agree");
        assertThat(check(v, "name-servers-agree").message())
                .startsWith("name server 10.1.0.2:9876 does not list [10.0.1.11:10911 (broker-1-1)]");
        assertThat(Convergence.pending(v)).extracting(CheckResult::name).containsExactly("name-servers-agree");
    }

    @Test
    void aNameServerThatDoesNotAnswerFails() {
        Snapshots.Builder b = Snapshots.healthy();
        b.silentNameServers = java.util.Set.of("10.1.0.2:9876");
        Verification v = verify(b);
        onlyFails(v, "name-servers-agree");
        assertThat(check(v, "name-servers-agree").message()).startsWith("name servers [10.1.0.2:9876] did not answer");
    }
}
