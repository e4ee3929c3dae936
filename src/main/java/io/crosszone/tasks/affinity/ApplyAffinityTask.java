package io.crosszone.tasks.affinity;

import io.crosszone.config.ConfigException;
import io.crosszone.config.ConfigValidator;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.core.JsonMaps;
import io.crosszone.core.Progress;
import io.crosszone.core.RuntimeFailure;
import io.crosszone.k8s.BrokerCr;
import io.crosszone.k8s.Fields;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.k8s.NameServerEnv;
import io.crosszone.k8s.RocketMqKind;
import io.crosszone.plan.BrokerPlacement;
import io.crosszone.plan.OperatorNames;
import io.crosszone.plan.PlacementPlan;
import io.crosszone.plan.PlacementPlanner;
import io.crosszone.plan.rollout.RolloutPlan;
import io.crosszone.report.TaskReport;
import io.crosszone.rocketmq.SyncStateSet;
import io.crosszone.tasks.BrokerShape;
import io.crosszone.tasks.GroupHealth;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * apply-affinity: gives the name server, the controller and each broker StatefulSet the planned
 * placement, and restarts what changed without losing availability.
 *
 * <p>Order: the name server (CR, then StatefulSet, its pods rolled one at a time by the
 * StatefulSet controller), the controller (likewise), then the broker StatefulSets in the steps
 * the rollout planner orders ({@link RolloutPlanning}: no spare node needed, a zone without a
 * free node is entered by a swap of brokers of different groups; slaves before masters; a master
 * hands over to an in-sync slave before it goes down): before each step its groups must be fully
 * in sync; after it, its pods replaced, scheduled and Ready and the groups fully in sync again.
 * Then each group's master is elected back onto its planned replica ({@link FailBackStep}). Then, after
 * {@code settle}, everything is read again to catch an operator that reverts StatefulSets (the
 * ksmartdata fork); only when nothing was reverted does the Broker CR get its
 * {@code spec.affinity} (under that fork, a changed Broker CR rewrites every broker StatefulSet
 * at once). Nothing that already matches is written, restarted or elected.
 *
 * <p>Before anything is written (also under --dry-run): when no safe order of broker restarts
 * exists (e.g. a zone with fewer schedulable nodes than brokers planned there), the run is
 * refused with exit 1, naming the zone and what it lacks.
 */
public final class ApplyAffinityTask {
    public static final String TASK = "apply-affinity";

    /** The task's switches. */
    /** @param replaceZonalVolumes a broker moving out of the zone its volume is in gets a new, empty claim (see {@link ZonalVolumes}) */
    public record Options(boolean dryRun, boolean noRestart, Duration timeout, Duration settle, Duration pollInterval,
                          boolean replaceZonalVolumes) {
    }

    /** One restart as measured. */
    public record Restart(String statefulSet, String role, double seconds, String node, String zone, String plannedZone) {
    }

    private final KubernetesGateway k8s;
    private final Progress progress;
    private final GroupHealth.Factory healthFactory;

    public ApplyAffinityTask(KubernetesGateway k8s, Progress progress, GroupHealth.Factory healthFactory) {
        this.k8s = k8s;
        this.progress = progress;
        this.healthFactory = healthFactory;
    }

