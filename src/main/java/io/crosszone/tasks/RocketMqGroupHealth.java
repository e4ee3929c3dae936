package io.crosszone.tasks;

import static io.crosszone.rocketmq.Addresses.host;

import io.crosszone.k8s.K8sStatus;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.plan.OperatorNames;
import io.crosszone.rocketmq.ElectionResult;
import io.crosszone.rocketmq.Replica;
import io.crosszone.rocketmq.RocketMqAccess;
import io.crosszone.rocketmq.RocketMqEndpoints;
import io.crosszone.rocketmq.RocketMqException;
import io.crosszone.rocketmq.RocketMqGateway;
import io.crosszone.rocketmq.SyncStateSet;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@link GroupHealth} from RocketMQ itself, through the RocketMQ adapter: the controller leader's
 * SyncStateSet of a group (master and in-sync replicas, alive or not), the name server's
 * clusterList (BID 0) when the controller does not know the master and for the listed master,
 * and the controller's electMaster for a fail-back.
 *
 * <p>Tasks reach RocketMQ by pod IP, as from inside the cluster: the name servers at
 * {@code <ip>:9876} of the Ready name-server pods, the controllers at {@code <ip>:9878} of the Ready
 * controller pods. These are read again on every question, since apply-affinity restarts them
 * too, and a new admin client is opened when they changed. A master's address
 * {@code <ip>:<port>} is matched to the broker pod with that IP to find its replica index. The
 * endpoints come from {@link RocketMqDiscovery}, as for every task.
 */
public final class RocketMqGroupHealth implements GroupHealth {
    private final KubernetesGateway k8s;
    private final Target target;
    private final Duration callTimeout;
    private final Function<RocketMqEndpoints, RocketMqGateway> opener;
    private RocketMqEndpoints endpoints;
    private RocketMqGateway gateway;

    public RocketMqGroupHealth(KubernetesGateway k8s, Target target, Duration callTimeout,
                               Function<RocketMqEndpoints, RocketMqGateway> opener) {
        this.k8s = k8s;
        this.target = target;
        this.callTimeout = callTimeout;
        this.opener = opener;
    }

    /**
     * The factory the CLI uses: RocketMQ through {@code access} (the admin API) with this call
     * timeout. Where RocketMQ is not to be asked ({@link RocketMqAccess#NONE}: mock-API runs) every
     * question fails, so no broker is restarted without RocketMQ's word that its group is in sync.
     */
    public static GroupHealth.Factory factory(RocketMqAccess access, Duration callTimeout) {
        return (k8s, target) -> new RocketMqGroupHealth(k8s, target, callTimeout, endpoints -> access.open(endpoints)
                .orElseThrow(() -> new RocketMqException("RocketMQ is not to be asked in this run (no RocketMQ access):"
                        + " a broker is restarted only once RocketMQ says its group is in sync")));
    }

    @Override
    public synchronized Optional<Integer> masterReplica(String group) {
        RocketMqGateway gw = gateway();
        Optional<String> address = gw.syncStateSet(group).filter(SyncStateSet::hasMaster).map(SyncStateSet::masterAddress);
        if (address.isEmpty()) {
            address = gw.clusterView(false).masterAddress(group);
        }
        return address.map(a -> replicaAt(group, a));
    }

    @Override
    public synchronized Optional<Integer> listedMasterReplica(String group) {
        return gateway().clusterView(false).masterAddress(group).map(a -> replicaAt(group, a));
    }

    @Override
    public synchronized boolean inSyncAndAlive(String group, int replica) {
        return inSyncReplica(group, replica).isPresent();
    }

    /** electMaster with the controller's id of the replica's broker, found by its pod IP in the SyncStateSet. */
    @Override
    public synchronized void electReplica(String group, int replica) {
        Replica chosen = inSyncReplica(group, replica).orElseThrow(() -> new RocketMqException("replica " + replica
                + " of " + group + " is not alive in its SyncStateSet"));
        ElectionResult r = gateway().electMaster(target.brokerCr(), group, chosen.brokerId());
        if (r.masterAddress() == null || !host(r.masterAddress()).equals(host(chosen.address()))) {
            throw new RocketMqException("electMaster of " + group + " answered master " + r.masterAddress()
                    + ", not " + chosen.address());
        }
    }

    private Optional<Replica> inSyncReplica(String group, int replica) {
        String ip = podIp(OperatorNames.podOf(group + "-" + replica));
        if (ip == null) {
            return Optional.empty();
        }
        return gateway().syncStateSet(group).flatMap(s -> s.inSync().stream()
                .filter(r -> r.alive() && ip.equals(host(r.address()))).findFirst());
    }

    /** The IP of a Ready broker pod; listed, not got, so that verify-distribution's read-only fleet role suffices. */
    private String podIp(String pod) {
        return k8s.pods(target.namespace(), OperatorNames.brokerLabels(target.brokerCr())).stream()
                .filter(p -> pod.equals(p.getMetadata().getName()) && K8sStatus.podReady(p)).map(Pod::getStatus)
                .map(st -> st.getPodIP()).filter(ip -> ip != null && !ip.isEmpty()).findFirst().orElse(null);
    }

