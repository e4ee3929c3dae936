package io.crosszone.tasks.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleNameServersTest {

    private static Deployment console(String javaOpts) {
        return new DeploymentBuilder().withNewMetadata().withName("console").endMetadata()
                .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("console")
                .addNewEnv().withName("OTHER").withValue("-Drocketmq.namesrv.addr=9.9.9.9:9876").endEnv()
                .addNewEnv().withName("JAVA_OPTS").withValue(javaOpts).endEnv()
                .endContainer().endSpec().endTemplate().endSpec().build();
    }

    @Test
    void readsTheAddressesTheOperatorRenderedIntoJavaOpts() {
        Deployment d = console("-Drocketmq.namesrv.addr=10.0.0.1:9876;10.0.0.2:9876 -Dcom.rocketmq.sendMessageWithVIPChannel=false");
        assertThat(ConsoleNameServers.of(d)).containsExactly("10.0.0.1:9876", "10.0.0.2:9876");
        assertThat(ConsoleNameServers.of(console("-Xmx256m"))).isEmpty();
    }

    @Test
    void aRestartHelpsOnlyWhenOneOfThemStillServes() {
        List<String> listed = List.of("10.0.0.1:9876", "10.0.0.2:9876");
        assertThat(ConsoleNameServers.unreachable("console", listed, List.of("10.0.0.2:9876"))).isNull();
        assertThat(ConsoleNameServers.unreachable("console", List.of(), List.of())).as("nothing to judge").isNull();
        String stale = ConsoleNameServers.unreachable("console", listed, List.of("10.0.0.7:9876"));
        assertThat(stale).contains("10.0.0.1:9876;10.0.0.2:9876").contains("serving: 10.0.0.7:9876")
                .contains("delete the Deployment");
    }
}
