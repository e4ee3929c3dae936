package io.crosszone.tasks.controllermode;

import io.crosszone.config.ConfigException;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.core.Checkpoint;
import io.crosszone.core.Progress;
import io.crosszone.core.RuntimeFailure;
import io.crosszone.core.TimeSource;
import io.crosszone.core.Waiter;
import io.crosszone.k8s.BrokerCr;
import io.crosszone.k8s.ControllerCr;
import io.crosszone.k8s.K8sStatus;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.k8s.RocketMqKind;
import io.crosszone.plan.OperatorNames;
import io.crosszone.report.Change;
import io.crosszone.report.TaskReport;
import io.crosszone.report.Verdict;
import io.crosszone.tasks.BrokerShape;
import io.crosszone.tasks.RocketMqDiscovery;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * switch-to-controller-mode: moves one operator deployment from STATIC to CONTROLLER mode in the
 * issue's five steps. It reads the state once, plans what is left ({@link SwitchPlan}), acts,
 * sweeps STATIC stragglers ({@link StaticStragglerSweep}, the only delete after the first), then
 * re-reads and verifies (read-only). Every step is skipped when already done, so a re-run after a kill
 * finishes the job; STATIC objects are deleted only after the CONTROLLER-mode brokers are Ready
 * (and, with a {@link GroupMasterCheck}, every group has a master), only with
 * {@code deleteStaticData}, and only after a backup.
 */
public final class SwitchToControllerModeTask {
    public static final String BROKER_CONF_KEY = "broker-common.conf";

    /** The task's switches. {@code reportDir} receives the backup; it is required to delete. */
    public record Options(boolean dryRun, boolean deleteStaticData, boolean controllerAddrDns, Duration timeout,
                          Duration pollInterval, Path reportDir) {
    }

    private final KubernetesGateway k8s;
    private final Progress progress;
    private final Optional<GroupMasterCheck> masterCheck;
    private final Checkpoint checkpoint;
    private final TimeSource time;

    public SwitchToControllerModeTask(KubernetesGateway k8s, Progress progress, Optional<GroupMasterCheck> masterCheck,
                                      Checkpoint checkpoint) {
        this(k8s, progress, masterCheck, checkpoint, TimeSource.SYSTEM);
    }

    /** As above, every wait on {@code time} (a test's fake clock). */
    public SwitchToControllerModeTask(KubernetesGateway k8s, Progress progress, Optional<GroupMasterCheck> masterCheck,
                                      Checkpoint checkpoint, TimeSource time) {
        this.k8s = k8s;
        this.progress = progress;
        this.masterCheck = masterCheck;
        this.checkpoint = checkpoint;
        this.time = time;
    }