    public TaskReport run(CrosszoneConfig config, Options o) throws InterruptedException {
        String ns = config.getNamespace();
        BrokerCr broker = preflight(config);
        TaskReport report = TaskReport.mutating(TASK, o.dryRun());
        List<String> shapeWarnings = new ArrayList<>();
        BrokerShape shape = BrokerShape.resolve(config, Optional.of(broker), shapeWarnings).orElseThrow();
        shapeWarnings.forEach(report::warn);
        ConfigValidator.validate(shape.applyTo(config), false); // the CR's shape against the zones
        PlacementPlan plan = keptWhereRunning(PlacementPlanner.plan(config), config, report);

        ObservedState state = read(config, broker, plan);
        List<ObjectChange> changes = AffinityPlan.plan(plan, state);
        report.put("brokerCr", ns + "/" + broker.name());
        report.line("Broker CR " + ns + "/" + broker.name() + ": " + shape.groups() + " groups x "
                + shape.brokersPerGroup() + " brokers over zones " + String.join(", ", plan.zones()));
        List<ObjectChange> differing = changes.stream().filter(c -> c.changes() || c.held()).toList();
        report.put("objectsChecked", changes.size());
        report.put("objectsToChange", differing.stream().map(ObjectChange::describe).toList());

        String nameServerHold = Boolean.TRUE.equals(broker.spec().get("allowRestart"))
                ? "the Broker CR has allowRestart=true: when a name-server pod comes back with a new IP the operator rewrites"
                + " NAMESRV_ADDR in every broker StatefulSet, which restarts all brokers at once. Set spec.allowRestart=false"
                + " on the Broker CR (the operator then updates the brokers' namesrvAddr in place) and re-run, or restart"
                + " the name server in a maintenance window" : null;
        String controllerHold = "EmptyDir".equals(Fields.string(state.controller().getAdditionalProperties(), "spec", "storageMode"))
                ? "the Controller CR keeps its data in an EmptyDir: a restarted controller starts without its metadata"
                + " (SyncStateSets, broker ids); give it a volume first, or restart it in a maintenance window" : null;

        ObjectChange controllerSts = find(changes, ObjectChange.Target.CONTROLLER_STATEFULSET);
        if (!o.noRestart() && controllerHold == null && (controllerSts.changes() || controllerSts.held())) {
            List<String> stranded = controllerStranded(config, plan, state.controllerStatefulSet());
            if (!stranded.isEmpty()) {
                String what = "the controller's claim " + String.join(", ", stranded) + " is bound to a volume that cannot be"
                        + " attached in its planned zone " + plan.controllerZone();
                if (!o.replaceZonalVolumes()) {
                    report.verdict(io.crosszone.report.Verdict.FAILED).warn(what);
                    report.put("strandedVolumes", List.of(what));
                    report.line("Refused, nothing was changed: " + what + ". Re-run with --replace-zonal-volumes to give it a new,"
                            + " empty volume there and re-seed it from the groups as they are (each master stays master).");
                    return report;
                }
                report.line("Volume to replace: " + what + " (--replace-zonal-volumes: the controller is re-seeded)");
            }
        }
        List<ObjectChange> brokerRestarts = changes.stream()
                .filter(c -> c.target() == ObjectChange.Target.BROKER_STATEFULSET && (c.changes() || c.held())).toList();
        FailBackStep failBack = new FailBackStep(broker.name(), config.getBrokers().getGroups(),
                config.getBrokers().getReplicasPerGroup(), plan, progress, report);
        AffinityRollout rollout = new AffinityRollout(k8s, progress, healthFactory, config, plan, o, report, failBack);
        Optional<Map<String, SyncStateSet>> cutOffMove = ControllerMoveRecord.read(k8s, ns);
        if (cutOffMove.isPresent()) {
            report.line("A controller move was cut off after its claim was replaced (ConfigMap " + ns + "/"
                    + ControllerMoveRecord.NAME + "): " + (o.dryRun() ? "a run would re-seed" : "re-seeding")
                    + " the controller from the groups recorded then, " + cutOffMove.get().keySet() + ", before anything else");
            if (!o.dryRun()) {
                rollout.resumeControllerMove(state.controllerStatefulSet(), cutOffMove.get());
            }
        }
        if (!o.noRestart() && !brokerRestarts.isEmpty()) {
            // the order of broker restarts (or why none is safe), before anything is written
            if (!o.dryRun()) {
                BrokerPodsBound.await(k8s, ns, broker.name(), state.brokerStatefulSets().keySet(), progress, o.pollInterval(),
                        o.timeout());
            }
            try (GroupHealth health = openHealth(config)) {
                RolloutPlan steps = RolloutPlanning.plan(k8s, config, plan, brokerRestarts.stream().map(ObjectChange::name)
                        .collect(Collectors.toSet()), state.brokerStatefulSets().values().iterator().next(), health);
                if (!steps.safe()) {
                    RolloutPlanning.refuse(steps, report);
                    return report;
                }
                List<ZonalVolumes.Stranded> stranded = new ZonalVolumes(k8s, ns, config.getZoneLabelKey()).stranded(steps.steps());
                if (!stranded.isEmpty() && !o.replaceZonalVolumes()) {
                    report.verdict(io.crosszone.report.Verdict.FAILED);
                    stranded.forEach(x -> report.warn(x.describe()));
                    report.put("strandedVolumes", stranded.stream().map(ZonalVolumes.Stranded::describe).toList());
                    report.line("Refused, nothing was changed: " + stranded.size() + " broker volume(s) cannot follow their"
                            + " broker into its planned zone (a pod there would stay Pending). Re-run with"
                            + " --replace-zonal-volumes to give each such broker a new, empty claim in its new zone: it re-syncs"
                            + " from its group's master (a master hands over to an in-sync slave first).");
                    return report;
                }
                stranded.forEach(x -> report.line("Volume to replace: " + x.describe() + " (--replace-zonal-volumes)"));
                if (o.dryRun()) {
                    AffinityReport.dryRun(changes, o, nameServerHold, controllerHold, report);
                    RolloutPlanning.describe(steps, report);
                    failBack.preview(health, brokerRestarts.stream().map(ObjectChange::name).collect(Collectors.toSet()));
                    return report;
                }
            }
        }
        if (o.dryRun()) {
            AffinityReport.dryRun(changes, o, nameServerHold, controllerHold, report);
            return report;
        }
        rollout.workload(find(changes, ObjectChange.Target.NAME_SERVICE_CR), find(changes, ObjectChange.Target.NAME_SERVICE_STATEFULSET),
                state.nameServiceStatefulSet(), nameServerHold, "name server");
        rollout.workload(find(changes, ObjectChange.Target.CONTROLLER_CR), find(changes, ObjectChange.Target.CONTROLLER_STATEFULSET),
                state.controllerStatefulSet(), controllerHold, "controller");
        // planned again from what is there now: a name server that moved has a new IP, which the
        // brokers restarted from here on must be given (see AffinityPlan.statefulSet)
        ObservedState beforeBrokers = read(config, broker, plan);
        List<ObjectChange> now = AffinityPlan.plan(plan, beforeBrokers);
        for (ObjectChange c : now) {
            boolean workload = c.target() == ObjectChange.Target.NAME_SERVICE_STATEFULSET
                    || c.target() == ObjectChange.Target.CONTROLLER_STATEFULSET;
            if (workload && rollout.wrote && c.placementChanges()) {
                rollout.reverted.add(c.describe()); // the operator rewrote what was just patched: no broker is touched
            }
        }
        for (Map.Entry<String, StatefulSet> e : beforeBrokers.brokerStatefulSets().entrySet()) {
            StatefulSet was = state.brokerStatefulSets().get(e.getKey());
            if (rollout.wrote && was != null && !JsonMaps.same(was.getSpec(), e.getValue().getSpec())) {
                // not written by this run yet: the operator rewrote it (e.g. a fork that re-renders every StatefulSet)
                rollout.reverted.add("StatefulSet " + e.getKey() + " (rewritten by the operator while the controller rolled)");
            }
        }
        if (rollout.reverted.isEmpty()) {
            rollout.brokers(now.stream().filter(c -> c.target() == ObjectChange.Target.BROKER_STATEFULSET).toList(), beforeBrokers);
        }

        List<String> reverted = rollout.reverted;
        if (reverted.isEmpty() && rollout.wrote) {
            progress.info("settling for " + o.settle() + ", then reading the StatefulSets again to see whether the operator reverts them");
            Thread.sleep(o.settle().toMillis());
            ObservedState again = read(config, broker, plan);
            for (ObjectChange c : AffinityPlan.plan(plan, again)) {
                if (c.target().statefulSet() && c.placementChanges()) {
                    reverted.add(c.describe());
                }
            }
        }
        ObjectChange brokerCr = find(changes, ObjectChange.Target.BROKER_CR);
        if (!reverted.isEmpty()) {
            AffinityReport.reverted(reverted, brokerCr, o, report);
        } else if (brokerCr.changes()) {
            rollout.patch(brokerCr, brokerCr.patch(), "spec.affinity: " + AffinityReport.summary(brokerCr));
        }
        AffinityReport.placement(plan, rollout, report);
        report.line("Note: the per-StatefulSet affinity lives on the StatefulSets only. If a broker StatefulSet is deleted,"
                + " the operator recreates it with just the Broker CR's spec.affinity (the hostname spread): re-run"
                + " apply-affinity afterwards (the runbook's caveat 2; a restart keeps it).");
        return report;
    }

