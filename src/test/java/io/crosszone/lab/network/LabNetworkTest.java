package io.crosszone.lab.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A lab zone is a network: real processes (small JVMs) in two zones' namespaces, a cut, and what
 * each side sees. Needs root, iproute2 and iptables (skipped otherwise, but not in CI).
 */
@Tag("process")
@Tag("netns")
class LabNetworkTest {
    private static final int PORT = 7000;
    private static final int CLOSED_PORT = 7001;

    private final List<Process> processes = new ArrayList<>();
    private LabNetwork network;

    @BeforeEach
    void gate() {
        NetnsTests.requireNamespaces();
    }

    @AfterEach
    void cleanUp() {
        processes.forEach(Process::destroyForcibly);
        for (Process p : processes) {
            try {
                p.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (network != null) {
            String prefix = network.prefix();
            network.close();
            assertThat(Leftovers.present()).as("everything of " + prefix + " removed")
                    .doesNotContain(NetNames.idOfName(prefix));
        }
    }

    @Test
    void aCutZoneIsSilentBothWaysAndARestoredOneAnswersAgain() throws Exception {
        network = LabNetwork.create(List.of("az1", "az2"), System.out::println);
        String a = network.address(101);
        String a2 = network.address(102);
        String b = network.address(111);
        network.place(a, "az1");
        network.place(a2, "az1");
        network.place(b, "az2");
        serve("az1", a);
        serve("az2", b);

        // before: every path works, and a closed port answers with a reset
        assertThat(TcpPeer.connect(a, PORT, 3000, null)).isEqualTo("connected");
        assertThat(connectFrom("az2", a, PORT, b)).isEqualTo("connected");
        assertThat(connectFrom("az1", b, CLOSED_PORT, a)).isEqualTo("refused");
        try (Socket established = new Socket()) {
            established.connect(new InetSocketAddress(a, PORT), 3000);
            established.setSoTimeout(3000);
            assertThat(echo(established, 'x')).isEqualTo('x');

            long t0 = System.nanoTime();
            network.cut(List.of(a));
            System.out.println("cut took " + (System.nanoTime() - t0) / 1_000_000 + " ms");

            // an established connection: the write is accepted locally, no echo, no reset, no ACK
            OutputStream out = established.getOutputStream();
            out.write('y');
            out.flush();
            assertThatThrownBy(() -> established.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            assertThat(unackedTo(a)).as("the kernel holds the write unacknowledged").isTrue();
            // new connections from the host and from the other zone: no handshake, no reset
            assertThat(TcpPeer.connect(a, PORT, 2000, null)).isEqualTo("timeout");
            assertThat(connectFrom("az2", a, PORT, b)).isEqualTo("timeout");
            // what the cut pod opens itself gets no answer, not even the reset of a closed port
            assertThat(connectFrom("az1", b, CLOSED_PORT, a)).isEqualTo("timeout");
            // inside the zone, traffic keeps flowing (to the cut pod, too)
            assertThat(connectFrom("az1", a, PORT, a2)).isEqualTo("connected");
            // another pod of the zone, not cut, still reaches out
            assertThat(connectFrom("az1", b, PORT, a2)).isEqualTo("connected");

            network.restore(List.of(a));
            assertThat(TcpPeer.connect(a, PORT, 3000, null)).isEqualTo("connected");
            assertThat(connectFrom("az2", a, PORT, b)).isEqualTo("connected");
            assertThat(connectFrom("az1", b, CLOSED_PORT, a)).isEqualTo("refused");
            // TCP retransmits the held write once the path is back: the connection survived the cut
            established.setSoTimeout(30_000);
            assertThat(established.getInputStream().read()).isEqualTo('y');
        }
    }

    /** A Chaos Mesh partition: pods of one zone cannot reach the other's, the host still reaches them all. */
    @Test
    void aPartitionDropsPodToPodTrafficAcrossZonesOnly_andHealLiftsIt() throws Exception {
        network = LabNetwork.create(List.of("az1", "az2"), System.out::println);
        String a = network.address(101);
        String a2 = network.address(102);
        String b = network.address(111);
        network.place(a, "az1");
        network.place(a2, "az1");
        network.place(b, "az2");
        serve("az1", a);
        serve("az2", b);
        String chain = network.names().cutChain();

        long t0 = System.nanoTime();
        network.partition("ns/p", List.of(a, a2), List.of(b, "10.244.0.2"), PodPartitions.Direction.BOTH);
        System.out.println("partition took " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        network.partition("ns/p", List.of(a, a2), List.of(b), PodPartitions.Direction.BOTH); // idempotent
        assertThat(dropRules(chain)).as("4 pairs' rules, once; none for an address outside the block").hasSize(4);

        // across the zones, either way: no handshake, no reset
        assertThat(connectFrom("az2", a, PORT, b)).isEqualTo("timeout");
        assertThat(connectFrom("az1", b, PORT, a)).isEqualTo("timeout");
        assertThat(connectFrom("az1", b, CLOSED_PORT, a2)).isEqualTo("timeout");
        // the host (where the drill runs) still reaches both sides, and inside a zone nothing changes
        assertThat(TcpPeer.connect(a, PORT, 3000, null)).isEqualTo("connected");
        assertThat(TcpPeer.connect(b, PORT, 3000, null)).isEqualTo("connected");
        assertThat(connectFrom("az1", a, PORT, a2)).isEqualTo("connected");

        // re-resolved with fewer pods: only the difference changes
        network.partition("ns/p", List.of(a2), List.of(b), PodPartitions.Direction.BOTH);
        assertThat(dropRules(chain)).hasSize(2);
        assertThat(connectFrom("az2", a, PORT, b)).isEqualTo("connected");

        network.heal("ns/p");
        network.heal("ns/p"); // idempotent
        assertThat(dropRules(chain)).isEmpty();
        assertThat(network.partitionIds()).isEmpty();
        assertThat(connectFrom("az1", b, PORT, a2)).isEqualTo("connected");
        assertThat(connectFrom("az1", b, CLOSED_PORT, a2)).isEqualTo("refused");

        // one left in force goes with the lab's clean-up (cleanUp checks that nothing of it is left)
        network.partition("ns/q", List.of(a), List.of(b), PodPartitions.Direction.TO);
        assertThat(dropRules(chain)).hasSize(1);
    }

    private static List<String> dropRules(String chain) {
        return Shell.run("iptables", "-S", chain).lines().filter(l -> l.startsWith("-A ") && l.contains(" -d ")).toList();
    }

    @Test
    void theBlockIsUnreachableFromTheHostAndAZoneHasNoOtherRoute() {
        network = LabNetwork.create(List.of("az1", "az2"), System.out::println);
        String unplaced = network.address(200);
        assertThat(Shell.tryRun("ip", "route", "get", unplaced).output()).contains("No route to host");
        String ns = network.namespace("az1");
        assertThat(Shell.run("ip", "-n", ns, "-4", "route", "show").trim())
                .isEqualTo(network.block() + " dev eth0 scope link");
        assertThat(Shell.tryRun("ip", "-n", ns, "route", "get", "192.0.2.1").ok()).isFalse();
        assertThat(TcpPeer.connect(unplaced, PORT, 2000, null)).isEqualTo("unreachable");
        assertThat(network.exec("az2")).containsExactly("ip", "netns", "exec", network.namespace("az2"));
    }

    @Test
    void aKilledLabsLeftoversGoAtTheNextStartButALiveLabsStay() throws Exception {
        Process holder = new ProcessBuilder(java(), "-cp", classpath(), LabNetworkHolder.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        processes.add(holder);
        String line = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(line).as("the holder's prefix").isNotNull();
        int id = NetNames.idOfName(line.split(" ")[0]);

        assertThat(Leftovers.removeDead(System.out::println)).doesNotContain(id);
        assertThat(Leftovers.present()).contains(id);

        holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs
        assertThat(Leftovers.present()).as("a killed lab leaves its namespaces").contains(id);
        network = LabNetwork.create(List.of("az1"), System.out::println);
        assertThat(Leftovers.present()).doesNotContain(id).contains(network.names().id());
        assertThat(Shell.run("ip", "-4", "route", "show", "type", "unreachable")).doesNotContain(line.split(" ")[1]);
    }

    @Test
    void aLabLooksLiveToAnotherInTheSameJvmAndKeepsItsLock() throws Exception {
        network = LabNetwork.create(List.of("az1"), System.out::println);
        int id = network.names().id();
        assertThat(Ownership.tryAcquire(id)).isNull();
        assertThat(Leftovers.removeDead(System.out::println)).doesNotContain(id);
        // another process cannot take the lock either (closing a second channel would have dropped it)
        Process other = new ProcessBuilder(java(), "-cp", classpath(), LabNetworkHolder.class.getName(), "trylock",
                Ownership.DIR.resolve(id + ".lock").toString()).redirectErrorStream(true).start();
        processes.add(other);
        assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(other.exitValue()).as("another process cannot lock it while this lab lives").isNotZero();
    }

    private void serve(String zone, String ip) throws IOException {
        Process p = inZone(zone, "serve", ip, Integer.toString(PORT));
        String ready = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(ready).as("server on " + ip).isEqualTo("listening");
    }

    private String connectFrom(String zone, String ip, int port, String source) throws Exception {
        Process p = inZone(zone, "connect", ip, Integer.toString(port), "2000", source);
        String result = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor(30, TimeUnit.SECONDS);
        return result;
    }

    private Process inZone(String zone, String... args) throws IOException {
        List<String> command = new ArrayList<>(network.exec(zone));
        command.addAll(List.of(java(), "-cp", classpath(), TcpPeer.class.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        processes.add(p);
        return p;
    }

    private static char echo(Socket s, char c) throws IOException {
        s.getOutputStream().write(c);
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        return (char) in.read();
    }

    /** Whether ss shows unacknowledged bytes on a connection to {@code ip}. */
    private static boolean unackedTo(String ip) throws InterruptedException {
        for (int i = 0; i < 20; i++) {
            String ss = Shell.run("ss", "-tin", "dst", ip);
            if (ss.contains("unacked:")) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    private static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String classpath() {
        return Paths.get("target", "classes").toAbsolutePath() + ":" + Paths.get("target", "test-classes").toAbsolutePath();
    }
}
