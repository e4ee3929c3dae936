package io.crosszone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.core.ExitCodes;
import io.crosszone.k8s.KubernetesClients;
import io.crosszone.support.Cli;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An API server that accepts connections and never answers (a hung apiserver, a black-holed load
 * balancer): the task ends with exit 3 naming the API server, after fabric8's bounded retries, and
 * --api-timeout decides how long each try waits. Stands in for the API server: a plain socket that
 * reads nothing and writes nothing.
 */
class HangingApiServerTest {
    @TempDir
    Path dir;

    @Test
    void aServerThatNeverAnswersEndsTheTaskWithExit3NamingIt() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(server.accept()); // kept open, never answered
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            }, "hanging-api-server");
            acceptor.setDaemon(true);
            acceptor.start();
            String url = "http://127.0.0.1:" + server.getLocalPort();
            Path kubeconfig = kubeconfig(url);

            Cli.Result r = Cli.run(KubernetesClients.DEFAULT, "label-zones", "--kubeconfig", kubeconfig.toString(),
                    "--zones", "az1,az2", "--zone-nodes", "az1=n1", "--zone-nodes", "az2=n2", "--dry-run", "--api-timeout", "300ms");

            assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.RUNTIME_FAILURE);
            assertThat(r.err()).contains("crosszone label-zones: error:").contains(url).contains("did not answer in time");
            assertThat(r.err().lines().count()).as(r.err()).isLessThanOrEqualTo(3);
            assertThat(held).as("fabric8 tried again on a fresh connection before giving up").hasSizeGreaterThan(1);
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aTimeoutThatIsNotADurationOrNotAboveZeroIsBadInput() throws Exception {
        Path kubeconfig = kubeconfig("http://127.0.0.1:1");
        for (String bad : List.of("soon", "0s")) {
            Cli.Result r = Cli.run(KubernetesClients.DEFAULT, "label-zones", "--kubeconfig", kubeconfig.toString(),
                    "--zones", "az1,az2", "--zone-nodes", "az1=n1", "--zone-nodes", "az2=n2", "--dry-run", "--api-timeout", bad);
            assertThat(r.exitCode()).as(r.err()).isEqualTo(ExitCodes.BAD_INPUT);
            assertThat(r.err()).contains("--api-timeout");
        }
    }

    private Path kubeconfig(String server) throws IOException {
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: hung
                  cluster:
                    server: %s
                users:
                - name: u
                  user:
                    token: t
                contexts:
                - name: hung
                  context:
                    cluster: hung
                    user: u
                    namespace: rocketmq
                current-context: hung
                """.formatted(server));
        return file;
    }
}
