package io.crosszone.tasks.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.core.Progress;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.lab.kubelet.KubeletDouble;
import io.crosszone.tasks.drill.ZonePods.PodInfo;
import io.crosszone.tasks.drill.ZonePods.Role;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a drill's report says its cut was enforced, read back from the cluster (mock API). */
@EnableKubernetesMockClient(crud = true)
class ZoneCutTest {
    KubernetesClient client;

    private static final ZonePods PODS = new ZonePods(Map.of("n1", "az1", "n2", "az2"), Map.of(),
            List.of(new PodInfo("broker-0-0-0", Role.BROKER, "n1", "10.0.0.1", true, 0, 0, Map.of()),
                    new PodInfo("broker-0-1-0", Role.BROKER, "n2", "10.0.0.2", true, 0, 1, Map.of()),
                    new PodInfo("namesrv-0", Role.NAME_SERVER, "n2", "10.0.1.1", true, -1, -1, Map.of())));

    private DrillPlan plan(DrillMode mode) {
        return DrillPlan.plan("rocketmq", "az", List.of("az1", "az2"), "az2", mode, PODS, Map.of(0, "10.0.0.2:10911"),
                Duration.ofMinutes(15));
    }

    @Test
    void theLabsAnnotationNamesItsNetworkModelElseTheClustersCni() {
        ZoneCut cut = new ZoneCut(new KubernetesGateway(client), "rocketmq", Progress.silent());
        DrillPlan plan = plan(DrillMode.PARTITION);
        new KubernetesGateway(client).createNetworkPolicy(plan.networkPolicy());
        assertThat(cut.networkModel(plan)).isEqualTo("network-policy");

        // the lab's kubelet double stamps the policy it enforces
        client.network().v1().networkPolicies().inNamespace("rocketmq").withName(plan.networkPolicy().getMetadata().getName())
                .edit(p -> {
                    p.getMetadata().setAnnotations(Map.of(KubeletDouble.NETWORK_MODEL_ANNOTATION, "packet-drop"));
                    return p;
                });
        assertThat(cut.networkModel(plan)).isEqualTo("packet-drop");
        assertThat(ZoneCut.LAB_NETWORK_MODEL).isEqualTo(KubeletDouble.NETWORK_MODEL_ANNOTATION);
    }

    @Test
    void everyModeSaysWhatItModels() {
        assertThat(DrillMode.PARTITION.models()).contains("the zone goes silent");
        assertThat(DrillMode.KILL.models()).contains("broker pods crash");
        assertThat(DrillMode.CHAOS_MESH.models()).contains("NetworkChaos");
    }
}
