package io.crosszone.tasks.affinity;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class TolerationsTest {
    @Test
    void taintsNeedAMatchingToleration() {
        Taint master = new TaintBuilder().withKey("node-role.kubernetes.io/control-plane").withEffect("NoSchedule").build();
        Taint prefer = new TaintBuilder().withKey("x").withEffect("PreferNoSchedule").build();
        Taint dedicated = new TaintBuilder().withKey("dedicated").withValue("mq").withEffect("NoExecute").build();
        Toleration anyControlPlane = new TolerationBuilder().withKey("node-role.kubernetes.io/control-plane")
                .withOperator("Exists").build();
        Toleration mq = new TolerationBuilder().withKey("dedicated").withOperator("Equal").withValue("mq")
                .withEffect("NoExecute").build();
        Toleration other = new TolerationBuilder().withKey("dedicated").withValue("db").build();
        Toleration everything = new TolerationBuilder().withOperator("Exists").build();

        assertThat(Tolerations.tolerates(null, null)).isTrue();
        assertThat(Tolerations.tolerates(null, List.of(prefer))).isTrue();
        assertThat(Tolerations.tolerates(null, List.of(master))).isFalse();
        assertThat(Tolerations.tolerates(List.of(anyControlPlane), List.of(master))).isTrue();
        assertThat(Tolerations.tolerates(List.of(anyControlPlane), List.of(master, dedicated))).isFalse();
        assertThat(Tolerations.tolerates(List.of(anyControlPlane, mq), List.of(master, dedicated))).isTrue();
        assertThat(Tolerations.tolerates(List.of(other), List.of(dedicated))).isFalse();
        assertThat(Tolerations.tolerates(List.of(everything), List.of(master, dedicated))).isTrue();
    }
}