    /** The replica index of the broker pod with this address's IP, of this group. */
    private int replicaAt(String group, String address) {
        String ip = host(address);
        for (Pod p : k8s.pods(target.namespace(), OperatorNames.brokerLabels(target.brokerCr()))) {
            if (p.getStatus() != null && ip.equals(p.getStatus().getPodIP())) {
                String sts = p.getMetadata().getName().replaceFirst("-\\d+$", "");
                int[] gi = OperatorNames.parseControllerModeStatefulSet(target.brokerCr(), sts);
                if (gi != null && OperatorNames.brokerName(target.brokerCr(), gi[0]).equals(group)) {
                    return gi[1];
                }
            }
        }
        throw new RocketMqException("the master of " + group + " is at " + address
                + ", which is no broker pod's IP (yet)");
    }

    @Override
    public synchronized boolean fullyInSync(String group, int replicas) {
        Optional<SyncStateSet> s = gateway().syncStateSet(group);
        return s.isPresent() && s.get().hasMaster() && s.get().inSync().size() >= replicas
                && s.get().aliveInSync() >= replicas;
    }

    @Override
    public synchronized Optional<SyncStateSet> syncStateSet(String group) {
        return gateway().syncStateSet(group);
    }

    @Override
    public synchronized java.util.Set<Long> brokerIdsOf(String group, int replica) {
        String ip = podIp(OperatorNames.podOf(group + "-" + replica));
        if (ip == null) {
            return java.util.Set.of();
        }
        return gateway().syncStateSet(group).map(s -> java.util.stream.Stream.concat(s.inSync().stream(), s.notInSync().stream())
                .filter(r -> ip.equals(host(r.address()))).map(Replica::brokerId)
                .collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new))).map(java.util.Set::copyOf)
                .orElse(java.util.Set.of());
    }

    @Override
    public synchronized java.util.List<Integer> replicasNotReplicating(String group, int replicas) {
        Optional<SyncStateSet> s = gateway().syncStateSet(group).filter(SyncStateSet::hasMaster);
        if (s.isEmpty()) {
            return java.util.List.of();
        }
        java.util.Set<String> inSync = new java.util.HashSet<>();
        s.get().inSync().forEach(r -> inSync.add(host(r.address())));
        String masterIp = host(s.get().masterAddress());
        java.util.List<Integer> outside = new java.util.ArrayList<>();
        java.util.Map<Integer, String> ips = new java.util.TreeMap<>();
        int runningSlaves = 0;
        for (int i = 0; i < replicas; i++) {
            String ip = podIp(OperatorNames.podOf(group + "-" + i));
            if (ip == null || ip.equals(masterIp)) {
                continue;
            }
            runningSlaves++;
            if (!inSync.contains(ip)) {
                ips.put(i, ip);
            }
        }
        if (ips.isEmpty()) {
            return outside;
        }
        java.util.List<String> clients = gateway().replicationClients(s.get().masterAddress());
        if (clients.size() >= runningSlaves) {
            return outside; // a connection for every running slave: the one outside the set is catching up
        }
        java.util.Set<String> hosts = new java.util.HashSet<>();
        clients.forEach(c -> hosts.add(host(c)));
        ips.forEach((i, ip) -> {
            if (!hosts.contains(ip)) {
                outside.add(i);
            }
        });
        return outside;
    }

    @Override
    public synchronized java.util.List<String> topicsMissingOnSlaves(String group) {
        // master and slaves as the controller has them: the name server may not list a new master yet
        Optional<SyncStateSet> s = gateway().syncStateSet(group).filter(SyncStateSet::hasMaster);
        java.util.List<String> out = new java.util.ArrayList<>();
        if (s.isEmpty()) {
            return out; // no master: nothing to compare with (the other checks say so)
        }
        String master = s.get().masterAddress();
        java.util.Set<String> masterTopics = gateway().topics(master).keySet();
        for (Replica r : s.get().inSync()) {
            if (!r.alive() || host(r.address()).equals(host(master))) {
                continue;
            }
            java.util.Set<String> lacks = new java.util.TreeSet<>(masterTopics);
            try {
                lacks.removeAll(gateway().topics(r.address()).keySet());
            } catch (RuntimeException e) {
                out.add(r.address() + " did not say which topics it has (" + e.getMessage() + ")");
                continue;
            }
            if (!lacks.isEmpty()) {
                out.add(r.address() + " lacks " + lacks);
            }
        }
        return out;
    }

    @Override
    public synchronized void restartReplica(String group, int replica) {
        k8s.deletePod(target.namespace(), OperatorNames.podOf(group + "-" + replica));
    }

    @Override
    public synchronized void forgetBrokerIds(String group, java.util.Set<Long> brokerIds) {
        gateway().forgetBrokerIds(target.brokerCr(), group, brokerIds);
    }

    @Override
    public synchronized String describe(String group) {
        try {
            return gateway().syncStateSet(group).map(s -> "SyncStateSet " + s.inSync().size() + " in sync ("
                    + s.aliveInSync() + " alive), master " + s.masterAddress()).orElse("no SyncStateSet");
        } catch (RuntimeException e) {
            return "RocketMQ not answering (" + e.getMessage() + ")";
        }
    }

    @Override
    public synchronized void close() {
        if (gateway != null) {
            gateway.close();
            gateway = null;
        }
    }

    /** The gateway for the endpoints as they are now, reopened when a restart moved them. */
    private RocketMqGateway gateway() {
        RocketMqEndpoints now = RocketMqDiscovery.endpoints(k8s, new RocketMqDiscovery.Where(target.namespace(),
                target.nameServiceCr(), target.controllerCr()), callTimeout, RocketMqException::new);
        if (gateway == null || !now.equals(endpoints)) {
            close();
            gateway = opener.apply(now);
            endpoints = now;
        }
        return gateway;
    }
}
