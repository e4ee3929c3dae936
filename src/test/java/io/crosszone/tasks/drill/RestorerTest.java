package io.crosszone.tasks.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.config.ZoneSpec;
import io.crosszone.core.FakeTime;
import io.crosszone.core.Progress;
import io.crosszone.core.Waiter;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.plan.OperatorNames;
import io.crosszone.rocketmq.RocketMqAccess;
import io.crosszone.tasks.BrokerShape;
import io.crosszone.tasks.GroupHealth;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one restore of the drill, against the mock API (RocketMQ not asked): it undoes what the
 * record says, releases the lease only when the deployment is whole, and sends the controller
 * back to its planned zone. Waits run on a {@link FakeTime}: a 10-minute restore timeout takes no time.
 */
@EnableKubernetesMockClient(crud = true)
class RestorerTest {
    private static final String NS = "rocketmq";
    KubernetesClient client;
    private final FakeTime time = new FakeTime(1_000_000);
    private final List<String> actions = new ArrayList<>();
    private CrosszoneConfig config;
    private DrillLock lock;
    /** RocketMQ's view for the fail-back: each group's master replica (replica 0 is the planned one) */
    private final Map<String, Integer> masters = new java.util.TreeMap<>(Map.of("broker-0", 0, "broker-1", 0));
    private final List<String> elections = new ArrayList<>();
    /** what the final check (verify-distribution) finds after the restore */
    private List<String> finalCheck = List.of();

    @BeforeEach
    void deployment() {
        config = new CrosszoneConfig();
        config.setNamespace(NS);
        config.setZones(List.of(zone("az1"), zone("az2")));
        node("node-1", "az1");
        node("node-2", "az2");
        // each broker in its planned zone (group 0's master zone is az2, group 1's az1), as after apply-affinity
        for (int g = 0; g < 2; g++) {
            for (int r = 0; r < 2; r++) {
                pod(OperatorNames.podOf(OperatorNames.brokerStatefulSet("broker", g, r)), OperatorNames.brokerLabels("broker"),
                        (g + r) % 2 == 0 ? "node-2" : "node-1");
            }
        }
        pod("name-service-0", OperatorNames.nameServiceLabels(config.getResources().getNameService()), "node-1");
        pod("name-service-1", OperatorNames.nameServiceLabels(config.getResources().getNameService()), "node-2");
        lock = new DrillLock(client, NS, Duration.ofSeconds(15));
    }

    @Test
    void undoesTheRecordAndReleasesTheLeaseOnceWhole() throws Exception {
        pod("controller-0", OperatorNames.controllerLabels(config.getResources().getController()), "node-2");
        DrillRecord record = drillInProgress("node-1");

        Restorer restorer = restorer(DrillOptions.defaults("az1", DrillMode.KILL));
        List<String> undone = restorer.restoreZone(record, false);
        boolean whole = restorer.settle(record.holder);

        assertThat(undone).anyMatch(u -> u.contains("node-1"));
        assertThat(client.nodes().withName("node-1").get().getSpec().getUnschedulable()).isNotEqualTo(Boolean.TRUE);
        assertThat(whole).isTrue();
        assertThat(restorer.problems).isEmpty();
        assertThat(lock.read()).isEmpty();
        assertThat(actions).isEmpty(); // the controller was home: not restarted
    }

    @Test
    void failsTheMastersBackToTheirPlannedReplicasByDefault() throws Exception {
        pod("controller-0", OperatorNames.controllerLabels(config.getResources().getController()), "node-2");
        masters.put("broker-1", 1); // failover put broker-1's master on replica 1
        DrillRecord record = drillInProgress("node-1");

        Restorer restorer = restorer(DrillOptions.defaults("az1", DrillMode.KILL));
        restorer.restoreZone(record, false);
        boolean whole = restorer.settle(record.holder);

        assertThat(whole).isTrue();
        assertThat(elections).containsExactly("broker-1=0");
        assertThat(masters).containsEntry("broker-0", 0).containsEntry("broker-1", 0);
        assertThat(actions).singleElement().asString().startsWith("fail-back: elected replica 0 master of broker-1 (was replica 1)");
        assertThat(restorer.failures).isEmpty();
        assertThat(restorer.warnings).isEmpty();
        assertThat(lock.read()).isEmpty();
    }

    @Test
    void withTheFailBackAnUnbalancedPlacementAfterTheRestoreFailsTheDrill() throws Exception {
        pod("controller-0", OperatorNames.controllerLabels(config.getResources().getController()), "node-2");
        finalCheck = List.of(Restorer.UNBALANCED + ": masters per zone az1=2 az2=0");
        DrillRecord record = drillInProgress("node-1");

        Restorer restorer = restorer(DrillOptions.defaults("az1", DrillMode.KILL));
        restorer.restoreZone(record, false);
        restorer.settle(record.holder);

        assertThat(restorer.failures).containsExactly("after restore: verify-distribution masters-balanced: masters per zone az1=2 az2=0");
        assertThat(restorer.warnings).isEmpty();
    }