    // ---- reading

    /**
     * The plan, with a group whose members already run in its zones in another order kept where it
     * runs (moving it would put two members in one zone for a while): said in the report.
     */
    private PlacementPlan keptWhereRunning(PlacementPlan configured, CrosszoneConfig config, TaskReport report) {
        PlacementPlan plan = io.crosszone.tasks.PlanWhereRunning.read(k8s, config, configured);
        List<String> kept = new ArrayList<>();
        for (BrokerPlacement b : plan.brokers()) {
            BrokerPlacement first = configured.broker(b.statefulSet()).orElseThrow();
            if (!first.plannedZone().equals(b.plannedZone())) {
                kept.add(b.statefulSet() + " stays in " + b.plannedZone() + " (first planned " + first.plannedZone() + ")"
                        + (b.likelyMaster() ? ", its group's planned master" : ""));
            }
        }
        if (!kept.isEmpty()) {
            report.put("keptWhereRunning", kept);
            report.line("Groups already spread over their zones in another order are kept where they run (moving them"
                    + " would put two members in one zone for a while): " + String.join("; ", kept));
        }
        return plan;
    }

    /** The controller's claims whose volume cannot be attached in its planned zone. */
    private List<String> controllerStranded(CrosszoneConfig config, PlacementPlan plan, StatefulSet controller) {
        io.crosszone.tasks.ControllerReplacement r = new io.crosszone.tasks.ControllerReplacement(k8s, config.getNamespace(),
                config.getZoneLabelKey());
        List<String> out = new ArrayList<>();
        for (int n = 0; n < AffinityRollout.replicas(controller); n++) {
            out.addAll(r.strandedClaims(controller.getMetadata().getName() + "-" + n, Set.of(plan.controllerZone())));
        }
        return out;
    }

