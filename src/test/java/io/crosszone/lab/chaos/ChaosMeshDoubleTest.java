package io.crosszone.lab.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.lab.network.PodPartitions;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The double's reading of NetworkChaos against the mock API, with the network's side recorded. */
@EnableKubernetesMockClient(crud = true)
class ChaosMeshDoubleTest {
    private static final String NS = "rocketmq";
    private static final String ZONE = "topology.kubernetes.io/zone";

    KubernetesClient client;

    private final Recording network = new Recording();
    private final List<String> log = new ArrayList<>();
    private final MutableClock clock = new MutableClock(Instant.now());

    @Test
    void theCrdMakesTheApiServeNetworkChaos() {
        KubernetesGateway k8s = new KubernetesGateway(client);
        assertThat(k8s.servesKind("chaos-mesh.org/v1alpha1", "NetworkChaos")).isFalse();
        try (ChaosMeshDouble ignored = start()) {
            assertThat(k8s.servesKind("chaos-mesh.org/v1alpha1", "NetworkChaos")).isTrue();
            assertThat(k8s.servesKind("chaos-mesh.org/v1alpha1", "PodChaos")).isFalse();
        }
    }

    @Test
    void aDrillsPartitionIsTheRunningPodsOnEachZonesNodes_resolvedAgainEachPoll_healedWhenDeleted() {
        nodes();
        pod("ns-0", "n1", "10.9.9.1", "Running");
        pod("broker-0-0-0", "n2", "10.9.9.2", "Running");
        pod("broker-0-1-0", "n3", "10.9.9.3", "Running");
        pod("broker-1-1-0", "n4", null, "Pending"); // not started yet: no IP, nothing to cut
        try (ChaosMeshDouble chaos = start()) {
            client.genericKubernetesResources(ChaosMeshDouble.NETWORK_CHAOS).inNamespace(NS)
                    .resource(drillChaos("az1", "az2", "360s")).create();
            chaos.sync();
            assertThat(network.inForce).containsExactly(Map.entry("rocketmq/crosszone-drill-az1-az2",
                    "[10.9.9.1, 10.9.9.2] BOTH [10.9.9.3]"));

            // broker-0-0 is made again in az2 (its StatefulSet), and broker-1-1 starts: both now on the other side
            client.pods().inNamespace(NS).withName("broker-0-0-0").delete();
            pod("broker-0-0-0", "n4", "10.9.9.2", "Running");
            client.pods().inNamespace(NS).withName("broker-1-1-0").delete();
            pod("broker-1-1-0", "n4", "10.9.9.4", "Running");
            chaos.sync();
            assertThat(network.inForce).containsExactly(Map.entry("rocketmq/crosszone-drill-az1-az2",
                    "[10.9.9.1] BOTH [10.9.9.2, 10.9.9.3, 10.9.9.4]"));

            client.genericKubernetesResources(ChaosMeshDouble.NETWORK_CHAOS).inNamespace(NS)
                    .withName("crosszone-drill-az1-az2").delete();
            chaos.sync();
            assertThat(network.inForce).isEmpty();
            assertThat(network.calls).last().isEqualTo("heal rocketmq/crosszone-drill-az1-az2");
            assertThat(log).anyMatch(l -> l.contains("crosszone-drill-az1-az2: healed"));
        }
    }

    @Test
    void itHealsWhenTheDurationHasPassed_andKeepsItHealedWhileTheObjectStays() {
        nodes();
        pod("a", "n1", "10.9.9.1", "Running");
        pod("b", "n3", "10.9.9.3", "Running");
        try (ChaosMeshDouble chaos = start()) {
            clock.now = Instant.now(); // the mock stamps creationTimestamp with the real time
            client.genericKubernetesResources(ChaosMeshDouble.NETWORK_CHAOS).inNamespace(NS)
                    .resource(drillChaos("az1", "az2", "1m30s")).create();
            chaos.sync();
            clock.now = clock.now.plus(Duration.ofSeconds(89));
            chaos.sync();
            assertThat(network.inForce).hasSize(1);
            clock.now = clock.now.plus(Duration.ofSeconds(2));
            chaos.sync();
            chaos.sync();
            assertThat(network.inForce).isEmpty();
            assertThat(network.calls).filteredOn(c -> c.startsWith("heal")).hasSize(1);
            assertThat(log).anyMatch(l -> l.contains("duration PT1M30S passed"));
        }
    }

    @Test
    void whatItDoesNotModelIsLeftAloneAndSaidOnce() {
        nodes();
        pod("a", "n1", "10.9.9.1", "Running");
        pod("b", "n3", "10.9.9.3", "Running");
        try (ChaosMeshDouble chaos = start()) {
            GenericKubernetesResource one = drillChaos("az1", "az2", "60s");
            one.getMetadata().setName("one");
            spec(one).put("mode", "one");
            GenericKubernetesResource delay = drillChaos("az1", "az2", "60s");
            delay.getMetadata().setName("delay");
            spec(delay).put("action", "delay");
            GenericKubernetesResource byName = drillChaos("az1", "az2", "60s");
            byName.getMetadata().setName("by-name");
            spec(byName).put("selector", Map.of("pods", Map.of(NS, List.of("a"))));
            for (GenericKubernetesResource o : List.of(one, delay, byName)) {
                client.genericKubernetesResources(ChaosMeshDouble.NETWORK_CHAOS).inNamespace(NS).resource(o).create();
            }
            chaos.sync();
            chaos.sync();
            assertThat(network.calls).isEmpty();
            assertThat(log).filteredOn(l -> l.contains("not modelled")).hasSize(3)
                    .anyMatch(l -> l.contains("rocketmq/one") && l.contains("mode one"))
                    .anyMatch(l -> l.contains("rocketmq/delay") && l.contains("action delay"))
                    .anyMatch(l -> l.contains("rocketmq/by-name") && l.contains("selector.pods"));
        }
    }

