package io.crosszone.lab.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.rocketmq.SyncStateSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A controller that comes back without its data (it moved to a node without its volume): what the
 * cluster does, recorded to decide the drill's repair strategy. Its own cluster: it does not heal.
 */
@Tag("process") // starts processes (RocketMQ JVMs, a lab, podman): not in the fast run (README)
class ControllerDataLossTest {
    private static final BenchResults bench = new BenchResults("controller-data-loss");
    @RegisterExtension
    static final RealCluster real = RealCluster.of(LocalRocketMqCluster.builder().clusterName("dl").groups(2)
            .replicasPerGroup(2).fastFailureDetection(true), Duration.ofSeconds(3));

    @Test
    void aControllerWithEmptyDataKnowsNoGroupAndElectsNothingUntilTheBrokersRegisterAgain() {
        // recorded in target/bench-results/controller-data-loss.json: repairs 1 and 2 are observations
        // (in 5.1.4 neither healed), repair 3 is asserted
        RocketMqProcess controller = real.cluster().controller(0);
        Map<String, String> mastersBefore = real.gateway().clusterView(false).masters();

        controller.restartWithEmptyData();
        assertThat(controller.awaitListening(Duration.ofSeconds(30))).isTrue();
        LocalRocketMqCluster.poll(Duration.ofSeconds(30), Duration.ofMillis(200), real::controllerHasLeader);
        RocketMqProcess.sleep(5_000);
        Map<String, SyncStateSet> afterRestart = real.syncStateSetsOrEmpty();
        bench.put("emptyController.syncStateSetsKnown5sAfterRestart", describe(afterRestart));
        bench.put("emptyController.mastersInClusterList5sAfterRestart", real.gateway().clusterView(false).masters());
        assertThat(real.gateway().clusterView(false).masters()).as("running traffic is unaffected").isEqualTo(mastersBefore);

        // a master dies now: can the empty controller replace it?
        String group = real.cluster().groupName(1);
        String master = mastersBefore.get(group);
        RocketMqProcess masterProcess = real.memberAt(master);
        long t0 = System.nanoTime();
        masterProcess.kill();
        Optional<Duration> promoted = ClusterWatch.awaitNewMasters(real.gateway(), Map.of(group, master),
                t0, Duration.ofSeconds(15));
        bench.put("emptyController.masterKilled.newMasterWithin15sMs", ClusterWatch.millis(promoted));
        bench.put("emptyController.masterKilled.syncStateSets", describe(real.syncStateSetsOrEmpty()));

        // repair 1: the dead master comes back with its data
        masterProcess.start();
        boolean healedByRestartingIt = LocalRocketMqCluster.poll(Duration.ofSeconds(15), Duration.ofMillis(250), this::healthy);
        bench.put("repair1.restartKilledMaster.healthyWithin15s", healedByRestartingIt);
        bench.put("repair1.masters", real.gateway().clusterView(false).masters());
        bench.put("repair1.syncStateSets", describe(real.syncStateSetsOrEmpty()));

        // repair 2: restart every broker with its data, one at a time
        long r0 = System.nanoTime();
        for (int g = 0; g < real.cluster().groupCount(); g++) {
            for (RocketMqProcess b : real.cluster().brokers(g)) {
                b.kill();
                b.start();
                b.awaitListening(Duration.ofSeconds(30));
            }
        }
        boolean healedByRollingRestart = LocalRocketMqCluster.poll(Duration.ofSeconds(15), Duration.ofMillis(250), this::healthy);
        bench.put("repair2.rollingRestartOfAllBrokers.healthyWithin15s", healedByRollingRestart);
        bench.put("repair2.rollingRestartOfAllBrokers.ms", (System.nanoTime() - r0) / 1_000_000);
        bench.put("repair2.masters", real.gateway().clusterView(false).masters());
        bench.put("repair2.syncStateSets", describe(real.syncStateSetsOrEmpty()));

        // repair 3: restart every broker without its broker-id files (storePathBrokerIdentity; messages kept)
        long m0 = System.nanoTime();
        java.util.List<String> removed = new java.util.ArrayList<>();
        for (int g = 0; g < real.cluster().groupCount(); g++) {
            for (RocketMqProcess b : real.cluster().brokers(g)) {
                b.kill();
                removed.addAll(deleteMetadataFiles(b.dir().resolve("store")));
            }
        }
        real.cluster().members().stream().filter(m -> m.role() == Role.BROKER).forEach(RocketMqProcess::start);
        boolean healedWithoutMetadata = LocalRocketMqCluster.poll(Duration.ofSeconds(60), Duration.ofMillis(250), this::healthy);
        bench.put("repair3.metadataFilesRemoved", removed);
        bench.put("repair3.restartWithoutBrokerMetadata.healthy", healedWithoutMetadata);
        bench.put("repair3.restartWithoutBrokerMetadata.ms", (System.nanoTime() - m0) / 1_000_000);
        bench.put("repair3.masters", real.gateway().clusterView(false).masters());
        bench.put("repair3.syncStateSets", describe(real.syncStateSetsOrEmpty()));

        assertThat(afterRestart).as("an empty controller knows no group").isEmpty();
        assertThat(promoted).as("no election by an empty controller").isEmpty();
        // the repair that worked: brokers re-apply for ids once their brokerIdentity file is gone
        assertThat(healedWithoutMetadata).as("healthy after restarting the brokers without brokerIdentity").isTrue();
    }

    private boolean healthy() {
        try {
            Map<String, String> masters = real.gateway().clusterView(false).masters();
            Map<String, SyncStateSet> sets = real.gateway().syncStateSets(real.cluster().groupNames());
            return real.cluster().groupNames().stream().allMatch(g -> masters.containsKey(g) && sets.containsKey(g)
                    && sets.get(g).aliveInSync() == real.cluster().replicasPerGroup());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static java.util.List<String> deleteMetadataFiles(java.nio.file.Path store) {
        try (java.util.stream.Stream<java.nio.file.Path> walk = java.nio.file.Files.walk(store)) {
            java.util.List<java.nio.file.Path> files = walk.filter(p -> p.getFileName().toString().startsWith("brokerIdentity"))
                    .filter(java.nio.file.Files::isRegularFile).toList();
            for (java.nio.file.Path f : files) {
                java.nio.file.Files.delete(f);
            }
            return files.stream().map(p -> store.relativize(p).toString()).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Map<String, String> describe(Map<String, SyncStateSet> sets) {
        Map<String, String> d = new LinkedHashMap<>();
        sets.forEach((g, s) -> d.put(g, "master=" + s.masterAddress() + " id=" + s.masterBrokerId() + " epoch="
                + s.masterEpoch() + " inSync=" + s.inSync() + " notInSync=" + s.notInSync()));
        return d;
    }
}