    private BrokerCr preflight(CrosszoneConfig config) {
        String ns = config.getNamespace();
        String name = config.getResources().getBroker();
        BrokerCr b = io.crosszone.tasks.BrokerCrs.require(k8s, config);
        if (!b.controllerMode()) {
            throw new ConfigException("Broker CR " + ns + "/" + name + " is in " + b.clusterMode() + " mode: apply-affinity"
                    + " places the CONTROLLER-mode StatefulSets <cr>-<group>-<index>; run switch-to-controller-mode first");
        }
        if (b.groups() < 1) {
            throw new ConfigException("Broker CR " + ns + "/" + name + " has spec.size " + b.groups() + ": nothing to place");
        }
        if (k8s.cr(RocketMqKind.NAME_SERVICE, ns, config.getResources().getNameService()).isEmpty()) {
            throw new ConfigException("NameService CR '" + config.getResources().getNameService() + "' not found in namespace '"
                    + ns + "': check --name-service-cr");
        }
        if (k8s.cr(RocketMqKind.CONTROLLER, ns, config.getResources().getController()).isEmpty()) {
            throw new ConfigException("Controller CR '" + config.getResources().getController() + "' not found in namespace '"
                    + ns + "': check --controller-cr (CONTROLLER mode needs one; switch-to-controller-mode creates it)");
        }
        return b;
    }

    private ObservedState read(CrosszoneConfig config, BrokerCr broker, PlacementPlan plan) {
        String ns = config.getNamespace();
        String nsName = config.getResources().getNameService();
        String ctlName = config.getResources().getController();
        Map<String, StatefulSet> brokers = new LinkedHashMap<>();
        for (StatefulSet s : k8s.statefulSetsSelecting(ns, OperatorNames.brokerLabels(broker.name()))) {
            brokers.put(s.getMetadata().getName(), s);
        }
        List<String> missing = plan.brokers().stream().map(BrokerPlacement::statefulSet)
                .filter(s -> !brokers.containsKey(s)).toList();
        if (!missing.isEmpty()) {
            throw new RuntimeFailure("broker StatefulSets " + missing + " do not exist (yet): the operator creates them from"
                    + " the Broker CR; wait for it (switch-to-controller-mode waits for them) and re-run (nothing was changed)");
        }
        GenericKubernetesResource nameService = k8s.cr(RocketMqKind.NAME_SERVICE, ns, nsName).orElseThrow();
        GenericKubernetesResource controller = k8s.cr(RocketMqKind.CONTROLLER, ns, ctlName).orElseThrow();
        StatefulSet nsSts = k8s.statefulSet(ns, nsName).orElseThrow(() -> new RuntimeFailure("the name server's StatefulSet "
                + ns + "/" + nsName + " does not exist (yet): the operator creates it from the NameService CR (nothing was changed)"));
        StatefulSet ctlSts = k8s.statefulSet(ns, ctlName).orElseThrow(() -> new RuntimeFailure("the controller's StatefulSet "
                + ns + "/" + ctlName + " does not exist (yet): the operator creates it from the Controller CR (nothing was changed)"));
        Set<String> nameServers = NameServerEnv.running(k8s.pods(ns, OperatorNames.nameServiceLabels(nsName)));
        if (nameServers.size() != AffinityRollout.replicas(nsSts)) {
            nameServers = Set.of(); // a name server is down or moving: not the list to hand brokers
        }
        return new ObservedState(k8s.brokerCr(ns, broker.name()).orElseThrow(), nameService, controller, brokers, nsSts, ctlSts,
                nameServers);
    }

    private static ObjectChange find(List<ObjectChange> changes, ObjectChange.Target target) {
        return changes.stream().filter(c -> c.target() == target).findFirst().orElseThrow();
    }

    private GroupHealth openHealth(CrosszoneConfig config) {
        return healthFactory.open(k8s, new GroupHealth.Target(config.getNamespace(), config.getResources().getBroker(),
                config.getResources().getNameService(), config.getResources().getController()));
    }
}