    public TaskReport run(CrosszoneConfig config, Options o) throws InterruptedException {
        String ns = config.getNamespace();
        String ctlName = config.getResources().getController();

        // 1. preflight: everything that makes this bad input is found before the first write
        BrokerCr broker = preflight(config, o);
        Optional<ControllerCr> controller = k8s.controllerCr(ns, ctlName);
        String cmName = broker.configMapName();
        ConfigMap cm = k8s.configMap(ns, cmName).orElseThrow();
        List<String> nameServers = RocketMqDiscovery.nameServers(k8s, config);
        if (nameServers.isEmpty()) {
            throw new RuntimeFailure("the NameService '" + config.getResources().getNameService()
                    + "' has no Ready pod: brokers cannot register; bring the name server up first (nothing was changed)");
        }
        List<String> shapeWarnings = new ArrayList<>();
        BrokerShape.resolve(config, Optional.of(broker), shapeWarnings);
        StaticLeftovers leftovers = leftovers(broker);
        String confText = cm.getData() == null ? null : cm.getData().get(BROKER_CONF_KEY);
        SwitchPlan plan = SwitchPlan.plan(config, broker, controller, confText, o.controllerAddrDns(), leftovers);

        TaskReport report = TaskReport.mutating("switch-to-controller-mode", o.dryRun());
        shapeWarnings.forEach(report::warn);
        plan.warnings().forEach(report::warn);
        report.put("brokerCr", ns + "/" + broker.name());
        report.put("clusterModeBefore", broker.clusterMode());
        report.put("groups", broker.groups());
        report.put("brokersPerGroup", broker.brokersPerGroup());
        report.line("Broker CR " + ns + "/" + broker.name() + ": " + broker.groups() + " groups x "
                + broker.brokersPerGroup() + " brokers, mode " + broker.clusterMode());

        // 2. the Controller CR
        if (plan.controllerToCreate() != null) {
            report.change(new Change("create", "Controller", ns, ctlName, "size " + config.getController().getSize()
                    + ", " + config.getController().getStorageMode() + ", image " + config.getController().getImage()));
            if (!o.dryRun()) {
                progress.info("creating Controller CR " + ctlName);
                k8s.createCr(RocketMqKind.CONTROLLER, plan.controllerToCreate());
                checkpoint.reached("controller-created");
            }
        } else {
            report.line("Controller CR " + ctlName + " exists (size " + controller.get().size() + ")");
        }

        // 3. broker properties
        report.put("brokerProperties", plan.properties());
        if (plan.conf().changes()) {
            String detail = plan.conf().changed().keySet().stream()
                    .map(k -> k + "=" + plan.properties().get(k)).collect(Collectors.joining(", "));
            report.change(new Change("patch", "ConfigMap", ns, cmName, BROKER_CONF_KEY + ": " + detail));
            if (!o.dryRun()) {
                progress.info("merging " + plan.conf().changed().size() + " properties into " + cmName + "/" + BROKER_CONF_KEY);
                k8s.mergeConfigMapData(ns, cmName, Map.of(BROKER_CONF_KEY, plan.conf().text()));
                checkpoint.reached("conf-merged");
            }
        } else {
            report.line(cmName + "/" + BROKER_CONF_KEY + " already holds the controller-mode properties");
        }

        // 4. the mode switch, then wait for the operator's CONTROLLER-mode brokers
        if (plan.brokerPatch() != null) {
            report.change(new Change("patch", "Broker", ns, broker.name(), "spec.clusterMode "
                    + broker.clusterMode() + " -> CONTROLLER" + (o.controllerAddrDns() ? ", spec.env controllerAddr" : "")));
            if (!o.dryRun()) {
                progress.info("setting spec.clusterMode=CONTROLLER on Broker " + broker.name());
                k8s.mergePatchCr(RocketMqKind.BROKER, ns, broker.name(), plan.brokerPatch());
                checkpoint.reached("mode-switched");
            }
        }
        report.put("controllerModeStatefulSets", plan.expectedStatefulSets());
        if (!o.dryRun()) {
            long start = time.nanoTime();
            waitForControllerMode(config, broker, plan, o, report);
            double seconds = (time.nanoTime() - start) / 1e9;
            report.put("waitSeconds", Math.round(seconds * 10) / 10.0);
            checkpoint.reached("ready");
        }

        // 5. what STATIC mode left, then what came back of it
        staticLeftovers(config, broker, plan.leftovers(), o, report);

        if (!o.dryRun()) {
            BrokerCr now = k8s.brokerCr(ns, broker.name()).orElseThrow();
            if (o.deleteStaticData()) {
                new StaticStragglerSweep(k8s, time, o.pollInterval()).sweep(now, o, report);
            }
            verify(now, plan, o, report);
        }
        return report;
    }

    private BrokerCr preflight(CrosszoneConfig config, Options o) {
        String ns = config.getNamespace();
        String name = config.getResources().getBroker();
        BrokerCr b = io.crosszone.tasks.BrokerCrs.require(k8s, config);
        if (b.groups() < 1) {
            throw new ConfigException("Broker CR " + ns + "/" + name + " has spec.size " + b.groups() + ": nothing to switch");
        }
        if (k8s.cr(RocketMqKind.NAME_SERVICE, ns, config.getResources().getNameService()).isEmpty()) {
            throw new ConfigException("NameService CR '" + config.getResources().getNameService() + "' not found in namespace '"
                    + ns + "': check --name-service-cr");
        }
        k8s.controllerCr(ns, config.getResources().getController()).ifPresent(c -> {
            if (c.size() % 2 == 0) {
                throw new ConfigException("the existing Controller CR " + ns + "/" + c.name() + " has an even size " + c.size()
                        + ": the controller is a Raft group, give it an odd size (1, 3, 5)");
            }
        });
        if (b.configMapName() == null) {
            throw new ConfigException("Broker CR " + ns + "/" + name + " has no ConfigMap in spec.volumes[0]: the operator mounts "
                    + BROKER_CONF_KEY + " from it, so there is nowhere to put the broker properties");
        }
        if (k8s.configMap(ns, b.configMapName()).isEmpty()) {
            throw new ConfigException("ConfigMap " + ns + "/" + b.configMapName() + " named by the Broker CR's spec.volumes[0]"
                    + " does not exist");
        }
        if (o.deleteStaticData() && o.reportDir() == null) {
            throw new ConfigException("--delete-static-data needs --report-dir: the STATIC objects are backed up there"
                    + " (and to a ConfigMap) before they are deleted");
        }
        return b;
    }

    private StaticLeftovers leftovers(BrokerCr broker) {
        return StaticStragglerSweep.leftovers(k8s, broker);
    }

