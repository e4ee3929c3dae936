package io.crosszone.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.config.ZoneSpec;
import io.crosszone.core.Json;
import io.crosszone.core.Progress;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.k8s.RocketMqCrds;
import io.crosszone.k8s.RocketMqKind;
import io.crosszone.plan.BrokerPlacement;
import io.crosszone.plan.OperatorNames;
import io.crosszone.plan.PlacementPlanner;
import io.crosszone.rocketmq.RocketMqAccess;
import io.crosszone.tasks.verify.Verification;
import io.crosszone.tasks.verify.VerifyDistributionTask;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Benchmark (run with {@code mvn -Pbench test}), not a test: verify-distribution --all-namespaces
 * over a synthetic fleet of 2,000 nodes and 100 Broker CRs in as many namespaces, on the mock API.
 * Records the requests per resource kind (each kind must be listed once for the whole fleet, not
 * once per pod or per namespace), the wall time and the heap into target/bench-results.
 */
class VerifyFleetBench {
    static final int NODES = 2000;
    static final int DEPLOYMENTS = 100;

    @Test
    void verifyAFleet() throws Exception {
        KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(List.of()), false);
        server.init(InetAddress.getByName("127.0.0.1"), 0);
        try (KubernetesClient client = server.createClient()) {
            long seed = System.nanoTime();
            fill(client);
            System.out.printf("[bench verify-fleet] filled the API in %.1f s%n", (System.nanoTime() - seed) / 1e9);
            drain(server);

            CrosszoneConfig config = new CrosszoneConfig();
            config.setZones(List.of(new ZoneSpec("az1", List.of()), new ZoneSpec("az2", List.of())));
            System.gc();
            resetPeaks();
            long start = System.nanoTime();
            List<Verification> results = new VerifyDistributionTask(new KubernetesGateway(client), RocketMqAccess.NONE,
                    Progress.silent(), Duration.ofSeconds(1)).verifyAll(config, VerifyDistributionTask.Options.CHECK_ONLY,
                    new ArrayList<>());
            long millis = (System.nanoTime() - start) / 1_000_000;
            long peakHeap = peakHeap();
            Map<String, Integer> byKind = new TreeMap<>();
            for (RecordedRequest r : drain(server)) {
                byKind.merge(r.getMethod() + " " + r.getPath().replaceAll("\\?.*", ""), 1, Integer::sum);
            }
            assertThat(results).hasSize(DEPLOYMENTS);
            assertThat(results.get(0).brokers()).hasSize(6);
            // one request per kind for the whole fleet
            assertThat(byKind.values()).allMatch(n -> n == 1);
            assertThat(byKind).hasSizeLessThanOrEqualTo(8);
            Map<String, Object> bench = new LinkedHashMap<>();
            bench.put("nodes", NODES);
            bench.put("deployments", DEPLOYMENTS);
            bench.put("pods", DEPLOYMENTS * 9);
            bench.put("wallMillis", millis);
            bench.put("peakHeapBytes", peakHeap);
            bench.put("requests", byKind);
            String json = io.crosszone.core.Json.write(bench);
            System.out.println("[bench verify-fleet] " + json);
            Files.createDirectories(Path.of("target/bench-results"));
            Files.writeString(Path.of("target/bench-results/verify-fleet.json"), json);
        } finally {
            server.destroy();
        }
    }

    private static void fill(KubernetesClient c) {
        RocketMqCrds.all().forEach(crd -> c.apiextensions().v1().customResourceDefinitions().resource(crd).create());
        for (int n = 0; n < NODES; n++) {
            c.nodes().resource(new NodeBuilder().withNewMetadata().withName("node-" + n)
                    .withLabels(Map.of("az", n % 2 == 0 ? "az1" : "az2", "kubernetes.io/hostname", "node-" + n)).endMetadata()
                    .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus()
                    .build()).create();
        }
        CrosszoneConfig shape = new CrosszoneConfig();
        shape.setZones(List.of(new ZoneSpec("az1", List.of()), new ZoneSpec("az2", List.of())));
        shape.getBrokers().setGroups(3);
        shape.getBrokers().setReplicasPerGroup(2);
        List<BrokerPlacement> placements = PlacementPlanner.plan(shape).brokers();
        int node = 0;
        for (int d = 0; d < DEPLOYMENTS; d++) {
            String ns = "rmq-" + d;
            c.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
            c.genericKubernetesResources(RocketMqKind.BROKER.context()).inNamespace(ns).resource(
                    new GenericKubernetesResourceBuilder().withApiVersion(OperatorNames.API_VERSION).withKind("Broker")
                            .withNewMetadata().withName("broker").withNamespace(ns).endMetadata()
                            .addToAdditionalProperties("spec", Map.of("size", 3, "replicaPerGroup", 1, "clusterMode", "CONTROLLER"))
                            .build()).create();
            for (BrokerPlacement p : placements) {
                c.apps().statefulSets().inNamespace(ns).resource(new StatefulSetBuilder().withNewMetadata()
                        .withName(p.statefulSet()).endMetadata().withNewSpec().withReplicas(1).withNewSelector()
                        .withMatchLabels(OperatorNames.brokerLabels("broker")).endSelector().withNewTemplate().withNewMetadata()
                        .withLabels(OperatorNames.brokerLabels("broker")).endMetadata().withNewSpec()
                        .withAffinity(p.affinity()).addNewContainer().withName("broker").endContainer().endSpec()
                        .endTemplate().endSpec().build()).create();
                c.pods().inNamespace(ns).resource(pod(p.statefulSet() + "-0", OperatorNames.brokerLabels("broker"),
                        "node-" + (node++ % NODES), d)).create();
            }
            for (int i = 0; i < 2; i++) {
                c.pods().inNamespace(ns).resource(pod("namesrv-" + i, OperatorNames.nameServiceLabels("namesrv"),
                        "node-" + (node++ % NODES), d)).create();
            }
            c.pods().inNamespace(ns).resource(pod("controller-0", OperatorNames.controllerLabels("controller"),
                    "node-" + (node++ % NODES), d)).create();
        }
    }

    private static Pod pod(String name, Map<String, String> labels, String node, int d) {
        return new PodBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP("192.0.2." + (d % 250))
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build();
    }

    private static List<RecordedRequest> drain(KubernetesMockServer server) throws InterruptedException {
        List<RecordedRequest> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
            out.add(r);
        }
        return out;
    }

    private static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }
}
