package io.crosszone.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.crosszone.lab.kubelet.KubeletDouble;
import io.crosszone.lab.network.LabNetwork;
import io.crosszone.lab.network.LabNetworkModel;
import io.crosszone.lab.operator.OperatorDouble;
import io.crosszone.lab.rocketmq.LocalRocketMqCluster;
import io.crosszone.lab.rocketmq.RocketMqProcess;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The lab's kubelet turns a deny-all NetworkPolicy into packet drops: the pod's process runs in its
 * node's zone's namespace, is not frozen, and stops answering (no handshake) until the policy goes.
 * Needs root, iproute2 and iptables (skipped otherwise, but not in CI).
 */
@Tag("process")
@Tag("netns")
class LabZoneCutTest {

    @Test
    void aDenyAllPolicyDropsThePodsPacketsInsteadOfFreezingIt() throws Exception {
        Optional<String> reason = LabNetwork.unavailableReason();
        if (reason.isPresent() && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must run the network-namespace tests, but: " + reason.get());
        }
        assumeTrue(reason.isEmpty(), () -> "skipped: network namespaces unavailable: " + reason.orElse(""));

        LabShape shape = new LabShape(1, 2, List.of("az1", "az2"), 2, OperatorDouble.Flavour.UPSTREAM, true,
                Path.of("target/lab-test"));
        StringBuilder log = new StringBuilder();
        String prefix;
        try (LabEnvironment lab = LabEnvironment.start(shape, line -> log.append(line).append('\n'))) {
            assertThat(lab.networkModel()).isEqualTo(LabNetworkModel.PACKET_DROP);
            assertThat(lab.networkLine()).startsWith("lab network: packet-drop");
            LabNetwork network = lab.network().orElseThrow();
            prefix = network.prefix();
            RocketMqProcess ns0 = lab.rocketmq().nameServer(0);
            RocketMqProcess ns1 = lab.rocketmq().nameServer(1);
            // the fixture's name-server pods run on k8s-node-01 and -02, both in az1
            assertThat(LocalRocketMqCluster.poll(Duration.ofSeconds(60), Duration.ofMillis(200),
                    () -> ns0.awaitListening(Duration.ofMillis(200)) && ns1.awaitListening(Duration.ofMillis(200))))
                    .as(log.toString()).isTrue();
            long pid = ns0.pid().orElseThrow();
            assertThat(run("ip", "netns", "identify", Long.toString(pid))).isEqualTo(network.namespace("az1"));
            assertThat(ns0.address()).startsWith(network.block().substring(0, network.block().lastIndexOf('.')));

            lab.client().network().v1().networkPolicies().inNamespace("rocketmq").resource(new NetworkPolicyBuilder()
                    .withNewMetadata().withName("cut-namesrv-0").endMetadata()
                    .withNewSpec().withNewPodSelector().addToMatchLabels("statefulset.kubernetes.io/pod-name", "namesrv-0")
                    .endPodSelector().withPolicyTypes("Ingress", "Egress").endSpec().build()).create();
            assertThat(LocalRocketMqCluster.poll(Duration.ofSeconds(10), Duration.ofMillis(100),
                    () -> network.cutAddresses().contains(ns0.address()))).as(log.toString()).isTrue();
            assertThat(connect(ns0.endpoint())).isEqualTo("timeout");
            assertThat(lab.client().network().v1().networkPolicies().inNamespace("rocketmq").withName("cut-namesrv-0").get()
                    .getMetadata().getAnnotations()).containsEntry(KubeletDouble.NETWORK_MODEL_ANNOTATION, "packet-drop");
            assertThat(state(pid)).as("not frozen").isNotEqualTo('T');
            assertThat(connect(ns1.endpoint())).as("the other pod of the zone").isEqualTo("connected");

            lab.client().network().v1().networkPolicies().inNamespace("rocketmq").withName("cut-namesrv-0").delete();
            assertThat(LocalRocketMqCluster.poll(Duration.ofSeconds(10), Duration.ofMillis(100),
                    () -> network.cutAddresses().isEmpty())).as(log.toString()).isTrue();
            assertThat(connect(ns0.endpoint())).isEqualTo("connected");
            assertThat(ns0.pid()).contains(pid);
        }
        assertThat(run("ip", "netns", "list")).doesNotContain(prefix + "z");
    }

    private static String connect(String endpoint) {
        String[] hp = endpoint.split(":");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), 2000);
            return "connected";
        } catch (SocketTimeoutException e) {
            return "timeout";
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The process state letter from /proc/PID/stat (T: stopped). */
    private static char state(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return out;
    }
}
