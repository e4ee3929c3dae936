package io.crosszone.tasks.drill;

import io.crosszone.config.ConfigException;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.core.Progress;
import io.crosszone.core.Waiter;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.plan.OperatorNames;
import io.crosszone.rocketmq.ClusterView;
import io.crosszone.rocketmq.RocketMqAccess;
import io.crosszone.rocketmq.RocketMqGateway;
import io.crosszone.rocketmq.SyncStateSet;
import io.crosszone.tasks.BrokerShape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The drill's reads of the deployment: its shape, its pods by zone, and whether it is whole ({@link ClusterHealth}). */
final class DrillCluster {
    private static final Duration HEALTH_POLL = Duration.ofMillis(500);

    private final KubernetesGateway k8s;
    private final RocketMqAccess access;
    private final CrosszoneConfig config;
    private final Progress progress;
    private final Waiter waiter;

    DrillCluster(KubernetesGateway k8s, RocketMqAccess access, CrosszoneConfig config, Progress progress, Waiter waiter) {
        this.k8s = k8s;
        this.access = access;
        this.config = config;
        this.progress = progress;
        this.waiter = waiter;
    }

    KubernetesGateway k8s() {
        return k8s;
    }

    CrosszoneConfig config() {
        return config;
    }

    Waiter waiter() {
        return waiter;
    }

    BrokerShape shape() {
        List<String> warnings = new ArrayList<>();
        return BrokerShape.resolve(config, k8s.brokerCr(config.getNamespace(), config.getResources().getBroker()), warnings)
                .orElseThrow(() -> new ConfigException("Broker CR '" + config.getResources().getBroker() + "' not found in namespace '"
                        + config.getNamespace() + "': check --broker-cr and --namespace"));
    }

    ZonePods pods() {
        String ns = config.getNamespace();
        return ZonePods.of(config, k8s.nodes(), k8s.pods(ns, OperatorNames.brokerLabels(config.getResources().getBroker())),
                k8s.pods(ns, OperatorNames.nameServiceLabels(config.getResources().getNameService())),
                k8s.pods(ns, OperatorNames.controllerLabels(config.getResources().getController())));
    }

    /** The deployment's problems now (see {@link ClusterHealth}); empty when it is whole. */
    List<String> health(BrokerShape shape, RocketMqLink link) {
        ZonePods pods = pods();
        List<String> policies = new ZoneCut(k8s, config.getNamespace(), progress).leftoverPolicies();
        Optional<RocketMqGateway> g = link.gateway();
        ClusterView view = null;
        Map<String, SyncStateSet> sets = null;
        String error = null;
        if (g.isPresent()) {
            List<String> groups = OperatorNames.brokerNames(config.getResources().getBroker(), shape.groups());
            try {
                view = g.get().clusterView(false);
                sets = g.get().syncStateSets(groups);
            } catch (RuntimeException e) {
                error = e.getMessage();
            }
        } else if (access != RocketMqAccess.NONE) {
            error = "no Ready name server";
        }
        return new ArrayList<>(ClusterHealth.problems(config.getResources().getBroker(), shape.groups(),
                shape.brokersPerGroup(), pods, policies, view, sets, error));
    }

    /** Waits until the deployment is whole; returns what was still wrong at the timeout (empty: whole). */
    List<String> awaitWhole(BrokerShape shape, RocketMqLink link, Duration timeout) throws InterruptedException {
        return awaitWhole(shape, link, timeout, null);
    }

    /** As above; {@code stray} (may be null) restarts a returning replica that replicates from the wrong broker. */
    List<String> awaitWhole(BrokerShape shape, RocketMqLink link, Duration timeout, io.crosszone.tasks.StrayReplicas stray)
            throws InterruptedException {
        List<List<String>> last = new ArrayList<>(List.of(List.of()));
        try {
            waiter.until("", timeout, () -> {
                List<String> problems = health(shape, link);
                last.set(0, problems);
                if (stray != null && !problems.isEmpty()) {
                    OperatorNames.brokerNames(config.getResources().getBroker(), shape.groups()).forEach(stray::look);
                }
                return problems.isEmpty() ? Waiter.Status.done("the deployment is whole")
                        : Waiter.Status.waiting("waiting for the deployment to be whole: " + String.join("; ", problems));
            });
            return new ArrayList<>();
        } catch (Waiter.TimedOut t) {
            return new ArrayList<>(last.get(0));
        }
    }

    static Map<Integer, String> masters(ClusterView view, String brokerCr, int groups) {
        Map<Integer, String> m = new TreeMap<>();
        for (int g = 0; g < groups; g++) {
            int group = g;
            view.masterAddress(OperatorNames.brokerName(brokerCr, g)).ifPresent(a -> m.put(group, a));
        }
        return m;
    }
}
