package io.crosszone.lab.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.k8s.RocketMqKind;
import io.crosszone.lab.StaticDeploymentFixture;
import io.crosszone.plan.OperatorNames;
import io.crosszone.support.ApiRequests;
import io.crosszone.support.Eventually;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class OperatorDoubleTest {
    KubernetesMockServer server;
    KubernetesClient client;

    private final StaticDeploymentFixture fixture = StaticDeploymentFixture.runbook();

    private List<String> brokerStatefulSets() {
        return new KubernetesGateway(client).statefulSetsSelecting("rocketmq", OperatorNames.brokerLabels("broker"))
                .stream().map(s -> s.getMetadata().getName()).sorted().toList();
    }

    @Test
    void aFixtureIsWhatTheDoubleWouldHaveBuilt_soItWritesNothing() {
        fixture.apply(client);
        ApiRequests.drain(server);
        try (OperatorDouble op = OperatorDouble.builder(client, "rocketmq").resync(Duration.ofMillis(100)).start()) {
            op.reconcileNow();
            op.reconcileNow();
            assertThat(op.errors()).isEmpty();
        }
        assertThat(ApiRequests.writes(server)).isEmpty();
        assertThat(brokerStatefulSets()).containsExactly("broker-0-master", "broker-0-replica-1", "broker-1-master",
                "broker-1-replica-1", "broker-2-master", "broker-2-replica-1");
    }

    @Test
    void switchingToControllerModeCreatesNewStatefulSetsAndKeepsTheStaticOnes() {
        fixture.apply(client);
        KubernetesGateway k8s = new KubernetesGateway(client);
        try (OperatorDouble op = OperatorDouble.builder(client, "rocketmq").resync(Duration.ofMillis(100)).start()) {
            k8s.mergePatchCr(RocketMqKind.BROKER, "rocketmq", "broker", Map.of("spec", Map.of("clusterMode", "CONTROLLER")));
            op.reconcileNow();
            // no controller yet: upstream waits for one before creating CONTROLLER-mode brokers
            assertThat(brokerStatefulSets()).hasSize(6);

            k8s.createCr(RocketMqKind.CONTROLLER, new io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder()
                    .withApiVersion(OperatorNames.API_VERSION).withKind("Controller")
                    .withNewMetadata().withName("controller").withNamespace("rocketmq").endMetadata()
                    .addToAdditionalProperties("spec", Map.of("size", 1, "storageMode", "StorageClass",
                            "controllerImage", "img", "volumeClaimTemplates", List.of(Map.of(
                                    "metadata", Map.of("name", "controller-storage"),
                                    "spec", Map.of("accessModes", List.of("ReadWriteOnce"))))))
                    .build());
            Eventually.until(Duration.ofSeconds(10), () -> brokerStatefulSets().size() == 12);
            op.reconcileNow();
            assertThat(brokerStatefulSets()).contains("broker-0-0", "broker-0-1", "broker-2-1", "broker-0-master");
            StatefulSet s = k8s.statefulSet("rocketmq", "broker-1-1").orElseThrow();
            List<EnvVar> env = s.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
            assertThat(env).extracting(EnvVar::getName).containsSubsequence("NAMESRV_ADDR", "BROKER_ID",
                    "BROKER_CLUSTER_NAME", "BROKER_NAME", "POD_IP", "enableControllerMode", "controllerAddr");
            assertThat(env).filteredOn(e -> e.getName().equals("controllerAddr")).extracting(EnvVar::getValue)
                    .containsExactly("controller-svc:9878");
            assertThat(env).filteredOn(e -> e.getName().equals("BROKER_ID")).extracting(EnvVar::getValue)
                    .containsExactly("1");
            assertThat(client.services().inNamespace("rocketmq").withName("controller-svc-headless").get()).isNotNull();

            // the StatefulSet controller stand-in: pods Pending without node, PVCs from the template
            Eventually.until(Duration.ofSeconds(10), () -> k8s.pod("rocketmq", "broker-2-1-0").isPresent()
                    && k8s.pvc("rocketmq", "broker-storage-broker-2-1-0").isPresent()
                    && k8s.pod("rocketmq", "controller-0").isPresent());
            Pod p = k8s.pod("rocketmq", "broker-2-1-0").orElseThrow();
            assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
            assertThat(p.getSpec().getNodeName()).isNull();
            assertThat(p.getMetadata().getLabels()).containsEntry("broker_cr", "broker").containsEntry("app", "broker");
            assertThat(op.errors()).isEmpty();
        }
    }

    @Test
    void aDeletedPodIsRecreated_andADeletedStatefulSetTakesItsPodsAlong() {
        fixture.apply(client);
        KubernetesGateway k8s = new KubernetesGateway(client);
        try (OperatorDouble op = OperatorDouble.builder(client, "rocketmq").resync(Duration.ofMillis(100)).start()) {
            k8s.deletePod("rocketmq", "broker-0-master-0");
            Eventually.until(Duration.ofSeconds(10), () -> k8s.pod("rocketmq", "broker-0-master-0").isPresent());

            // upstream recreates a deleted StatefulSet (without any per-StatefulSet patch)
            k8s.mergePatchStatefulSet("rocketmq", "broker-1-master", Map.of("spec", Map.of("template",
                    Map.of("metadata", Map.of("labels", Map.of("patched", "yes"))))));
            k8s.deleteStatefulSet("rocketmq", "broker-1-master");
            Eventually.until(Duration.ofSeconds(10), () -> k8s.statefulSet("rocketmq", "broker-1-master").isPresent());
            assertThat(k8s.statefulSet("rocketmq", "broker-1-master").orElseThrow()
                    .getSpec().getTemplate().getMetadata().getLabels()).doesNotContainKey("patched");
        }
    }

    @Test
    void upstreamKeepsAPatchedStatefulSet_theKsmartdataForkRevertsIt() {
        fixture.apply(client);
        KubernetesGateway k8s = new KubernetesGateway(client);
        Map<String, Object> patch = Map.of("spec", Map.of("template", Map.of("spec",
                Map.of("nodeSelector", Map.of("az", "az1")))));
        try (OperatorDouble op = OperatorDouble.builder(client, "rocketmq").start()) {
            k8s.mergePatchStatefulSet("rocketmq", "broker-0-master", patch);
            op.reconcileNow();
            assertThat(k8s.statefulSet("rocketmq", "broker-0-master").orElseThrow()
                    .getSpec().getTemplate().getSpec().getNodeSelector()).containsEntry("az", "az1");
        }
        try (OperatorDouble op = OperatorDouble.builder(client, "rocketmq")
                .flavour(OperatorDouble.Flavour.KSMARTDATA).start()) {
            op.reconcileNow();
            assertThat(k8s.statefulSet("rocketmq", "broker-0-master").orElseThrow()
                    .getSpec().getTemplate().getSpec().getNodeSelector()).isNullOrEmpty();
        }
    }

    @Test
    void theConsoleDeploymentIsRenderedOnceFromTheNameServersOfThatMoment_andGoesWithItsCr() {
        fixture.apply(client);
        KubernetesGateway k8s = new KubernetesGateway(client);
        var deployments = client.apps().deployments().inNamespace("rocketmq");
        String javaOpts = javaOpts(deployments.withName("console").get());
        assertThat(javaOpts).startsWith("-Drocketmq.namesrv.addr=").contains(":9876");
        try (OperatorDouble op = OperatorDouble.builder(client, "rocketmq").resync(Duration.ofMillis(100)).start()) {
            // gone: created again, from the name servers running now
            deployments.withName("console").delete();
            Eventually.until(Duration.ofSeconds(10), () -> deployments.withName("console").get() != null);
            assertThat(javaOpts(deployments.withName("console").get())).isEqualTo(javaOpts);
            assertThat(deployments.withName("console").get().getMetadata().getOwnerReferences())
                    .extracting(o -> o.getKind() + "/" + o.getName()).containsExactly("Console/console");

            // a name server moved to another IP: upstream never re-renders the console (its TODO)
            Pod ns0 = k8s.pod("rocketmq", "namesrv-0").orElseThrow();
            ns0.getStatus().setPodIP("10.9.9.9");
            client.pods().inNamespace("rocketmq").resource(ns0).updateStatus();
            op.reconcileNow();
            assertThat(javaOpts(deployments.withName("console").get())).isEqualTo(javaOpts).doesNotContain("10.9.9.9");

            // the CR's replicas are followed; deleting the CR takes the Deployment along
            k8s.mergePatchCr(RocketMqKind.CONSOLE, "rocketmq", "console",
                    Map.of("spec", Map.of("consoleDeployment", Map.of("spec", Map.of("replicas", 2)))));
            Eventually.until(Duration.ofSeconds(10), () -> deployments.withName("console").get().getSpec().getReplicas() == 2);
            client.genericKubernetesResources(RocketMqKind.CONSOLE.context()).inNamespace("rocketmq").withName("console").delete();
            Eventually.until(Duration.ofSeconds(10), () -> deployments.withName("console").get() == null);
            assertThat(op.errors()).isEmpty();
        }
    }

    private static String javaOpts(io.fabric8.kubernetes.api.model.apps.Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getName().equals("JAVA_OPTS")).map(EnvVar::getValue).findFirst().orElseThrow();
    }
}
