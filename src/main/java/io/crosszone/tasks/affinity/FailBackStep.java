package io.crosszone.tasks.affinity;

import io.crosszone.core.Progress;
import io.crosszone.core.RuntimeFailure;
import io.crosszone.plan.MasterBalance;
import io.crosszone.plan.OperatorNames;
import io.crosszone.plan.PlacementPlan;
import io.crosszone.report.Change;
import io.crosszone.report.TaskReport;
import io.crosszone.report.TextTable;
import io.crosszone.report.Verdict;
import io.crosszone.tasks.GroupHealth;
import io.crosszone.tasks.MasterFailBack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * apply-affinity's last step: each group's master back on its planned replica ({@link
 * MasterFailBack}: restarting a master made the controller fail over), reported election by
 * election, then where the masters are.
 *
 * <p>Verdict: a group that could not be failed back (its planned master not alive in sync, the
 * controller refusing) is a warning, since the brokers do have their placement and RocketMQ may
 * simply not be ready to move it; the run fails (exit 1) only when the masters then are not
 * split across the zones (the rule of verify-distribution's masters-balanced check): that is a
 * zone loss taking every master at once, which an SRE must see. An election that does not
 * settle in time is a runtime failure (exit 3), like every other wait of the rollout.
 */
final class FailBackStep {
    /** One election as reported: the group, from which replica and zone to which, and the time it took. */
    record FailBack(String group, int fromReplica, String fromZone, int toReplica, String toZone, double listedSeconds,
                    double seconds) {
    }

    private final String brokerCr;
    private final int groups;
    private final int groupSize;
    private final PlacementPlan plan;
    private final Progress progress;
    private final TaskReport report;

    FailBackStep(String brokerCr, int groups, int groupSize, PlacementPlan plan, Progress progress, TaskReport report) {
        this.brokerCr = brokerCr;
        this.groups = groups;
        this.groupSize = groupSize;
        this.plan = plan;
        this.progress = progress;
        this.report = report;
    }

    List<String> groupNames() {
        return OperatorNames.brokerNames(brokerCr, groups);
    }

    private Map<String, Integer> plannedMasters() {
        return io.crosszone.tasks.PlanWhereRunning.plannedMasters(plan, brokerCr);
    }

    private MasterFailBack failBack(GroupHealth health, Duration timeout, Duration poll) {
        return new MasterFailBack(health, groupSize, progress, timeout, poll).withPlannedMasters(plannedMasters());
    }

    private String statefulSet(String group, int replica) {
        return group + "-" + replica;
    }

    /** The dry run's account: which groups would be failed back, and why; nothing is written. */
    void preview(GroupHealth health, Set<String> restarting) {
        List<String> lines = new ArrayList<>();
        Map<String, MasterFailBack.Pending> pending = new LinkedHashMap<>();
        failBack(health, Duration.ZERO, Duration.ZERO).pending(groupNames())
                .forEach(p -> pending.put(p.group(), p));
        for (String group : groupNames()) {
            String planned = statefulSet(group, plannedMasters().getOrDefault(group, MasterFailBack.PLANNED_REPLICA));
            MasterFailBack.Pending p = pending.get(group);
            if (p != null && p.master() < 0) {
                lines.add(group + ": " + p.note() + (restarting.contains(planned) ? "; its planned master " + planned
                        + " is restarted, so failover would move the master, and it would be failed back" : ""));
            } else if (p != null) {
                lines.add(group + ": master is replica " + p.master() + ", planned replica " + p.planned() + ": "
                        + (p.safe() ? "would be elected" : "would be left as it is (a warning): " + p.note()));
            } else if (restarting.contains(planned)) {
                lines.add(group + ": its master " + planned + " is restarted (the controller fails over to another replica):"
                        + " it would be elected again once the group is back in sync");
            }
        }
        report.put("failBackPlanned", lines);
        if (lines.isEmpty()) {
            report.line("Fail-back: every master is on its planned replica, and none is restarted.");
        } else {
            report.line("Fail-back after the restarts (masters to their planned replica, one group at a time):");
            lines.forEach(l -> report.line("  " + l));
        }
    }

    /**
     * Fails back, then judges where the masters are. {@code zoneOfStatefulSet} gives the zone a
     * broker StatefulSet's pod runs in now (null: unknown).
     */
    void run(GroupHealth health, Duration timeout, Duration poll, UnaryOperator<String> zoneOfStatefulSet, String ns)
            throws InterruptedException {
        MasterFailBack.Outcome outcome;
        try {
            outcome = failBack(health, timeout, poll).run(groupNames());
        } catch (MasterFailBack.TimedOut t) {
            record(t.sofar, zoneOfStatefulSet, ns);
            throw new RuntimeFailure("timed out failing back the masters: " + t.getMessage() + "; every broker has its"
                    + " placement; re-run apply-affinity to finish the fail-back (it elects only where needed)");
        }
        record(outcome, zoneOfStatefulSet, ns);
        for (MasterFailBack.NotMoved n : outcome.notMoved()) {
            String from = n.master() == null ? "" : " stays on replica " + n.master() + " ("
                    + zoneOfStatefulSet.apply(statefulSet(n.group(), n.master())) + ")";
            report.warn(n.group() + ": master" + from + ", not failed back to its planned replica " + n.planned() + ": "
                    + n.reason() + ". Re-run apply-affinity (or verify-distribution --rebalance-masters) once it is in sync.");
        }
        judge(health, zoneOfStatefulSet);
    }

    private void record(MasterFailBack.Outcome outcome, UnaryOperator<String> zoneOfStatefulSet, String ns) {
        List<FailBack> done = new ArrayList<>();
        TextTable table = new TextTable("group", "from", "to", "listed after s", "in sync after s");
        for (MasterFailBack.Election e : outcome.elections()) {
            FailBack f = new FailBack(e.group(), e.from(), zoneOfStatefulSet.apply(statefulSet(e.group(), e.from())),
                    e.to(), zoneOfStatefulSet.apply(statefulSet(e.group(), e.to())), e.listedSeconds(), e.seconds());
            done.add(f);
            String from = "replica " + f.fromReplica() + " (" + f.fromZone() + ")";
            String to = "replica " + f.toReplica() + " (" + f.toZone() + ")";
            table.row(f.group(), from, to, f.listedSeconds(), f.seconds());
            report.change(new Change("elect", "BrokerGroup", ns, f.group(), "master " + from + " -> " + to + ", "
                    + f.seconds() + " s"));
        }
        report.put("failBacks", done);
        if (!done.isEmpty()) {
            report.line("Fail-back, masters to their planned replica (election until listed by the name server and in sync):");
            table.lines().forEach(report::line);
        }
    }

    /** FAILED when the masters are known not to be split across the zones; unknown masters are a warning. */
    private void judge(GroupHealth health, UnaryOperator<String> zoneOfStatefulSet) {
        Map<Integer, String> masterZones = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            String group = OperatorNames.brokerName(brokerCr, g);
            String zone = null;
            try {
                Optional<Integer> m = health.masterReplica(group);
                zone = m.map(r -> zoneOfStatefulSet.apply(statefulSet(group, r))).orElse(null);
            } catch (Exception e) {
                // unknown: said below
            }
            if (zone == null) {
                unknown.add(group);
            }
            masterZones.put(g, zone);
        }
        report.put("mastersPerZone", MasterBalance.perZone(masterZones, plan.zones()));
        if (!unknown.isEmpty()) {
            report.warn("the masters of " + unknown + " (or their zones) are not known: where the masters are was not"
                    + " checked; run verify-distribution");
            return;
        }
        String problem = MasterBalance.problem(masterZones, plan.zones(), groups);
        if (problem != null) {
            report.verdict(Verdict.FAILED);
            report.warn("the masters are not split across the zones after the rollout: " + problem + " (a zone loss would"
                    + " take them all at once); see the warnings above for why they were not failed back");
        } else {
            report.line("Masters per zone: " + MasterBalance.counts(masterZones, plan.zones()));
        }
    }
}
