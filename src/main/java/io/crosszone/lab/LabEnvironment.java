package io.crosszone.lab;

import io.crosszone.lab.chaos.ChaosMeshDouble;
import io.crosszone.lab.kubelet.KubeletDouble;
import io.crosszone.lab.kubelet.PodCuts;
import io.crosszone.lab.network.LabNetwork;
import io.crosszone.lab.network.LabNetworkModel;
import io.crosszone.lab.operator.OperatorDouble;
import io.crosszone.lab.rocketmq.LocalRocketMqCluster;
import io.crosszone.lab.scheduler.SchedulerDouble;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A whole cluster on one machine, for the lab and the end-to-end tests: a Kubernetes API (the
 * fabric8 mock server in CRUD mode, in process, on 127.0.0.1), filled with a freshly installed
 * RocketMQ operator deployment in STATIC mode ({@link StaticDeploymentFixture}), and the parts a
 * real cluster plays behind the API: the operator ({@link OperatorDouble}), the scheduler
 * ({@link SchedulerDouble}) and the kubelets ({@link KubeletDouble}), which run every RocketMQ pod
 * as a real RocketMQ process of {@link LocalRocketMqCluster}, and, where the zones are network
 * namespaces, Chaos Mesh ({@link ChaosMeshDouble}: NetworkChaos partitions). {@link #close()}
 * stops all of it.
 */
public final class LabEnvironment implements AutoCloseable {
    /** Held so that it is not collected: the mock server logs every request at INFO otherwise. */
    private static final java.util.logging.Logger MOCK_SERVER_LOG = quiet("io.fabric8.mockwebserver");

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    private final LabShape shape;
    private final KubernetesMockServer server;
    private final NamespacedKubernetesClient client;
    private final LocalRocketMqCluster rocketmq;
    private final OperatorDouble operator;
    private final SchedulerDouble scheduler;
    private final KubeletDouble kubelet;
    private final ChaosMeshDouble chaosMesh;
    private final LabNetwork network;
    private final String networkLine;
    private final String chaosMeshLine;

    private LabEnvironment(LabShape shape, Consumer<String> log) {
        this.shape = shape;
        List<AutoCloseable> started = new ArrayList<>();
        try {
            String[] line = new String[1];
            network = networkOrNull(shape, log, line);
            networkLine = line[0];
            if (network != null) {
                started.add(network); // closed after the processes in it (rocketmq goes first)
            }
            log.accept(networkLine);
            server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                    new KubernetesCrudDispatcher(List.of()), false);
            server.init(InetAddress.getByName("127.0.0.1"), 0);
            started.add(server::destroy);
            client = server.createClient();
            started.add(client);
            LocalRocketMqCluster.Builder cluster = LocalRocketMqCluster.builder();
            if (network != null) {
                cluster.addresses(network.block(), network::address);
            }
            rocketmq = cluster
                    .clusterName(shape.brokerCr())
                    .nameServers(shape.zones().size())
                    .controllers(1)
                    .groups(shape.groups())
                    .replicasPerGroup(shape.replicasPerGroup())
                    .fastFailureDetection(shape.fastFailureDetection())
                    .workDir(shape.workDir())
                    .build();
            started.add(0, rocketmq);
            // the STATIC name-server pods at the addresses their processes will have (the kubelet
            // double runs namesrv-N as name server N), so that what the operator rendered from them
            // at install time (brokers' NAMESRV_ADDR, the console's JAVA_OPTS) is true, as on a real
            // cluster; the STATIC broker pods run nothing and keep made-up IPs
            int nameServers = shape.zones().size();
            shape.fixture().podIps(i -> i < nameServers ? rocketmq.nameServer(i).address()
                    : StaticDeploymentFixture.madeUpPodIp(i)).apply(client);
            operator = OperatorDouble.builder(client, shape.namespace()).flavour(shape.operatorFlavour())
                    .resync(Duration.ofSeconds(6)).start();
            started.add(operator);
            scheduler = new SchedulerDouble(client, shape.namespace(), 200, log, shape.storage());
            started.add(scheduler);
            kubelet = new KubeletDouble(client, shape.namespace(), rocketmq, 200, log, network == null ? PodCuts.freezing()
                    : PodCuts.packetDrops(network, shape.fixture().nodesByZone()));
            started.add(0, kubelet); // stopped before the processes it starts
            // Chaos Mesh's partitions are packet drops: without the zones' namespaces there is
            // nothing to drop, and the API does not serve NetworkChaos (a chaos-mesh drill is refused)
            chaosMesh = network == null ? null : new ChaosMeshDouble(client, shape.namespace(), network, 200, log);
            if (chaosMesh != null) {
                started.add(0, chaosMesh);
            }
            chaosMeshLine = chaosMesh != null ? ChaosMeshDouble.runningLine()
                    : ChaosMeshDouble.notModelledLine(LabNetworkModel.FREEZE.id());
            log.accept(chaosMeshLine);
        } catch (IOException e) {
            closeAll(started);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            closeAll(started);
            throw e;
        }
    }

    /**
     * The zones as network namespaces, or null (and why, in {@code line[0]}) where they cannot be
     * made or {@code -Dcrosszone.lab.network=freeze} asks for the old model.
     */
    private static LabNetwork networkOrNull(LabShape shape, Consumer<String> log, String[] line) {
        String reason;
        if ("freeze".equals(System.getProperty(NETWORK_PROPERTY, "auto"))) {
            reason = "-D" + NETWORK_PROPERTY + "=freeze";
        } else {
            reason = LabNetwork.unavailableReason().orElse(null);
            if (reason == null) {
                try {
                    LabNetwork network = LabNetwork.create(shape.zones(), log);
                    line[0] = "lab network: " + LabNetworkModel.PACKET_DROP.id() + ": zones " + shape.zones()
                            + " are network namespaces " + network.prefix() + "z1.." + ", pod IPs in " + network.block();
                    return network;
                } catch (RuntimeException e) {
                    reason = e.getMessage();
                }
            }
        }
        line[0] = "lab network: " + LabNetworkModel.FREEZE.id() + " (no network namespaces: " + reason + "): "
                + LabNetworkModel.FREEZE.description();
        return null;
    }

    /** System property: {@code freeze} keeps the SIGSTOP model even where namespaces could be made. */
    public static final String NETWORK_PROPERTY = "crosszone.lab.network";

    /** Starts the API, lays down the STATIC deployment and starts the stand-ins; RocketMQ starts as pods run. */
    public static LabEnvironment start(LabShape shape, Consumer<String> log) {
        return new LabEnvironment(shape, log);
    }

    public KubernetesClient client() {
        return client;
    }

    /** The User-Agent of the tasks' clients: tells their API requests from the stand-ins'. */
    public static final String TASK_USER_AGENT = "crosszone-task";

    /** A new client of this lab's API, for a task that closes the client it is given. */
    public KubernetesClient newClient() {
        return server.createClient(b -> b.withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration())
                .withUserAgent(TASK_USER_AGENT).build()));
    }

    /**
     * The API requests the tasks made since the last call ("METHOD path?query", in order): what
     * their ServiceAccount must be allowed. The stand-ins' own requests are left out.
     */
    public List<String> takeTaskRequests() {
        List<String> out = new ArrayList<>();
        try {
            io.fabric8.mockwebserver.http.RecordedRequest r;
            while ((r = server.takeRequest(1, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
                if (TASK_USER_AGENT.equals(r.getHeader("User-Agent"))) {
                    out.add(r.getMethod() + " " + r.getPath());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    /** A client factory for the CLI: every task run gets its own client. */
    public io.crosszone.k8s.KubernetesClients.Factory clients() {
        return (kubeconfig, context) -> newClient();
    }

    /** How this lab cuts a zone off: packet drops (zones are network namespaces) or freezing. */
    public LabNetworkModel networkModel() {
        return kubelet.networkModel();
    }

    /** One line saying which network model runs, and why if it is the fallback. */
    public String networkLine() {
        return networkLine;
    }

    /** One line saying whether the lab plays Chaos Mesh (only where the network model is packet-drop). */
    public String chaosMeshLine() {
        return chaosMeshLine;
    }

    /** Whether the API serves NetworkChaos, enforced by {@link ChaosMeshDouble}. */
    public boolean playsChaosMesh() {
        return chaosMesh != null;
    }

    /** The zones' network namespaces, if the lab has them. */
    public Optional<LabNetwork> network() {
        return Optional.ofNullable(network);
    }

    public LocalRocketMqCluster rocketmq() {
        return rocketmq;
    }

    public LabShape shape() {
        return shape;
    }

    /** The API server's URL, e.g. {@code http://127.0.0.1:41234/}. */
    public String apiUrl() {
        return client.getConfiguration().getMasterUrl();
    }

    /** Writes a kubeconfig for this lab's API (plain HTTP on 127.0.0.1, no credentials), readable by anyone. */
    public Path writeKubeconfig(Path file) {
        String yaml = String.join("\n",
                "apiVersion: v1",
                "kind: Config",
                "clusters:",
                "- name: crosszone-lab",
                "  cluster:",
                "    server: " + apiUrl(),
                "contexts:",
                "- name: crosszone-lab",
                "  context:",
                "    cluster: crosszone-lab",
                "    namespace: " + shape.namespace(),
                "    user: crosszone-lab",
                "current-context: crosszone-lab",
                "users:",
                "- name: crosszone-lab",
                "  user: {}",
                "");
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Problems the operator double met (an empty list in a healthy lab). */
    public List<String> operatorErrors() {
        return operator.errors();
    }

    @Override
    public void close() {
        List<AutoCloseable> order = new ArrayList<>();
        order.add(chaosMesh); // before the network it drops packets in
        order.add(kubelet);
        order.add(scheduler);
        order.add(operator);
        order.add(rocketmq);
        order.add(network);
        order.add(client);
        order.add(server::destroy);
        closeAll(order);
    }

    private static void closeAll(List<AutoCloseable> items) {
        for (AutoCloseable c : items) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception ignored) {
                // keep closing the rest: nothing may be left running
            }
        }
    }

    /** Property map helper for callers that print the lab's addresses. */
    public Map<String, String> addresses() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put("api", apiUrl());
        m.put("nameServers", rocketmq.nameServerList());
        m.put("controllers", rocketmq.controllerList());
        return m;
    }
}