    @Test
    void labelSelectorsAndDirectionToAreHonoured_andTheDefaultNamespaceIsTheObjectsOwn() {
        nodes();
        pod("ctl-0", "n1", "10.9.9.1", "Running", Map.of("app", "controller"));
        pod("broker-0-0-0", "n1", "10.9.9.2", "Running", Map.of("app", "broker"));
        pod("broker-0-1-0", "n3", "10.9.9.3", "Running", Map.of("app", "broker"));
        try (ChaosMeshDouble chaos = start()) {
            GenericKubernetesResource o = drillChaos("az1", "az2", null);
            spec(o).remove("direction"); // Chaos Mesh's default: to
            spec(o).put("selector", Map.of("labelSelectors", Map.of("app", "controller")));
            client.genericKubernetesResources(ChaosMeshDouble.NETWORK_CHAOS).inNamespace(NS).resource(o).create();
            chaos.sync();
            assertThat(network.inForce).containsExactly(Map.entry("rocketmq/crosszone-drill-az1-az2",
                    "[10.9.9.1] TO [10.9.9.3]"));
        }
        assertThat(network.inForce).as("closing the double heals what it made").isEmpty();
    }

    @Test
    void goDurations() {
        assertThat(ChaosMeshDouble.goDuration("360s")).isEqualTo(Duration.ofSeconds(360));
        assertThat(ChaosMeshDouble.goDuration("1h2m3s")).isEqualTo(Duration.ofSeconds(3723));
        assertThat(ChaosMeshDouble.goDuration("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(ChaosMeshDouble.goDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        for (String bad : List.of("", "10", "5 m", "1d", "s")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ChaosMeshDouble.goDuration(bad))
                    .as(bad).isInstanceOf(ChaosMeshDouble.NotModelled.class);
        }
    }

    private ChaosMeshDouble start() {
        return new ChaosMeshDouble(client, NS, network, 3_600_000, log::add, clock);
    }

    /** What failover-drill --mode chaos-mesh creates (DrillPlan.chaos): zone -> other, both ways, mode all. */
    private static GenericKubernetesResource drillChaos(String zone, String other, String duration) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("action", "partition");
        spec.put("mode", "all");
        spec.put("direction", "both");
        spec.put("selector", Map.of("namespaces", List.of(NS), "nodeSelectors", Map.of(ZONE, zone)));
        spec.put("target", Map.of("mode", "all", "selector", Map.of("namespaces", List.of(NS), "nodeSelectors",
                Map.of(ZONE, other))));
        if (duration != null) {
            spec.put("duration", duration);
        }
        return new GenericKubernetesResourceBuilder().withApiVersion("chaos-mesh.org/v1alpha1").withKind("NetworkChaos")
                .withNewMetadata().withName("crosszone-drill-" + zone + "-" + other).withNamespace(NS).endMetadata()
                .addToAdditionalProperties("spec", spec).build();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource o) {
        return (Map<String, Object>) o.getAdditionalProperties().get("spec");
    }

    private void nodes() {
        Map<String, String> zones = Map.of("n1", "az1", "n2", "az1", "n3", "az2", "n4", "az2");
        zones.forEach((n, z) -> client.nodes().resource(new NodeBuilder().withNewMetadata().withName(n)
                .addToLabels(ZONE, z).endMetadata().build()).create());
    }

    private void pod(String name, String node, String ip, String phase) {
        pod(name, node, ip, phase, Map.of("app", "rocketmq"));
    }

    private void pod(String name, String node, String ip, String phase, Map<String, String> labels) {
        Pod p = new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).withLabels(labels).endMetadata()
                .withNewSpec().withNodeName(node).endSpec()
                .withNewStatus().withPhase(phase).withPodIP(ip).endStatus().build();
        client.pods().inNamespace(NS).resource(p).create();
    }

    /** The partition interface, recorded: calls in order and what is in force now. */
    static final class Recording implements PodPartitions {
        final List<String> calls = new ArrayList<>();
        final Map<String, String> inForce = new TreeMap<>();

        @Override
        public void partition(String id, Collection<String> from, Collection<String> to, Direction direction) {
            String what = new TreeSet<>(from) + " " + direction + " " + new TreeSet<>(to);
            calls.add("partition " + id + " " + what);
            inForce.put(id, what);
        }

        @Override
        public void heal(String id) {
            calls.add("heal " + id);
            inForce.remove(id);
        }
    }

    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
