package io.crosszone.tasks.reseed;

import static io.crosszone.rocketmq.Addresses.host;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.core.Progress;
import io.crosszone.k8s.K8sStatus;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.plan.OperatorNames;
import io.crosszone.plan.reseed.ReseedDecision;
import io.crosszone.report.Change;
import io.crosszone.report.TaskReport;
import io.crosszone.report.Verdict;
import io.crosszone.rocketmq.ControllerReseeder;
import io.crosszone.rocketmq.RocketMqException;
import io.crosszone.rocketmq.SyncStateSet;
import io.crosszone.tasks.ControllerReplacement;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The runbook's zone-B case in a real outage: the controller came back with empty metadata (its
 * volume could not leave the lost zone), so no group can elect a master. From the last known state
 * (ids, addresses, who was in each SyncStateSet) and what each surviving broker says now (epoch and
 * offset), every group the controller does not know is re-seeded with a survivor that was in its
 * SyncStateSet as master ({@link io.crosszone.plan.reseed.ControllerReseedPlan}); a group with no such
 * survivor is refused unless {@code --allow-unclean}. A group the controller knows is never touched,
 * so a second run changes nothing. Then each re-seeded master is restarted once (it kept the old
 * controller's SyncStateSet and, where its replica went silent, waits for it). {@code --realign}, once
 * the lost zone is back: raises each re-seeded group's SyncStateSet epoch so the returning replicas
 * can rejoin ({@link ControllerReplacement#realign}).
 */
public final class ReseedControllerTask {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);

    /**
     * @param lostZone       the zone that is gone: its brokers are not survivors, its controllers not asked (null: none named)
     * @param restartMasters restart each re-seeded master once (default; see the class comment)
     * @param realign        the lost zone is back: realign the re-seeded groups instead of re-seeding
     */
    public record Options(Map<String, SyncStateSet> knownState, String lostZone, boolean allowUnclean,
                          boolean restartMasters, boolean realign, boolean dryRun, Duration timeout) {
    }

    private final KubernetesGateway k8s;
    private final Progress progress;

    public ReseedControllerTask(KubernetesGateway k8s, Progress progress) {
        this.k8s = k8s;
        this.progress = progress;
    }

    public TaskReport run(CrosszoneConfig config, Options o) throws InterruptedException {
        TaskReport report = TaskReport.mutating(o.realign() ? "reseed-controller --realign" : "reseed-controller", o.dryRun());
        String ns = config.getNamespace();
        Map<String, String> zoneOfNode = zones(config);
        List<String> controllers = ControllerReplacement.addresses(k8s.pods(ns, OperatorNames.controllerLabels(
                config.getResources().getController())).stream().filter(p -> outsideLostZone(p, zoneOfNode, o))
                .filter(K8sStatus::podReady).map(p -> p.getStatus().getPodIP()).toList());
        if (controllers.isEmpty()) {
            report.line("No Ready controller pod" + (o.lostZone() == null ? "" : " outside " + o.lostZone())
                    + ": nothing can be re-seeded; start the controller first (its claim replaced if its volume is in the lost zone)");
            return report.verdict(Verdict.FAILED);
        }
        try (ControllerReseeder reseeder = new ControllerReseeder(controllers, CALL_TIMEOUT)) {
            progress.info("controller leader " + reseeder.awaitLeader(o.timeout()));
            return o.realign() ? realign(reseeder, controllers, config, o, report) : reseed(reseeder, config, zoneOfNode, o, report);
        }
    }

    private TaskReport reseed(ControllerReseeder reseeder, CrosszoneConfig config, Map<String, String> zoneOfNode, Options o,
                              TaskReport report) {
        String ns = config.getNamespace();
        Map<String, SyncStateSet> empty = new LinkedHashMap<>();
        List<String> leftAlone = new ArrayList<>();
        List<String> resumed = new ArrayList<>();
        o.knownState().forEach((group, s) -> {
            if (!reseeder.needsReseed(group)) {
                leftAlone.add(group);
                return;
            }
            if (reseeder.groupSet(group).isPresent()) {
                // ids but never a master: a re-seed cut off on the way (SIGKILL, a lost connection), finished now
                report.line(group + ": ids on the controller but no master ever elected: a re-seed cut off on the way, finished now");
                resumed.add(group);
            }
            empty.put(group, s);
        });
        leftAlone.forEach(g -> report.line(g + ": the controller holds it: left alone"));
        report.put("leftAlone", leftAlone);
        report.put("resumed", resumed);
        if (empty.isEmpty()) {
            report.line("Nothing to re-seed: the controller knows every group of the record.");
            return report;
        }
        Map<String, Pod> brokerByIp = new HashMap<>();
        k8s.pods(ns, OperatorNames.brokerLabels(config.getResources().getBroker())).stream()
                .filter(K8sStatus::podReady).filter(p -> outsideLostZone(p, zoneOfNode, o))
                .forEach(p -> brokerByIp.put(p.getStatus().getPodIP(), p));
        Predicate<String> surviving = address -> brokerByIp.containsKey(host(address));
        List<String> problems = new ArrayList<>();
        List<ReseedDecision> decisions = ControllerReplacement.decide(reseeder, empty, surviving, problems, o.allowUnclean());
        problems.forEach(report::warn);
        for (ReseedDecision d : decisions) {
            if (d instanceof ReseedDecision.Elect e) {
                report.line(d.group() + ": " + (o.dryRun() ? "would make" : "makes") + " broker " + e.master().brokerId()
                        + " (" + e.master().address() + ") master above epoch " + e.epochFloor() + ", ids " + e.brokerIds().keySet());
                if (e.unclean()) {
                    report.warn(e.warning());
                }
            } else {
                report.line(d.group() + ": refused: " + ((ReseedDecision.Refuse) d).reason());
            }
        }
        List<String> refused = new ArrayList<>();
        List<ControllerReplacement.Reseeded> reseeded = new ArrayList<>();
        if (o.dryRun()) {
            decisions.stream().filter(d -> d instanceof ReseedDecision.Refuse).forEach(d -> refused.add(d.group()));
        } else {
            List<String> done = ControllerReplacement.execute(reseeder, config.getResources().getBroker(), empty, decisions,
                    refused, reseeded);
            done.forEach(line -> {
                report.change(new Change("reseed", "Controller", ns, config.getResources().getController(), line));
                progress.info("re-seeded " + line);
            });
            if (o.restartMasters()) {
                new ControllerReplacement(k8s, ns, config.getZoneLabelKey()).restartMasters(reseeded,
                        address -> Optional.ofNullable(brokerByIp.get(host(address))).map(p -> p.getMetadata().getName()))
                        .forEach((group, pod) -> report.change(new Change("restart", "Pod", ns, pod, "the re-seeded master of "
                                + group + ": it takes the new controller's SyncStateSet (it kept the old one, and would wait"
                                + " for a replica in the lost zone)")));
            }
        }
        report.put("reseeded", reseeded);
        report.put("refused", refused);
        if (!refused.isEmpty()) {
            report.line("Refused: " + refused + " (no survivor that was in its SyncStateSet; --allow-unclean elects the most"
                    + " advanced one and names what may be lost)");
            report.verdict(Verdict.FAILED);
        } else if (!o.dryRun()) {
            report.line("Once the lost zone is back: crosszone reseed-controller --realign --known-state <the same file>");
        }
        return report;
    }

    /** The lost zone is back: each group the record names whose set is not full has its SyncStateSet epoch raised. */
    private TaskReport realign(ControllerReseeder reseeder, List<String> controllers, CrosszoneConfig config, Options o,
                               TaskReport report)
            throws InterruptedException {
        List<ControllerReplacement.Reseeded> groups = new ArrayList<>();
        List<String> full = new ArrayList<>();
        for (Map.Entry<String, SyncStateSet> e : o.knownState().entrySet()) {
            Optional<ControllerReseeder.GroupSet> now = reseeder.groupSet(e.getKey());
            Map<Long, String> ids = ControllerReplacement.idsToSeed(e.getValue());
            if (now.isEmpty() || now.get().masterBrokerId() == null) {
                report.line(e.getKey() + ": no master on the controller: re-seed it first");
                report.verdict(Verdict.FAILED);
                continue;
            }
            if (now.get().syncStateSet().containsAll(ids.keySet())) {
                full.add(e.getKey());
                continue;
            }
            Map<Long, String> others = new LinkedHashMap<>(ids);
            others.keySet().removeAll(now.get().syncStateSet());
            groups.add(new ControllerReplacement.Reseeded(e.getKey(), now.get().masterBrokerId(), now.get().masterAddress(), others,
                    Math.max(e.getValue().syncStateSetEpoch(), now.get().syncStateSetEpoch())
                            + ControllerReplacement.SYNC_STATE_SET_EPOCH_MARGIN));
        }
        full.forEach(g -> report.line(g + ": its SyncStateSet holds every replica: left alone"));
        for (ControllerReplacement.Reseeded g : groups) {
            report.line(g.group() + ": " + (o.dryRun() ? "would raise" : "raises") + " the SyncStateSet epoch above "
                    + g.syncStateSetEpochFloor() + " once one of " + g.others().keySet() + " has caught up with the master");
        }
        if (o.dryRun() || groups.isEmpty()) {
            return report;
        }
        List<String> problems = new ArrayList<>();
        new ControllerReplacement(k8s, config.getNamespace(), config.getZoneLabelKey()).realign(controllers, groups, o.timeout(),
                problems).forEach(line -> {
            report.change(new Change("realign", "Controller", config.getNamespace(), config.getResources().getController(), line));
            progress.info("realigned " + line);
        });
        problems.forEach(p -> report.line("not realigned: " + p));
        if (!problems.isEmpty()) {
            report.verdict(Verdict.FAILED);
        }
        return report;
    }

    private Map<String, String> zones(CrosszoneConfig config) {
        Map<String, String> out = new HashMap<>();
        for (Node n : k8s.nodes()) {
            Map<String, String> labels = n.getMetadata().getLabels();
            if (labels != null && labels.get(config.getZoneLabelKey()) != null) {
                out.put(n.getMetadata().getName(), labels.get(config.getZoneLabelKey()));
            }
        }
        return out;
    }

    private static boolean outsideLostZone(Pod p, Map<String, String> zoneOfNode, Options o) {
        String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
        return p.getStatus() != null && p.getStatus().getPodIP() != null
                && (o.lostZone() == null || !o.lostZone().equals(zoneOfNode.get(node)));
    }
}
