package io.crosszone.tasks.affinity;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class BrokerPodsBoundTest {
    private static Pod pod(String name, String node, String scheduled) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withNodeName(node).endSpec();
        if (scheduled != null) {
            b.withNewStatus().addNewCondition().withType("PodScheduled").withStatus(scheduled).endCondition().endStatus();
        }
        return b.build();
    }

    @Test
    void aMissingOrNotYetScheduledPodIsWaitedFor_aBoundOrUnschedulableOneIsNot() {
        List<Pod> pods = List.of(pod("broker-0-0-0", "k8s-node-01", "True"), pod("broker-0-1-0", null, null),
                pod("broker-1-0-0", null, "False"));
        assertThat(BrokerPodsBound.unbound(pods, List.of("broker-1-1", "broker-1-0", "broker-0-1", "broker-0-0")))
                .containsExactly("pod broker-0-1-0 to be scheduled", "pod broker-1-1-0 to be created");
    }
}
