package io.crosszone.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.core.RuntimeFailure;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.plan.OperatorNames;
import io.crosszone.rocketmq.RocketMqEndpoints;
import io.crosszone.rocketmq.RocketMqException;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which pods {@link RocketMqDiscovery} turns into RocketMQ endpoints, on the mock Kubernetes API (CRUD mode). */
@EnableKubernetesMockClient(crud = true)
class RocketMqDiscoveryTest {
    private static final RocketMqDiscovery.Where WHERE = new RocketMqDiscovery.Where("rocketmq", "namesrv", "controller");
    KubernetesClient client;

    private void pod(String name, Map<String, String> labels, String ip, boolean ready, boolean terminating) {
        client.pods().inNamespace("rocketmq").resource(new PodBuilder().withNewMetadata().withName(name).withLabels(labels)
                .withFinalizers(terminating ? List.of("test.crosszone.io/keep") : List.of()).endMetadata()
                .withNewSpec().endSpec().withNewStatus().withPhase("Running").withPodIP(ip)
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition().endStatus().build())
                .create();
        if (terminating) { // the finalizer keeps it, with a deletionTimestamp, as a pod being shut down
            client.pods().inNamespace("rocketmq").withName(name).delete();
        }
    }

    @Test
    void readyPodsOnlySortedWithTheirPort() {
        Map<String, String> ns = OperatorNames.nameServiceLabels("namesrv");
        pod("namesrv-b", ns, "10.0.0.9", true, false);
        pod("namesrv-a", ns, "10.0.0.10", true, false);
        pod("namesrv-not-ready", ns, "10.0.0.11", false, false);
        pod("namesrv-terminating", ns, "10.0.0.12", true, true);
        pod("namesrv-no-ip", ns, "", true, false);
        pod("other-namesrv", OperatorNames.nameServiceLabels("other"), "10.0.0.13", true, false);
        pod("controller-0", OperatorNames.controllerLabels("controller"), "10.0.1.5", true, false);
        KubernetesGateway k8s = new KubernetesGateway(client);
        assertThat(client.pods().inNamespace("rocketmq").withName("namesrv-terminating").get().getMetadata()
                .getDeletionTimestamp()).isNotNull();

        assertThat(RocketMqDiscovery.nameServers(k8s, WHERE)).containsExactly("10.0.0.10:9876", "10.0.0.9:9876");
        assertThat(RocketMqDiscovery.controllers(k8s, WHERE)).containsExactly("10.0.1.5:9878");
        RocketMqEndpoints found = RocketMqDiscovery.find(k8s, WHERE, Duration.ofSeconds(2)).orElseThrow();
        assertThat(found).isEqualTo(new RocketMqEndpoints(List.of("10.0.0.10:9876", "10.0.0.9:9876"),
                List.of("10.0.1.5:9878"), Duration.ofSeconds(2)));
        CrosszoneConfig config = new CrosszoneConfig();
        config.setNamespace("rocketmq");
        assertThat(RocketMqDiscovery.endpoints(k8s, config, Duration.ofSeconds(2))).isEqualTo(found);
    }

    @Test
    void noReadyNameServerIsEmptyOrTheCallersException() {
        pod("namesrv-0", OperatorNames.nameServiceLabels("namesrv"), "10.0.0.9", false, false);
        pod("controller-0", OperatorNames.controllerLabels("controller"), "10.0.1.5", true, false);
        KubernetesGateway k8s = new KubernetesGateway(client);

        assertThat(RocketMqDiscovery.find(k8s, WHERE, Duration.ofSeconds(2))).isEmpty();
        assertThatThrownBy(() -> RocketMqDiscovery.endpoints(k8s, WHERE, Duration.ofSeconds(2), RocketMqException::new))
                .isExactlyInstanceOf(RocketMqException.class)
                .hasMessage("no Ready name-server pod of NameService 'namesrv' in namespace rocketmq: RocketMQ cannot be asked");
        CrosszoneConfig config = new CrosszoneConfig();
        config.setNamespace("rocketmq");
        assertThatThrownBy(() -> RocketMqDiscovery.endpoints(k8s, config, Duration.ofSeconds(2)))
                .isExactlyInstanceOf(RuntimeFailure.class);
    }
}
