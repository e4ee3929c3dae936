package io.crosszone.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class VolumeTopologyTest {
    private static Node node(String name, String dc, String az) {
        return new NodeBuilder().withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name)
                .addToLabels("topology.kubernetes.io/zone", dc).addToLabels("az", az).endMetadata().build();
    }

    private static PersistentVolume pinned(String key, String... values) {
        return new PersistentVolumeBuilder().withNewMetadata().withName("pv").endMetadata().withNewSpec().withNewNodeAffinity()
                .withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression().withKey(key).withOperator("In")
                .withValues(values).endMatchExpression().endNodeSelectorTerm().endRequired().endNodeAffinity().endSpec().build();
    }

    private final List<Node> nodes = List.of(node("n1", "dc-a", "az1"), node("n2", "dc-a", "az1"), node("n3", "dc-b", "az2"));

    @Test
    void aZonalDiskIsAttachableOnlyInItsZone_seenThroughTheTaskZoneLabel() {
        PersistentVolume zonal = pinned("topology.kubernetes.io/zone", "dc-a");
        assertThat(VolumeTopology.attachable(zonal, nodes.get(0))).isTrue();
        assertThat(VolumeTopology.attachable(zonal, nodes.get(2))).isFalse();
        assertThat(VolumeTopology.zones(zonal, nodes, "az")).containsExactly("az1");
    }

    @Test
    void aLocalDiskOnlyOnItsNode_networkStorageAnywhere() {
        PersistentVolume local = pinned("kubernetes.io/hostname", "n3");
        assertThat(VolumeTopology.zones(local, nodes, "az")).containsExactly("az2");
        assertThat(VolumeTopology.attachable(local, nodes.get(1))).isFalse();
        PersistentVolume network = new PersistentVolumeBuilder().withNewMetadata().withName("nfs").endMetadata()
                .withNewSpec().endSpec().build();
        assertThat(VolumeTopology.zones(network, nodes, "az")).containsExactly("az1", "az2");
    }
}
