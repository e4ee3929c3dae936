package io.crosszone.support;

import io.crosszone.k8s.BrokerCr;
import io.crosszone.k8s.K8sStatus;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.plan.OperatorNames;
import io.crosszone.tasks.GroupHealth;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Test-only stand-in for RocketMQ's answers to apply-affinity's {@link GroupHealth}, for tests
 * that run against the mock API server with no RocketMQ at all. It derives everything from broker
 * <b>pod readiness</b>, not from RocketMQ: a group is "fully in sync" when all its broker pods are
 * Ready, and its master is modelled as the controller would pick it: a given replica at first
 * ({@code initialMasters}, else replica 0), and when the master's pod goes away or is not Ready,
 * the lowest-index other Ready replica (a failover). It knows nothing of replication lag, so it
 * cannot catch a broker that is Ready but not caught up: that needs the real-cluster test, which
 * swaps this for {@link io.crosszone.tasks.RocketMqGroupHealth}.
 *
 * <p>Fail-back: a replica is "alive in the SyncStateSet" when its pod is Ready; {@code
 * electReplica} makes a Ready replica the modelled master at once and refuses (throws, as the
 * controller answers an error) one whose pod is not Ready. There is no separate name server: the
 * listed master is the modelled master the moment it is elected, so the wait that follows an
 * election returns at once here (the lag between controller and name server needs real RocketMQ).
 *
 * <p>It is the {@link GroupHealth.Factory}, so the modelled masters persist across the views a run
 * opens and across runs. {@link #answers()} records every master it reported, {@link #elections()}
 * every election it was asked for.
 */
public final class PodReadinessGroupHealth implements GroupHealth.Factory {
    private final Map<String, Integer> initialMasters;
    private final Map<String, Integer> master = new HashMap<>();
    private final Map<String, String> masterUid = new HashMap<>();
    private final List<String> answers = new CopyOnWriteArrayList<>();
    private final List<String> elections = new CopyOnWriteArrayList<>();

    public PodReadinessGroupHealth(Map<String, Integer> initialMasters) {
        this.initialMasters = Map.copyOf(initialMasters);
    }

    /** "group=replica" for every master it reported, in order. */
    public List<String> answers() {
        return List.copyOf(answers);
    }

    /** "group=replica" for every election asked for, in order. */
    public List<String> elections() {
        return List.copyOf(elections);
    }

    @Override
    public GroupHealth open(KubernetesGateway k8s, GroupHealth.Target target) {
        return new GroupHealth() {
            @Override
            public Optional<Integer> masterReplica(String group) {
                Optional<Integer> m = electedMaster(k8s, target, group);
                answers.add(group + "=" + m.map(String::valueOf).orElse("none"));
                return m;
            }

            @Override
            public boolean fullyInSync(String group, int replicas) {
                for (int i = 0; i < replicas; i++) {
                    if (readyPod(k8s, target, group, i) == null) {
                        return false;
                    }
                }
                return electedMaster(k8s, target, group).isPresent();
            }

            @Override
            public Optional<Integer> listedMasterReplica(String group) {
                return electedMaster(k8s, target, group);
            }

            @Override
            public boolean inSyncAndAlive(String group, int replica) {
                return readyPod(k8s, target, group, replica) != null;
            }

            @Override
            public void electReplica(String group, int replica) {
                elections.add(group + "=" + replica);
                elect(k8s, target, group, replica);
            }

            @Override
            public String describe(String group) {
                return "(stand-in: pod readiness) master replica " + master.get(group);
            }
        };
    }

    private synchronized Optional<Integer> electedMaster(KubernetesGateway k8s, GroupHealth.Target target, String group) {
        Integer current = master.get(group);
        if (current == null) {
            current = initialMasters.getOrDefault(group, 0);
            Pod p = readyPod(k8s, target, group, current);
            if (p != null) {
                master.put(group, current);
                masterUid.put(group, p.getMetadata().getUid());
                return Optional.of(current);
            }
        } else {
            Pod p = readyPod(k8s, target, group, current);
            if (p != null && p.getMetadata().getUid().equals(masterUid.get(group))) {
                return Optional.of(current);
            }
        }
        int replicas = k8s.brokerCr(target.namespace(), target.brokerCr()).map(BrokerCr::brokersPerGroup).orElse(2);
        for (int i = 0; i < replicas; i++) {
            Pod p = readyPod(k8s, target, group, i);
            if (i != current && p != null) {
                master.put(group, i);
                masterUid.put(group, p.getMetadata().getUid());
                return Optional.of(i);
            }
        }
        master.remove(group);
        return Optional.empty();
    }

    private synchronized void elect(KubernetesGateway k8s, GroupHealth.Target target, String group, int replica) {
        Pod p = readyPod(k8s, target, group, replica);
        if (p == null) {
            throw new IllegalStateException("replica " + replica + " of " + group + " is not Ready (stand-in: not in sync)");
        }
        master.put(group, replica);
        masterUid.put(group, p.getMetadata().getUid());
    }

    private static Pod readyPod(KubernetesGateway k8s, GroupHealth.Target target, String group, int replica) {
        String pod = OperatorNames.podOf(group + "-" + replica);
        return k8s.pod(target.namespace(), pod).filter(K8sStatus::podReady).orElse(null);
    }
}