    @Test
    void noFailBackLeavesTheMastersAndMakesAnUnbalancedPlacementAWarning() throws Exception {
        pod("controller-0", OperatorNames.controllerLabels(config.getResources().getController()), "node-2");
        masters.put("broker-1", 1);
        finalCheck = List.of(Restorer.UNBALANCED + ": masters per zone az1=1 az2=1 expected", "verify-distribution topics: missing on broker-1-1");
        DrillRecord record = drillInProgress("node-1");

        Restorer restorer = restorer(DrillOptions.defaults("az1", DrillMode.KILL).withFailBack(false));
        restorer.restoreZone(record, false);
        boolean whole = restorer.settle(record.holder);

        assertThat(whole).isTrue();
        assertThat(elections).isEmpty();
        assertThat(masters).containsEntry("broker-1", 1);
        assertThat(restorer.warnings).singleElement().asString().contains("masters-balanced", "--no-fail-back");
        // the rest of the final check still fails the drill
        assertThat(restorer.failures).containsExactly("after restore: verify-distribution topics: missing on broker-1-1");
        assertThat(lock.read()).isEmpty();
    }

    @Test
    void sendsAControllerThatARepairMovedBackToItsPlannedZone() throws Exception {
        // az2 is the controller's planned zone (the last zone); a repair left it in az1
        pod("controller-0", OperatorNames.controllerLabels(config.getResources().getController()), "node-1");
        DrillRecord record = drillInProgress("node-1");

        Restorer restorer = restorer(DrillOptions.defaults("az2", DrillMode.KILL));
        restorer.restoreZone(record, false);

        assertThat(actions).containsExactly("restarted the controller [controller-0] so that it is scheduled in its"
                + " planned zone az2 again");
        // nothing recreates the pod here: the deployment is not whole, and the restore says so
        assertThat(restorer.whole()).isFalse();
        assertThat(restorer.problems).anyMatch(p -> p.contains("no controller pod"));
    }

    @Test
    void keepsTheLeaseWhenTheDeploymentIsNotWholeInTime() throws Exception {
        // no controller pod at all: never whole
        DrillRecord record = drillInProgress("node-1");

        Restorer restorer = restorer(DrillOptions.defaults("az1", DrillMode.KILL));
        restorer.restoreZone(record, false);
        boolean whole = restorer.settle(record.holder);

        assertThat(whole).isFalse();
        assertThat(restorer.problems).contains("not restored within PT10M: no controller pod")
                .anyMatch(p -> p.contains("is kept with what the drill changed: run failover-drill --recover"));
        assertThat(lock.read()).isPresent();
        assertThat(lock.read().get().record().phase).isEqualTo(DrillPhase.RESTORING);
        assertThat(time.currentMillis() - 1_000_000).isGreaterThanOrEqualTo(Duration.ofMinutes(10).toMillis());
    }

    private Restorer restorer(DrillOptions o) {
        KubernetesGateway k8s = new KubernetesGateway(client);
        DrillCluster cluster = new DrillCluster(k8s, RocketMqAccess.NONE, config, Progress.silent(),
                new Waiter(Progress.silent(), Duration.ofMillis(500), time));
        RocketMqLink link = new RocketMqLink(k8s, config, RocketMqAccess.NONE, Duration.ofSeconds(1), Duration.ofSeconds(1));
        return new Restorer(cluster, RocketMqAccess.NONE, c -> finalCheck, Progress.silent(), o,
                new BrokerShape(2, 2, "test"), link, lock, actions::add).withGroupHealth((k8s2, target) -> new Groups());
    }

    /** Both replicas of every group alive and in sync; an election moves the master at once. */
    private final class Groups implements GroupHealth {
        @Override
        public Optional<Integer> masterReplica(String group) {
            return Optional.ofNullable(masters.get(group));
        }

        @Override
        public Optional<Integer> listedMasterReplica(String group) {
            return masterReplica(group);
        }

        @Override
        public boolean inSyncAndAlive(String group, int replica) {
            return true;
        }

        @Override
        public boolean fullyInSync(String group, int replicas) {
            return masters.containsKey(group);
        }

        @Override
        public void electReplica(String group, int replica) {
            elections.add(group + "=" + replica);
            masters.put(group, replica);
        }
    }

    /** A drill that cordoned {@code node} and recorded it in its lease. */
    private DrillRecord drillInProgress(String node) {
        DrillRecord record = new DrillRecord("drill-1", "az1", "kill", "2026-12-04T00:00:00Z");
        lock.acquire(record);
        record.cordonedNodes.add(node);
        record.phase = DrillPhase.INJECTED;
        lock.record(record);
        new KubernetesGateway(client).setUnschedulable(node, true);
        return record;
    }

    private static ZoneSpec zone(String name) {
        ZoneSpec z = new ZoneSpec();
        z.setName(name);
        return z;
    }

    private void node(String name, String zone) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).addToLabels("az", zone).endMetadata()
                .build()).create();
    }

    private void pod(String name, Map<String, String> labels, String node) {
        Pod p = new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).withLabels(labels).endMetadata()
                .withNewSpec().withNodeName(node).endSpec()
                .withNewStatus().withPodIP("10.0.0." + (name.hashCode() & 0x7f)).addNewCondition().withType("Ready")
                .withStatus("True").endCondition().endStatus().build();
        client.pods().inNamespace(NS).resource(p).create();
    }
}