    /** Waits, with progress lines, until the operator's CONTROLLER-mode brokers and the controller are Ready. */
    private void waitForControllerMode(CrosszoneConfig config, BrokerCr broker, SwitchPlan plan, Options o,
                                       TaskReport report) throws InterruptedException {
        String ns = config.getNamespace();
        String ctl = config.getResources().getController();
        Map<String, String> labels = OperatorNames.brokerLabels(broker.name());
        boolean[] mastersChecked = {false};
        Waiter waiter = new Waiter(progress, o.pollInterval(), time);
        try {
            Waiter.Status up = waiter.until("waiting for CONTROLLER mode: ", o.timeout(), () -> {
                Set<String> existing = k8s.statefulSetsSelecting(ns, labels).stream()
                        .map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
                Map<String, Boolean> ready = k8s.pods(ns, labels).stream()
                        .collect(Collectors.toMap(p -> p.getMetadata().getName(), K8sStatus::podReady, (a, b) -> a || b));
                long created = plan.expectedStatefulSets().stream().filter(existing::contains).count();
                long podsReady = plan.expectedStatefulSets().stream()
                        .filter(s -> ready.getOrDefault(OperatorNames.podOf(s), false)).count();
                int ctlSize = k8s.controllerCr(ns, ctl).map(ControllerCr::size).orElse(config.getController().getSize());
                long ctlReady = k8s.pods(ns, OperatorNames.controllerLabels(ctl)).stream().filter(K8sStatus::podReady).count();
                int total = plan.expectedStatefulSets().size();
                String status = created + "/" + total + " CONTROLLER-mode StatefulSets, " + podsReady + "/" + total
                        + " broker pods Ready, controller " + ctlReady + "/" + ctlSize + " Ready";
                boolean done = created == total && podsReady == total && ctlReady >= ctlSize;
                if (done && masterCheck.isPresent()) {
                    List<String> groups = OperatorNames.brokerNames(broker.name(), broker.groups());
                    try {
                        Set<String> without = masterCheck.get().groupsWithoutMaster(new GroupMasterCheck.Query(ns, broker.name(),
                                groups, RocketMqDiscovery.nameServers(k8s, config),
                                ControllerCr.serviceName(ctl) + ":" + OperatorNames.CONTROLLER_PORT));
                        if (!without.isEmpty()) {
                            done = false;
                            status += ", groups without a master: " + new java.util.TreeSet<>(without);
                        } else {
                            mastersChecked[0] = true;
                        }
                    } catch (Exception e) {
                        done = false;
                        status += ", masters not known yet (" + e.getMessage() + ")";
                    }
                }
                return done ? Waiter.Status.done(status) : Waiter.Status.waiting(status);
            });
            report.line("CONTROLLER mode is up: " + up.text());
        } catch (Waiter.TimedOut t) {
            throw new RuntimeFailure("timed out after " + o.timeout() + " waiting for CONTROLLER mode (" + t.last
                    + "); nothing STATIC was deleted: re-run to resume");
        }
        report.put("mastersChecked", mastersChecked[0]);
        if (masterCheck.isEmpty()) {
            report.warn("every group having a master was not checked: no RocketMQ adapter is wired in");
        }
    }

