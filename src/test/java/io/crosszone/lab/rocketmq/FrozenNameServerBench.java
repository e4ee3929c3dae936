package io.crosszone.lab.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.rocketmq.AdminRocketMqGateway;
import io.crosszone.rocketmq.RocketMqEndpoints;
import io.crosszone.rocketmq.SyncStateSet;
import io.crosszone.rocketmq.probe.MessageProbe;
import io.crosszone.rocketmq.probe.OutageWindow;
import io.crosszone.rocketmq.probe.ProbeOutages;
import io.crosszone.rocketmq.probe.ProbeSpec;
import io.crosszone.rocketmq.probe.SendRecord;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How long an ordinary RocketMQ 5.1.4 producer keeps failing when the name server it uses and the
 * master of its group are frozen at once (SIGSTOP: a partitioned zone, TCP open, no answers), and
 * which client settings shorten it. Per run: a {@link MessageProbe} (one send every 100 ms) starts,
 * the name server it chose ({@link MessageProbe#nameServerInUse()}) or the other one is frozen with
 * the master, then it measures until the surviving name server shows the new master (server side)
 * and until the probe's first acknowledged write after the freeze (client side). Numbers are
 * printed and written to target/bench-results/frozen-name-server[-registerBrokerTimeoutN].json, never asserted.
 *
 * <p>The {@code inflight} variant puts a registration round of the surviving slave in flight right
 * after the freeze (a topic update on it: in 5.1.4 that registers with every name server, under the
 * same lock as the periodic round and the new master's role-change registration), the worst case of
 * a periodic round that started between the freeze and the election. It reports how long that round
 * took ({@code registrationRoundWithFrozenNsMs}), one on the healthy cluster before the freeze, and
 * the new master's logged registration failures per name server.
 *
 * <p>{@code mvn -B -o -Pbench test -Dtest=FrozenNameServerBench [-DfrozenNs.runs=2 -DfrozenNs.variants=default,poll5s]
 * [-DfrozenNs.registerBrokerTimeoutMills=6000]}
 */
class FrozenNameServerBench {
    private static final BenchResults BENCH = new BenchResults("frozen-name-server"
            + (System.getProperty("frozenNs.registerBrokerTimeoutMills") == null ? ""
            : "-registerBrokerTimeout" + System.getProperty("frozenNs.registerBrokerTimeoutMills")));
    private static final Duration RUN_DEADLINE = Duration.ofSeconds(Long.getLong("frozenNs.deadlineSeconds", 150));
    private static final Map<String, String> BROKER = brokerProperties();


    @RegisterExtension
    static final RealCluster REAL = RealCluster.of(LocalRocketMqCluster.builder().clusterName("fns")
            .nameServers(2).controllers(1).groups(1).replicasPerGroup(2).fastFailureDetection(true)
            .brokerProperties(BROKER), Duration.ofSeconds(3), BENCH);

    /** The HA properties; -DfrozenNs.registerBrokerTimeoutMills=N also sets the broker's name-server registration timeout (default 24 s). */
    private static Map<String, String> brokerProperties() {
        Map<String, String> p = new LinkedHashMap<>(LocalRocketMqCluster.HA_BROKER_PROPERTIES);
        String t = System.getProperty("frozenNs.registerBrokerTimeoutMills");
        if (t != null) {
            p.put("registerBrokerTimeoutMills", t);
        }
        return p;
    }

    private record Variant(String name, boolean freezeChosen, UnaryOperator<ProbeSpec> tune, boolean registrationInFlight) {
        Variant(String name, boolean freezeChosen, UnaryOperator<ProbeSpec> tune) {
            this(name, freezeChosen, tune, false);
        }
    }

    private static final List<Variant> VARIANTS = List.of(
            new Variant("default", true, s -> s),
            new Variant("default-otherNs", false, s -> s),
            new Variant("poll5s", true, s -> s.withRouteRefresh(Duration.ofSeconds(5))),
            new Variant("poll5s-api1s", true, s -> s.withRouteRefresh(Duration.ofSeconds(5)).withApiTimeout(Duration.ofSeconds(1))),
            new Variant("poll2s", true, s -> s.withRouteRefresh(Duration.ofSeconds(2))),
            new Variant("inflight", true, s -> s.withRouteRefresh(Duration.ofSeconds(2)), true));

    @Test
    void frozenNameServerAndMaster() throws Exception {
        String topic = "fns-probe";
        REAL.createTopicOnEveryGroup(topic, 4);
        int runs = Integer.getInteger("frozenNs.runs", 2);
        List<String> only = List.of(System.getProperty("frozenNs.variants", "").split(","));
        List<String> identified = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            for (Variant v : VARIANTS) {
                if (!only.equals(List.of("")) && !only.contains(v.name())) {
                    continue;
                }
                awaitBothNameServersSeeTheGroup();
                Map<String, Object> r = runOnce(v, v.tune().apply(ProbeSpec.of(REAL.cluster().nameServerList(), topic)));
                BENCH.put(v.name() + "#" + i, r);
                if (r.get("nameServerInUseAtFreeze") != null) {
                    identified.add(v.name());
                }
                REAL.heal(Duration.ofSeconds(120));
            }
        }
        // not timing: the probe's choice of name server could be read in every run, so the right one was frozen
        assertThat(identified).isNotEmpty();
    }

    private Map<String, Object> runOnce(Variant v, ProbeSpec spec) throws InterruptedException {
        Map<String, Object> r = new LinkedHashMap<>();
        String group = REAL.cluster().groupName(0);
        try (MessageProbe probe = MessageProbe.start(spec)) {
            r.put("clientSettings", probe.clientSettings());
            boolean ready = LocalRocketMqCluster.poll(Duration.ofSeconds(30), Duration.ofMillis(100),
                    () -> probe.sendsSoFar().stream().anyMatch(SendRecord::acked) && probe.nameServerInUse().isPresent());
            assertThat(ready).as("probe writes and has chosen a name server").isTrue();
            RocketMqProcess.sleep(2_000);
            String inUse = probe.nameServerInUse().orElseThrow();
            RocketMqProcess ns0 = REAL.cluster().nameServer(0);
            RocketMqProcess ns1 = REAL.cluster().nameServer(1);
            RocketMqProcess chosen = inUse.equals(ns0.endpoint()) ? ns0 : ns1;
            RocketMqProcess other = chosen == ns0 ? ns1 : ns0;
            RocketMqProcess frozenNs = v.freezeChosen() ? chosen : other;
            RocketMqProcess survivingNs = frozenNs == ns0 ? ns1 : ns0;
            try (AdminRocketMqGateway survivor = new AdminRocketMqGateway(new RocketMqEndpoints(
                    List.of(survivingNs.endpoint()), List.of(REAL.cluster().controllerList()), Duration.ofSeconds(2)))) {
                String oldMaster = survivor.clusterView(false).masterAddress(group).orElseThrow();
                RocketMqProcess master = REAL.memberAt(oldMaster);
                String slaveAddr = survivor.clusterView(false).group(group).orElseThrow().slaves().get(0).address();
                RocketMqProcess slave = REAL.memberAt(slaveAddr);
                long slaveLogOffset = logSize(slave);
                if (v.registrationInFlight()) {
                    r.put("registrationRoundHealthyMs", registrationRound(survivingNs, slaveAddr));
                }
                r.put("nameServerInUseAtFreeze", inUse);
                r.put("frozenNameServer", frozenNs.endpoint() + (v.freezeChosen() ? " (the one in use)" : " (the other one)"));
                r.put("frozenMaster", oldMaster);

                long t0 = System.currentTimeMillis();
                frozenNs.freeze();
                master.freeze();
                CompletableFuture<Object> round = v.registrationInFlight()
                        ? CompletableFuture.supplyAsync(() -> registrationRound(survivingNs, slaveAddr))
                        : CompletableFuture.completedFuture(null);
                Long serverMs = null;
                Long electedMs = null;
                Long clientMs = null;
                Map<Long, String> nsChanges = new TreeMap<>();
                String lastNs = inUse;
                long deadline = t0 + RUN_DEADLINE.toMillis();
                while (System.currentTimeMillis() < deadline) {
                    long now = System.currentTimeMillis();
                    if (serverMs == null) {
                        try {
                            Optional<String> m = survivor.clusterView(false).masterAddress(group);
                            if (m.isPresent() && !m.get().equals(oldMaster)) {
                                serverMs = System.currentTimeMillis() - t0;
                            }
                        } catch (RuntimeException e) {
                            // the surviving name server answers; a failed poll is retried
                        }
                    }
                    if (electedMs == null) {
                        try {
                            SyncStateSet set = survivor.syncStateSets(List.of(group)).get(group);
                            if (set != null && set.hasMaster() && !oldMaster.equals(set.masterAddress())) {
                                electedMs = System.currentTimeMillis() - t0;
                            }
                        } catch (RuntimeException e) {
                            // retried at the next poll
                        }
                    }
                    String ns = probe.nameServerInUse().orElse("?");
                    if (!ns.equals(lastNs)) {
                        nsChanges.put(now - t0, ns);
                        lastNs = ns;
                    }
                    if (clientMs == null) {
                        clientMs = probe.sendsSoFar().stream().filter(s -> s.acked() && s.startMillis() >= t0)
                                .mapToLong(s -> s.endMillis() - t0).min().stream().boxed().findFirst().orElse(null);
                    }
                    if (serverMs != null && clientMs != null && electedMs != null) {
                        break;
                    }
                    RocketMqProcess.sleep(100);
                }
                probe.stop();
                List<SendRecord> after = probe.sendsSoFar().stream().filter(s -> s.startMillis() >= t0).toList();
                r.put("controllerElectedMs", electedMs);
                r.put("serverNewMasterOnSurvivingNameServerMs", serverMs);
                if (v.registrationInFlight()) {
                    r.put("registrationRoundWithFrozenNsMs", round.join());
                }
                r.put("newMasterLogAfterFreeze", registrationLog(slave, slaveLogOffset));
                r.put("clientFirstAckAfterFreezeMs", clientMs == null ? "none within " + RUN_DEADLINE.toSeconds() + " s" : clientMs);
                r.put("nameServerInUseChanges(msAfterFreeze)", nsChanges);
                r.put("failedSendsAfterFreeze", after.stream().filter(s -> !s.acked()).count());
                Map<String, Integer> causes = new TreeMap<>();
                after.stream().filter(s -> !s.acked()).forEach(s -> causes.merge(s.cause(), 1, Integer::sum));
                r.put("causes", causes);
                r.put("longestOutageMs", ProbeOutages.of(probe.sendsSoFar()).stream()
                        .map(OutageWindow::duration).mapToLong(Duration::toMillis).max().orElse(0));
            }
        }
        return r;
    }

    /**
     * One registration round of the broker at {@code brokerAddr}, in ms (or the error): a topic
     * update on it returns once the broker has registered with every name server or waited out
     * registerBrokerTimeoutMills.
     */
    private static Object registrationRound(RocketMqProcess nameServer, String brokerAddr) {
        DefaultMQAdminExt admin = new DefaultMQAdminExt(60_000);
        admin.setNamesrvAddr(nameServer.endpoint());
        admin.setInstanceName("fns-trigger-" + System.nanoTime());
        admin.setVipChannelEnabled(false);
        try {
            admin.start();
            long start = System.currentTimeMillis();
            admin.createAndUpdateTopicConfig(brokerAddr, new TopicConfig("fns-registration-trigger", 1, 1, 6));
            return System.currentTimeMillis() - start;
        } catch (Exception e) {
            return "failed: " + e.getMessage();
        } finally {
            admin.shutdown();
        }
    }

    private static long logSize(RocketMqProcess p) {
        try {
            return Files.exists(p.logFile()) ? Files.size(p.logFile()) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** What the broker logged about name-server registration since {@code offset}: failures per name server, rounds past the deadline. */
    private static Map<String, Integer> registrationLog(RocketMqProcess p, long offset) {
        Map<String, Integer> counts = new TreeMap<>();
        try (RandomAccessFile f = new RandomAccessFile(p.logFile().toFile(), "r")) {
            f.seek(Math.min(offset, f.length()));
            byte[] rest = new byte[(int) (f.length() - f.getFilePointer())];
            f.readFully(rest);
            for (String line : new String(rest, StandardCharsets.UTF_8).split("\n")) {
                int at = line.indexOf("Failed to register current broker to name server. TargetHost=");
                if (at >= 0) {
                    counts.merge("registerFailed " + line.substring(at + 61).trim(), 1, Integer::sum);
                } else if (line.contains("does NOT complete within deadline")) {
                    counts.merge("roundPastDeadline", 1, Integer::sum);
                }
            }
        } catch (IOException e) {
            counts.put("log unreadable", 1);
        }
        return counts;
    }

    /** Both name servers list the group with its master, so the probe can start on either. */
    private void awaitBothNameServersSeeTheGroup() {
        String group = REAL.cluster().groupName(0);
        for (int i = 0; i < 2; i++) {
            try (AdminRocketMqGateway one = new AdminRocketMqGateway(new RocketMqEndpoints(
                    List.of(REAL.cluster().nameServer(i).endpoint()), List.of(REAL.cluster().controllerList()),
                    Duration.ofSeconds(2)))) {
                boolean ok = LocalRocketMqCluster.poll(Duration.ofSeconds(60), Duration.ofMillis(200), () -> {
                    try {
                        return one.clusterView(false).group(group).map(g -> g.members().size() == 2).orElse(false)
                                && one.clusterView(false).masterAddress(group).isPresent();
                    } catch (RuntimeException e) {
                        return false;
                    }
                });
                assertThat(ok).as("name server %d sees group %s", i, group).isTrue();
            }
        }
    }
}
