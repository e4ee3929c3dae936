package io.crosszone.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.cli.Crosszone;
import io.crosszone.lab.rocketmq.LocalRocketMqCluster;
import io.crosszone.rocketmq.AdminRocketMqGateway;
import io.crosszone.rocketmq.ClusterView;
import io.crosszone.rocketmq.RocketMqAccess;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The lab's stand-ins together: the fixture's STATIC deployment, switched to CONTROLLER mode by the
 * real task, comes up as a real RocketMQ cluster whose addresses are the pods' IPs; deleting a
 * pod kills its process, and the recreated pod runs it again.
 */
@Tag("process") // starts processes (RocketMQ JVMs, a lab, podman): not in the fast run (README)
class LabEnvironmentTest {

    @Test
    void aSwitchedDeploymentRunsAsARealControllerModeCluster(@TempDir Path reports) throws Exception {
        LabShape shape = new LabShape(2, 2, List.of("az1", "az2"), 2,
                io.crosszone.lab.operator.OperatorDouble.Flavour.UPSTREAM, true, Path.of("target/lab-test"));
        StringWriter log = new StringWriter();
        try (LabEnvironment lab = LabEnvironment.start(shape, line -> log.append(line).append('\n'))) {
            LocalRocketMqCluster rocketmq = lab.rocketmq();
            // the name-server pods the fixture left Running are adopted: real processes, their IPs
            assertThat(LocalRocketMqCluster.poll(Duration.ofSeconds(60), Duration.ofMillis(200), () ->
                    rocketmq.nameServer(0).isRunning() && ip(lab, "namesrv-0").equals(rocketmq.nameServer(0).address())))
                    .as(log.toString()).isTrue();
            // what the operator rendered at install time names the name servers that really run
            String javaOpts = lab.client().apps().deployments().inNamespace("rocketmq").withName("console").get()
                    .getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                    .filter(e -> e.getName().equals("JAVA_OPTS")).findFirst().orElseThrow().getValue();
            assertThat(javaOpts).contains("-Drocketmq.namesrv.addr=" + rocketmq.nameServer(0).address() + ":9876;"
                    + rocketmq.nameServer(1).address() + ":9876");

            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine cl = Crosszone.commandLine(lab.clients(), RocketMqAccess.ADMIN_API);
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute("switch-to-controller-mode", "--zones", "az1,az2", "--controller-storage-mode", "EmptyDir",
                    "--delete-static-data", "--report-dir", reports.toString(), "--poll-interval", "500ms", "--timeout", "3m");
            assertThat(code).as(out + "\n" + err + "\n" + log).isZero();
            assertThat(out.toString()).doesNotContain("masters were not checked");

            try (AdminRocketMqGateway admin = rocketmq.gateway(Duration.ofSeconds(3))) {
                ClusterView view = admin.clusterView(false);
                assertThat(view.masters()).containsOnlyKeys("broker-0", "broker-1");
                // every registered broker is a pod IP
                for (String addr : view.masters().values()) {
                    String host = addr.substring(0, addr.indexOf(':'));
                    assertThat(lab.client().pods().inNamespace("rocketmq").list().getItems())
                            .anyMatch(p -> host.equals(p.getStatus().getPodIP()));
                }
            }

            // a deleted broker pod kills its process; its StatefulSet brings it back with its data
            Pod before = lab.client().pods().inNamespace("rocketmq").withName("broker-1-1-0").get();
            long pidBefore = rocketmq.broker(1, 1).pid().orElseThrow();
            lab.client().pods().inNamespace("rocketmq").withName("broker-1-1-0").withGracePeriod(0).delete();
            assertThat(LocalRocketMqCluster.poll(Duration.ofSeconds(10), Duration.ofMillis(50),
                    () -> ProcessHandle.of(pidBefore).map(p -> !p.isAlive()).orElse(true))).as(log.toString()).isTrue();
            assertThat(LocalRocketMqCluster.poll(Duration.ofSeconds(90), Duration.ofMillis(200), () -> {
                Pod p = lab.client().pods().inNamespace("rocketmq").withName("broker-1-1-0").get();
                return p != null && !p.getMetadata().getUid().equals(before.getMetadata().getUid())
                        && rocketmq.broker(1, 1).isRunning() && rocketmq.broker(1, 1).pid().orElse(pidBefore) != pidBefore;
            })).as(log.toString()).isTrue();
            rocketmq.awaitHealthy(Duration.ofSeconds(90));
            assertThat(lab.operatorErrors()).isEmpty();
        }
    }

    private static String ip(LabEnvironment lab, String pod) {
        Pod p = lab.client().pods().inNamespace("rocketmq").withName(pod).get();
        return p == null || p.getStatus() == null || p.getStatus().getPodIP() == null ? "" : p.getStatus().getPodIP();
    }
}
