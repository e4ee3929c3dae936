package io.crosszone.tasks.controllermode;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.k8s.BrokerCr;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StaticLeftoversTest {
    private static final BrokerCr CR = new BrokerCr(new GenericKubernetesResourceBuilder()
            .withNewMetadata().withName("broker").withNamespace("rocketmq").endMetadata()
            .addToAdditionalProperties("spec", Map.of("size", 1, "replicaPerGroup", 1,
                    "volumeClaimTemplates", List.of(Map.of("metadata", Map.of("name", "broker-storage")))))
            .build());

    private static Map<String, String> of(String cr) {
        return Map.of("app", "broker", "broker_cr", cr);
    }

    private static StatefulSet sts(String name, String cr) {
        return new StatefulSetBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNewSelector().withMatchLabels(of(cr)).endSelector().endSpec().build();
    }

    private static Pod pod(String name, String cr) {
        return new PodBuilder().withNewMetadata().withName(name).withLabels(of(cr)).endMetadata().build();
    }

    private static PersistentVolumeClaim pvc(String name, Map<String, String> labels) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build();
    }

    @Test
    void onlyThisCrsStaticNamesAreChosen() {
        StaticLeftovers left = StaticLeftovers.find(CR,
                List.of(sts("broker-0-master", "broker"), sts("broker-0-replica-1", "broker"), sts("broker-0-0", "broker"),
                        sts("broker-a-0-master", "broker-a"), sts("broker-0-master", "other")),
                List.of(pod("broker-0-master-0", "broker"), pod("broker-0-replica-1-0", "broker"),
                        pod("broker-0-0-0", "broker"), pod("broker-a-0-master-0", "broker-a")),
                List.of(pvc("broker-storage-broker-0-master-0", of("broker")),
                        pvc("broker-storage-broker-0-replica-1-0", of("broker")),
                        pvc("broker-storage-broker-0-0-0", of("broker")),            // CONTROLLER mode
                        pvc("broker-storage-broker-a-0-master-0", of("broker-a")),  // another CR, similar name
                        pvc("broker-storage-broker-0-master-0-copy", of("broker")), // not a StatefulSet claim name
                        pvc("broker-storage-broker-1-master-0", Map.of())));         // not labelled for this CR
        assertThat(left.statefulSets()).extracting(s -> s.getMetadata().getName())
                .containsExactly("broker-0-master", "broker-0-replica-1");
        assertThat(left.pods()).extracting(p -> p.getMetadata().getName())
                .containsExactly("broker-0-master-0", "broker-0-replica-1-0");
        assertThat(left.pvcs()).extracting(c -> c.getMetadata().getName())
                .containsExactly("broker-storage-broker-0-master-0", "broker-storage-broker-0-replica-1-0");
    }

    @Test
    void aCrWhoseNameEndsInADigitGroupIsNotConfused() {
        // CR "broker" must not take CR "broker-1"'s broker-1-0-master, nor the reverse
        assertThat(StaticLeftovers.isStaticPodName("broker", "broker-1-0-master-0")).isFalse();
        assertThat(StaticLeftovers.isStaticPodName("broker-1", "broker-1-0-master-0")).isTrue();
        assertThat(StaticLeftovers.isStaticClaimName("broker", "broker-storage", "broker-storage-broker-1-0-master-0")).isFalse();
    }
}
