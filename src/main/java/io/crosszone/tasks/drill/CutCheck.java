package io.crosszone.tasks.drill;

import io.crosszone.core.TimeSource;
import io.crosszone.plan.OperatorNames;
import io.crosszone.rocketmq.RocketMqAccess;
import io.crosszone.rocketmq.RocketMqEndpoints;
import io.crosszone.rocketmq.RocketMqGateway;
import io.crosszone.tasks.drill.ZonePods.PodInfo;
import io.crosszone.tasks.drill.ZonePods.Role;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A simultaneous cut: before the drill does anything else (in {@code kill} mode: before it kills a
 * broker), the zone's cut-off members must have stopped answering the drill. A cut is made of
 * several API objects that the cluster enforces asynchronously; until it is in effect a member of
 * the "lost" zone (a controller electing, a name server routing) could still act. Each member is
 * asked a cheap RocketMQ question with a short timeout: a name server its cluster list, a controller
 * its metadata, a broker its config. A frozen process accepts the TCP connection and never answers,
 * a dropped one never connects, so both count as silent; {@link #SILENT_IN_A_ROW} unanswered probes
 * in a row make a member silent (one slow answer on a loaded machine is not a cut).
 */
final class CutCheck {
    static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
    static final Duration INTERVAL = Duration.ofMillis(100);
    /** How long the cut may take to be in effect before the drill gives up and restores. */
    static final Duration WAIT = Duration.ofSeconds(30);
    static final int SILENT_IN_A_ROW = 2;

    /** One member of the zone the cut must silence. */
    interface Member extends AutoCloseable {
        /** e.g. {@code controller controller-0 (10.192.1.7:9878)} */
        String name();

        /** True when it answered within the probe timeout. */
        boolean answers();

        @Override
        default void close() {
        }
    }

    /**
     * @param millis        from making the cut until every member was silent; null when it was not in time
     * @param silent        the members found silent
     * @param stillAnswering the members that still answered when the drill gave up
     */
    record Result(Long millis, List<String> silent, List<String> stillAnswering) {
        boolean inEffect() {
            return millis != null;
        }
    }

    private CutCheck() {
    }

    /** Probes until every member is silent or {@code wait} has passed since {@code cutAtMillis}. */
    static Result await(List<? extends Member> members, TimeSource time, long cutAtMillis, Duration wait)
            throws InterruptedException {
        Map<Member, Integer> unanswered = new LinkedHashMap<>();
        members.forEach(m -> unanswered.put(m, 0));
        List<String> silent = new ArrayList<>();
        // one round asks every member not yet silent at once: an unanswered probe can take the
        // client's connect timeout (3 s in RocketMQ 5.1.4), not only the 500 ms call timeout
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, members.size()), r -> {
            Thread t = new Thread(r, "cut-check");
            t.setDaemon(true);
            return t;
        });
        try {
            return rounds(unanswered, silent, pool, time, cutAtMillis, wait);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Result rounds(Map<Member, Integer> unanswered, List<String> silent, ExecutorService pool, TimeSource time,
                                 long cutAtMillis, Duration wait) throws InterruptedException {
        while (true) {
            Map<Member, Future<Boolean>> round = new LinkedHashMap<>();
            unanswered.forEach((m, n) -> {
                if (n < SILENT_IN_A_ROW) {
                    round.put(m, pool.submit(m::answers));
                }
            });
            for (Map.Entry<Member, Future<Boolean>> e : round.entrySet()) {
                boolean answered;
                try {
                    answered = e.getValue().get();
                } catch (ExecutionException x) {
                    answered = false;
                }
                int n = answered ? 0 : unanswered.get(e.getKey()) + 1;
                unanswered.put(e.getKey(), n);
                if (n == SILENT_IN_A_ROW) {
                    silent.add(e.getKey().name());
                }
            }
            long elapsed = time.currentMillis() - cutAtMillis;
            if (silent.size() == unanswered.size()) {
                return new Result(elapsed, silent, List.of());
            }
            if (elapsed >= wait.toMillis()) {
                return new Result(null, silent, unanswered.entrySet().stream().filter(e -> e.getValue() < SILENT_IN_A_ROW)
                        .map(e -> e.getKey().name()).toList());
            }
            time.sleep(INTERVAL);
        }
    }

    /**
     * The plan's cut-off pods as members probed over RocketMQ: each has its own gateway (a short
     * timeout, and only the member itself to ask). {@code nameServers}: name servers outside the
     * zone, which a gateway to a controller or broker needs to start with.
     */
    static List<RocketMqMember> members(DrillPlan plan, ZonePods pods, RocketMqAccess access, List<String> nameServers) {
        List<RocketMqMember> out = new ArrayList<>();
        for (String name : plan.podsToCut()) {
            Optional<PodInfo> p = pods.pods().stream().filter(i -> i.name().equals(name) && i.ip() != null).findFirst();
            if (p.isEmpty()) {
                continue;
            }
            Role role = p.get().role();
            String address = p.get().address(role == Role.NAME_SERVER ? OperatorNames.NAME_SERVER_PORT
                    : role == Role.CONTROLLER ? OperatorNames.CONTROLLER_PORT : OperatorNames.BROKER_PORT);
            List<String> ns = role == Role.NAME_SERVER || nameServers.isEmpty() ? List.of(address) : nameServers;
            RocketMqEndpoints endpoints = new RocketMqEndpoints(ns, role == Role.CONTROLLER ? List.of(address) : List.of(),
                    PROBE_TIMEOUT);
            access.open(endpoints).ifPresent(g -> out.add(new RocketMqMember(
                    role.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " " + name + " (" + address + ")",
                    role, address, g)));
        }
        return out;
    }

    /** A member asked over its own gateway. */
    record RocketMqMember(String name, Role role, String address, RocketMqGateway gateway) implements Member {
        @Override
        public boolean answers() {
            try {
                switch (role) {
                    case NAME_SERVER -> gateway.clusterView(false);
                    case CONTROLLER -> gateway.controllerMetadata();
                    default -> gateway.brokerConfig(address);
                }
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }

        @Override
        public void close() {
            gateway.close();
        }
    }
}
