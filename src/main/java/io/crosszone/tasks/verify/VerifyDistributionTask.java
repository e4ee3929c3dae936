package io.crosszone.tasks.verify;

import io.crosszone.config.ConfigException;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.core.Progress;
import io.crosszone.core.TimeSource;
import io.crosszone.core.Waiter;
import io.crosszone.k8s.BrokerCr;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.plan.OperatorNames;
import io.crosszone.plan.PlacementPlan;
import io.crosszone.plan.PlacementPlanner;
import io.crosszone.tasks.PlanWhereRunning;
import io.crosszone.rocketmq.RocketMqAccess;
import io.crosszone.rocketmq.RocketMqEndpoints;
import io.crosszone.rocketmq.RocketMqException;
import io.crosszone.rocketmq.RocketMqGateway;
import io.crosszone.rocketmq.TopicSpec;
import io.crosszone.tasks.BrokerShape;
import io.crosszone.tasks.GroupHealth;
import io.crosszone.tasks.MasterFailBack;
import io.crosszone.tasks.RocketMqGroupHealth;
import io.crosszone.tasks.verify.DistributionSnapshot.BrokerPod;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * verify-distribution: reads the Kubernetes objects once, asks RocketMQ (by the pods' IPs), and
 * evaluates the placement with {@link DistributionVerifier}. Optionally creates topics that
 * slaves lack (--fix-topics) and moves masters back to the planned replica (--rebalance-masters).
 */
public final class VerifyDistributionTask {
    private final KubernetesGateway k8s;
    private final RocketMqAccess access;
    private final Progress progress;
    private final Duration callTimeout;
    private final TimeSource time;
    /** How long one group may take, after its election, to be listed and fully in sync. */
    private static final Duration FAIL_BACK_TIMEOUT = Duration.ofSeconds(60);

    public VerifyDistributionTask(KubernetesGateway k8s, RocketMqAccess access, Progress progress, Duration callTimeout) {
        this(k8s, access, progress, callTimeout, TimeSource.SYSTEM);
    }

    /** As above, every wait (converging, moving masters back) on {@code time} (a test's fake clock). */
    public VerifyDistributionTask(KubernetesGateway k8s, RocketMqAccess access, Progress progress, Duration callTimeout,
                                  TimeSource time) {
        this.k8s = k8s;
        this.access = access;
        this.progress = progress;
        this.callTimeout = callTimeout;
        this.time = time;
    }

    /**
     * @param convergeTimeout how long to keep re-reading while only {@link Convergence converging}
     *                        checks fail (zero: judge the first reading)
     */
    public record Options(boolean fixTopics, boolean rebalanceMasters, Duration convergeTimeout) {
        public static final Duration DEFAULT_CONVERGE_TIMEOUT = Duration.ofSeconds(60);
        public static final Options CHECK_ONLY = new Options(false, false, Duration.ZERO);

        /**
         * Reads only, and waits up to {@link #DEFAULT_CONVERGE_TIMEOUT} for what settles by itself:
         * 60 s, since a restarted name server is empty until every broker's next registration
         * ({@code registerNameServerPeriod}, 30 s by default) and a slave may need a few more.
         */
        public static Options checkOnlyConverged() {
            return new Options(false, false, DEFAULT_CONVERGE_TIMEOUT);
        }
    }

    /** How often a converging verification is read again. */
    private static final Duration CONVERGE_POLL = Duration.ofSeconds(2);

    /** One deployment: the one the configuration names. */
    public Verification verify(CrosszoneConfig config, Options options, List<String> warnings) {
        if (!k8s.namespaceExists(config.getNamespace())) {
            throw new ConfigException("namespace " + config.getNamespace() + " does not exist: check --namespace");
        }
        ClusterObjects objects = ClusterObjects.read(k8s, config.getNamespace());
        return verify(config, objects, options, warnings);
    }

    /** Every Broker CR of the cluster, each kind of object listed once for all of them. */
    public List<Verification> verifyAll(CrosszoneConfig base, Options options, List<String> warnings) {
        ClusterObjects all = ClusterObjects.readAll(k8s);
        List<Verification> out = new ArrayList<>();
        for (GenericKubernetesResource cr : all.brokerCrs()) {
            CrosszoneConfig c = copyFor(base, cr.getMetadata().getNamespace(), cr.getMetadata().getName(), all);
            out.add(verify(c, all.inNamespace(c.getNamespace()), options, warnings));
        }
        return out;
    }

    /**
     * Verifies once; when only {@link Convergence converging} checks fail, reads Kubernetes and
     * RocketMQ again every {@link #CONVERGE_POLL} until they pass, something else fails, or the
     * converge timeout is spent. Only the first reading acts (--fix-topics, --rebalance-masters).
     * How long it took is a warning, so a report that passed says it passed only after waiting.
     */
    private Verification verify(CrosszoneConfig config, ClusterObjects objects, Options options, List<String> warnings) {
        Verification v = verifyOnce(config, objects, options, warnings);
        List<CheckResult> first = Convergence.pending(v);
        if (first.isEmpty() || options.convergeTimeout().isZero()) {
            return v;
        }
        String what = config.getNamespace() + "/" + config.getResources().getBroker();
        String names = first.stream().map(CheckResult::name).toList().toString();
        progress.info(what + ": only " + names + " failed; reading again for up to " + options.convergeTimeout().toSeconds()
                + " s while RocketMQ settles: " + first.stream().map(CheckResult::message).toList());
        long start = time.nanoTime();
        Verification[] latest = {v};
        List<String> latestWarnings = new ArrayList<>();
        // each reading prints its own progress line: the waiter prints none
        Waiter waiter = new Waiter(Progress.silent(), CONVERGE_POLL, time);
        try {
            time.sleep(CONVERGE_POLL);
            Duration rest = options.convergeTimeout().minus(CONVERGE_POLL);
            waiter.until("", rest.isNegative() ? Duration.ZERO : rest, () -> {
                latestWarnings.clear();
                latest[0] = verifyOnce(config, ClusterObjects.read(k8s, config.getNamespace()), Options.CHECK_ONLY,
                        latestWarnings);
                boolean settled = latest[0].passed() || Convergence.pending(latest[0]).isEmpty();
                return settled ? Waiter.Status.done("settled") : Waiter.Status.waiting("converging");
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return latest[0];
        } catch (Waiter.TimedOut t) {
            // still converging when the time was up: judged below
        }
        v = latest[0];
        String after = String.format("%.1f s", (time.nanoTime() - start) / 1e9);
        if (v.passed()) {
            warnings.add(what + ": " + names + " failed at first and passed after " + after + " (RocketMQ was settling)");
            return v;
        }
        warnings.addAll(latestWarnings);
        if (!Convergence.pending(v).isEmpty()) {
            warnings.add(what + ": still failing after waiting " + after + " for RocketMQ to settle");
        }
        return v;
    }

    private Verification verifyOnce(CrosszoneConfig config, ClusterObjects objects, Options options, List<String> warnings) {
        String ns = config.getNamespace();
        String brokerCrName = config.getResources().getBroker();
        GenericKubernetesResource crResource = objects.brokerCrs().stream()
                .filter(c -> c.getMetadata().getName().equals(brokerCrName)).findFirst()
                .orElseThrow(() -> new ConfigException("Broker CR " + ns + "/" + brokerCrName + " does not exist: check --broker-cr and --namespace"));
        BrokerShape shape = BrokerShape.resolve(config, Optional.of(new BrokerCr(crResource)), warnings)
                .orElseThrow(() -> new ConfigException("the broker shape of " + brokerCrName + " is unknown"));
        CrosszoneConfig shaped = shape.applyTo(config);
        // a group already spread over its zones in another order is planned where it runs, as apply-affinity does
        PlacementPlan plan = PlanWhereRunning.of(PlacementPlanner.plan(shaped), objects.pods(), objects.nodes(),
                config.getZoneLabelKey());
        List<BrokerPod> brokers = KubernetesSide.brokers(objects, plan);
        var nameServers = KubernetesSide.members(objects, OperatorNames.nameServiceLabels(config.getResources().getNameService()));
        var controllers = KubernetesSide.members(objects, OperatorNames.controllerLabels(config.getResources().getController()));
        Map<String, String> zones = KubernetesSide.nodeZones(objects.nodes(), config.getZoneLabelKey());
        var storage = KubernetesSide.controllerStorage(objects, config);
        progress.info(ns + "/" + brokerCrName + ": " + brokers.size() + " broker StatefulSets, " + nameServers.size()
                + " name servers, " + controllers.size() + " controllers");

        List<String> groupNames = OperatorNames.brokerNames(brokerCrName, shape.groups());
        List<String> nsAddrs = addresses(nameServers, OperatorNames.NAME_SERVER_PORT);
        List<String> ctlAddrs = addresses(controllers, OperatorNames.CONTROLLER_PORT);
        DistributionSnapshot.RocketMqView view = null;
        Map<String, Set<String>> fixed = new LinkedHashMap<>();
        if (!nsAddrs.isEmpty()) {
            Optional<RocketMqGateway> gateway = access.open(new RocketMqEndpoints(nsAddrs, ctlAddrs, callTimeout));
            if (gateway.isPresent()) {
                try (RocketMqGateway rocketmq = gateway.get()) {
                    view = RocketMqSide.read(rocketmq, groupNames, nsAddrs, controllers.size(), w -> {
                        warnings.add(w);
                        progress.warn(w);
                    });
                    DistributionSnapshot first = new DistributionSnapshot(ns, brokerCrName, brokers, nameServers, controllers,
                            zones, storage, view);
                    if (options.fixTopics()) {
                        fixed = fixTopics(rocketmq, first);
                    }
                    if (options.rebalanceMasters() && failBack(config, shape, groupNames, warnings,
                            PlanWhereRunning.plannedMasters(plan, brokerCrName))) {
                        view = RocketMqSide.read(rocketmq, groupNames, nsAddrs, controllers.size(), warnings::add);
                    }
                } catch (RocketMqException e) {
                    warnings.add("RocketMQ did not answer: " + e.getMessage());
                    progress.warn("RocketMQ did not answer: " + e.getMessage());
                    view = null;
                }
            } else {
                warnings.add("RocketMQ was not asked (no RocketMQ access in this run): the RocketMQ checks fail");
            }
        }
        DistributionSnapshot snapshot = new DistributionSnapshot(ns, brokerCrName, brokers, nameServers, controllers,
                zones, storage, view);
        return DistributionVerifier.evaluate(snapshot, plan, shaped, fixed);
    }

    private static List<String> addresses(List<DistributionSnapshot.MemberPod> pods, int port) {
        return pods.stream().filter(p -> p.ready() && p.ip() != null).map(p -> p.ip() + ":" + port).sorted().toList();
    }

    private Map<String, Set<String>> fixTopics(RocketMqGateway rocketmq, DistributionSnapshot s) {
        Map<String, Set<String>> missing = TopicChecks.missingOnSlaves(s);
        Map<String, Set<String>> fixed = new LinkedHashMap<>();
        s.rocketmq().clusterGroups().forEach((group, members) -> {
            String master = members.stream().filter(DistributionSnapshot.RegisteredBroker::master)
                    .map(DistributionSnapshot.RegisteredBroker::address).findFirst().orElse(null);
            Set<String> topics = new TreeSet<>();
            members.forEach(m -> topics.addAll(missing.getOrDefault(m.address(), Set.of())));
            if (master == null || topics.isEmpty()) {
                return;
            }
            Map<String, TopicSpec> specs = rocketmq.topics(master);
            for (String topic : topics) {
                TopicSpec spec = specs.get(topic);
                if (spec == null) {
                    continue;
                }
                List<String> written = rocketmq.createTopicOnGroup(group, spec);
                progress.info("created topic " + topic + " on every broker of " + group + " " + written);
                members.forEach(m -> {
                    if (missing.getOrDefault(m.address(), Set.of()).contains(topic)) {
                        fixed.computeIfAbsent(m.address(), a -> new TreeSet<>()).add(topic);
                    }
                });
            }
        });
        return fixed;
    }

    /**
     * Moves masters back to the planned replica with {@link MasterFailBack} (one group at a time,
     * only where safe), through RocketMQ by the pods' IPs. Returns whether anything moved.
     */
    private boolean failBack(CrosszoneConfig config, BrokerShape shape, List<String> groups, List<String> warnings,
                             Map<String, Integer> plannedMasters) {
        GroupHealth.Target target = new GroupHealth.Target(config.getNamespace(), config.getResources().getBroker(),
                config.getResources().getNameService(), config.getResources().getController());
        try (GroupHealth health = RocketMqGroupHealth.factory(access, callTimeout).open(k8s, target)) {
            MasterFailBack.Outcome o = new MasterFailBack(health, shape.brokersPerGroup(), progress, FAIL_BACK_TIMEOUT,
                    Duration.ofMillis(250), time).withPlannedMasters(plannedMasters).run(groups);
            o.notMoved().forEach(n -> warnings.add(n.group() + ": master not moved back to its planned replica "
                    + n.planned() + ": " + n.reason()));
            return !o.elections().isEmpty();
        } catch (MasterFailBack.TimedOut t) {
            warnings.add(t.getMessage());
            progress.warn(t.getMessage());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static CrosszoneConfig copyFor(CrosszoneConfig base, String namespace, String brokerCr, ClusterObjects all) {
        CrosszoneConfig c = new CrosszoneConfig();
        c.setNamespace(namespace);
        c.setZoneLabelKey(base.getZoneLabelKey());
        c.setZones(base.getZones());
        c.setBrokers(new io.crosszone.config.BrokerSpec());
        c.getBrokers().setZoneSeparation(base.getBrokers().getZoneSeparation());
        c.getBrokers().setProperties(base.getBrokers().getProperties());
        c.setController(base.getController());
        c.getResources().setBroker(brokerCr);
        c.getResources().setNameService(base.getResources().getNameService());
        // each deployment's own controller CR when the namespace has exactly one
        List<GenericKubernetesResource> ctl = all.controllerCrs().stream()
                .filter(r -> namespace.equals(r.getMetadata().getNamespace())).toList();
        c.getResources().setController(ctl.size() == 1 ? ctl.get(0).getMetadata().getName() : base.getResources().getController());
        return c;
    }
}
