package io.crosszone.tasks.verify;

import static io.crosszone.tasks.verify.Concurrently.get;

import io.crosszone.rocketmq.BrokerGroup;
import io.crosszone.rocketmq.BrokerMember;
import io.crosszone.rocketmq.ClusterView;
import io.crosszone.rocketmq.ControllerMetadata;
import io.crosszone.rocketmq.RocketMqException;
import io.crosszone.rocketmq.RocketMqGateway;
import io.crosszone.rocketmq.SyncStateSet;
import io.crosszone.rocketmq.TopicComparison;
import io.crosszone.tasks.verify.DistributionSnapshot.RegisteredBroker;
import io.crosszone.tasks.verify.DistributionSnapshot.Replica;
import io.crosszone.tasks.verify.DistributionSnapshot.RocketMqView;
import io.crosszone.tasks.verify.DistributionSnapshot.SyncState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/** Reads what RocketMQ says about one deployment into a {@link RocketMqView}, through the admin API. */
final class RocketMqSide {
    private RocketMqSide() {
    }

    /** The controller's answer, or why there is none. */
    private record ControllerRead(String leader, Map<String, SyncState> sync, RocketMqException failure) {
    }

    /** Most calls this many at once: name servers, controller, and each broker's config and topics. */
    private static final int PARALLEL_CALLS = 8;

    static RocketMqView read(RocketMqGateway rocketmq, List<String> groupNames, List<String> nameServers, int controllerPods,
                             Consumer<String> warn) {
        try (Concurrently calls = new Concurrently("rocketmq-read", PARALLEL_CALLS)) {
            Future<ClusterView> viewCall = calls.submit(rocketmq::clusterView);
            Future<Map<String, ClusterView>> perNameServer = calls.submit(rocketmq::clusterViewPerNameServer);
            Future<ControllerRead> controller = calls.submit(() -> controller(rocketmq, groupNames));
            ClusterView view = get(viewCall);
            // what each broker holds, asked of all brokers at once once the name server has named them
            Map<String, Future<Properties>> configCalls = new LinkedHashMap<>();
            Map<String, Future<TopicComparison>> topicCalls = new LinkedHashMap<>();
            for (String name : groupNames) {
                view.group(name).ifPresent(g -> {
                    g.members().forEach(m -> configCalls.put(m.address(), calls.submit(() -> rocketmq.brokerConfig(m.address()))));
                    if (g.master().isPresent()) {
                        topicCalls.put(name, calls.submit(() -> rocketmq.compareTopics(name)));
                    }
                });
            }

            Map<String, Set<String>> listed = new LinkedHashMap<>();
            get(perNameServer).forEach((ns, v) -> {
                Set<String> addresses = new TreeSet<>();
                groupNames.forEach(g -> v.group(g).ifPresent(bg -> bg.members().forEach(m -> addresses.add(m.address()))));
                listed.put(ns, addresses);
            });
            Set<String> silent = new TreeSet<>(nameServers);
            silent.removeAll(listed.keySet());
            Map<String, List<RegisteredBroker>> groups = new LinkedHashMap<>();
            for (String name : groupNames) {
                List<RegisteredBroker> members = new ArrayList<>();
                view.group(name).ifPresent(g -> g.members().forEach(m -> members.add(new RegisteredBroker(m.id(), m.address()))));
                groups.put(name, members);
            }
            ControllerRead ctl = get(controller);
            if (ctl.failure() != null) {
                warn.accept("the controller did not answer: " + ctl.failure().getMessage());
            }
            Map<String, Map<String, String>> configs = new LinkedHashMap<>();
            Map<String, Set<String>> topics = new HashMap<>();
            for (String name : groupNames) {
                BrokerGroup g = view.group(name).orElse(null);
                if (g == null) {
                    continue;
                }
                for (BrokerMember m : g.members()) {
                    try {
                        Properties p = get(configCalls.get(m.address()));
                        Map<String, String> c = new HashMap<>();
                        p.stringPropertyNames().forEach(k -> c.put(k, p.getProperty(k)));
                        configs.put(m.address(), c);
                    } catch (RocketMqException e) {
                        warn.accept("broker " + m.address() + " did not give its configuration: " + e.getMessage());
                    }
                }
                if (topicCalls.containsKey(name)) {
                    try {
                        TopicComparison t = get(topicCalls.get(name));
                        topics.put(t.masterAddress(), t.masterTopics());
                        t.missingOnSlave().forEach((slave, missing) -> {
                            Set<String> has = new TreeSet<>(t.masterTopics());
                            has.removeAll(missing);
                            has.addAll(t.missingOnMaster().getOrDefault(slave, Set.of()));
                            topics.put(slave, has);
                        });
                    } catch (RocketMqException e) {
                        warn.accept("topics of " + name + " could not be compared: " + e.getMessage());
                    }
                }
            }
            return new RocketMqView(groups, ctl.sync(), ctl.leader(), controllerPods, configs, topics, listed, silent);
        }
    }

    private static ControllerRead controller(RocketMqGateway rocketmq, List<String> groupNames) {
        Map<String, SyncState> sync = new LinkedHashMap<>();
        String leader = null;
        try {
            ControllerMetadata meta = rocketmq.controllerMetadata();
            leader = meta.hasLeader() ? meta.leaderAddress() : null;
            rocketmq.syncStateSets(groupNames).forEach((g, s) -> sync.put(g, syncState(s)));
            return new ControllerRead(leader, sync, null);
        } catch (RocketMqException e) {
            return new ControllerRead(leader, sync, e);
        }
    }

    private static SyncState syncState(SyncStateSet s) {
        return new SyncState(s.masterBrokerId() == null ? -1 : s.masterBrokerId(), s.masterAddress(), s.masterEpoch(),
                s.inSync().stream().map(r -> new Replica(r.brokerId(), r.address(), r.alive())).toList(),
                s.notInSync().stream().map(r -> new Replica(r.brokerId(), r.address(), r.alive())).toList(), s.syncStateSetEpoch());
    }
}