    private void staticLeftovers(CrosszoneConfig config, BrokerCr broker, StaticLeftovers left, Options o,
                                 TaskReport report) {
        String ns = config.getNamespace();
        List<PersistentVolume> pvs = new ArrayList<>();
        List<Map<String, Object>> pvRows = new ArrayList<>();
        for (PersistentVolumeClaim c : left.pvcs()) {
            String volume = c.getSpec() == null ? null : c.getSpec().getVolumeName();
            Optional<PersistentVolume> pv = volume == null ? Optional.empty() : k8s.pv(volume);
            pv.ifPresent(pvs::add);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("claim", c.getMetadata().getName());
            row.put("volume", volume);
            row.put("reclaimPolicy", pv.map(p -> p.getSpec().getPersistentVolumeReclaimPolicy()).orElse(null));
            pvRows.add(row);
        }
        Map<String, Object> listing = new LinkedHashMap<>();
        listing.put("statefulSets", names(left.statefulSets()));
        listing.put("pods", names(left.pods()));
        listing.put("persistentVolumeClaims", names(left.pvcs()));
        listing.put("persistentVolumes", pvRows);
        report.put("staticLeftovers", listing);
        if (left.isEmpty()) {
            report.line("Nothing is left of STATIC mode.");
            return;
        }
        String summary = left.statefulSets().size() + " StatefulSets, " + left.pods().size() + " pods, "
                + left.pvcs().size() + " PVCs";
        if (!o.deleteStaticData()) {
            report.warn("STATIC mode left " + summary + " of Broker " + broker.name() + ": " + String.join(", ",
                    names(left.statefulSets())) + "; re-run with --delete-static-data (and --report-dir) to back them up"
                    + " and delete them");
            return;
        }
        for (PersistentVolume pv : pvs) {
            if ("Delete".equals(pv.getSpec().getPersistentVolumeReclaimPolicy())) {
                report.warn("PersistentVolume " + pv.getMetadata().getName() + " has reclaimPolicy Delete: deleting its claim "
                        + "deletes the STATIC data (the backup holds the objects, not the data)");
            }
        }
        String backupName = StaticBackup.configMapName(broker.name());
        report.put("backup", Map.of("configMap", ns + "/" + backupName,
                "directory", o.reportDir().resolve("static-backup-" + broker.name()).toString()));
        report.change(new Change("backup", "ConfigMap", ns, backupName,
                "the Broker CR, " + summary + " and " + pvs.size() + " PersistentVolumes"));
        left.statefulSets().forEach(s -> report.change(new Change("delete", "StatefulSet", ns, s.getMetadata().getName(), null)));
        left.pods().forEach(p -> report.change(new Change("delete", "Pod", ns, p.getMetadata().getName(), null)));
        left.pvcs().forEach(c -> report.change(new Change("delete", "PersistentVolumeClaim", ns, c.getMetadata().getName(), null)));
        if (o.dryRun()) {
            return;
        }

        List<HasMetadata> backup = new ArrayList<>();
        backup.add(k8s.cr(RocketMqKind.BROKER, ns, broker.name()).orElse(broker.resource()));
        backup.addAll(left.statefulSets());
        backup.addAll(left.pvcs());
        backup.addAll(pvs);
        progress.info("backing up " + backup.size() + " objects to " + o.reportDir() + " and ConfigMap " + backupName);
        StaticBackup.write(k8s, ns, broker.name(), o.reportDir(), StaticBackup.entries(backup));
        checkpoint.reached("backed-up");

        // StatefulSets first, so that the StatefulSet controller does not recreate the pods
        for (StatefulSet s : left.statefulSets()) {
            progress.info("deleting StatefulSet " + s.getMetadata().getName());
            k8s.deleteStatefulSet(ns, s.getMetadata().getName());
            checkpoint.reached("deleted StatefulSet/" + s.getMetadata().getName());
        }
        for (Pod p : left.pods()) {
            k8s.deletePod(ns, p.getMetadata().getName());
            checkpoint.reached("deleted Pod/" + p.getMetadata().getName());
        }
        for (PersistentVolumeClaim c : left.pvcs()) {
            progress.info("deleting PVC " + c.getMetadata().getName());
            k8s.deletePvc(ns, c.getMetadata().getName());
            checkpoint.reached("deleted PersistentVolumeClaim/" + c.getMetadata().getName());
        }
        report.line("Backed up and deleted " + summary + " left by STATIC mode.");
    }

    /**
     * Reads back what the switch should have left (CONTROLLER mode, the properties, with
     * {@code deleteStaticData} no STATIC object) and fails the report on any difference. Read-only:
     * the straggler sweep, which deletes, runs before it.
     */
    void verify(BrokerCr broker, SwitchPlan plan, Options o, TaskReport report) {
        String ns = broker.namespace();
        List<String> wrong = new ArrayList<>();
        BrokerCr now = k8s.brokerCr(ns, broker.name()).orElseThrow();
        if (!now.controllerMode()) {
            wrong.add("Broker " + broker.name() + " has clusterMode " + now.clusterMode());
        }
        String conf = k8s.configMap(ns, broker.configMapName()).map(c -> c.getData().get(BROKER_CONF_KEY)).orElse(null);
        Map<String, String> props = BrokerConf.parse(conf);
        plan.properties().forEach((k, v) -> {
            if (!v.equals(props.get(k))) {
                wrong.add(BROKER_CONF_KEY + " has " + k + "=" + props.get(k) + ", expected " + v);
            }
        });
        if (o.deleteStaticData()) {
            StaticLeftovers left = leftovers(now);
            if (!left.isEmpty()) {
                wrong.add("STATIC objects are still there: " + names(left.statefulSets()) + names(left.pods()) + names(left.pvcs()));
            }
        }
        report.put("clusterMode", now.clusterMode());
        if (!wrong.isEmpty()) {
            report.verdict(Verdict.FAILED);
            wrong.forEach(w -> report.warn("verify: " + w));
        }
    }

    private static List<String> names(List<? extends HasMetadata> objects) {
        return objects.stream().map(o -> o.getMetadata().getName()).toList();
    }
}
