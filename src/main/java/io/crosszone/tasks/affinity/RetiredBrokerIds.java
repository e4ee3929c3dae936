package io.crosszone.tasks.affinity;

import io.crosszone.core.Progress;
import io.crosszone.plan.OperatorNames;
import io.crosszone.report.Change;
import io.crosszone.report.TaskReport;
import io.crosszone.rocketmq.Replica;
import io.crosszone.rocketmq.SyncStateSet;
import io.crosszone.tasks.GroupHealth;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A broker whose claim the rollout replaced starts empty and registers under a new controller id;
 * the controller keeps listing the old id (never alive, never in sync again) until told otherwise,
 * and every later reading carries it: verify-distribution's "not in sync", a drill's re-seed of an
 * empty controller. So the old ids are read before the step and forgotten once the rollout is done
 * (every group whole again), only those the controller shows neither alive nor in sync; the
 * controller itself refuses to forget a live one.
 */
final class RetiredBrokerIds {
    private final String brokerCr;
    private final Map<String, Set<Long>> byGroup = new LinkedHashMap<>();

    RetiredBrokerIds(String brokerCr) {
        this.brokerCr = brokerCr;
    }

    /** Before the claim of {@code sts} ({@code <cr>-<g>-<i>}) is replaced: the ids its broker has now. */
    void recordBefore(GroupHealth health, String sts, Progress progress) {
        int[] gi = OperatorNames.parseControllerModeStatefulSet(brokerCr, sts);
        if (gi == null) {
            return;
        }
        String group = OperatorNames.brokerName(brokerCr, gi[0]);
        try {
            Set<Long> ids = health.brokerIdsOf(group, gi[1]);
            if (!ids.isEmpty()) {
                byGroup.computeIfAbsent(group, g -> new TreeSet<>()).addAll(ids);
            }
        } catch (Exception e) {
            progress.warn("could not read the controller id of " + sts + " before replacing its claim (" + e.getMessage()
                    + "): the controller may keep listing its old id");
        }
    }

    /** Forgets the recorded ids that are neither alive nor in sync now; a failure is a warning, the rollout is done. */
    void forget(GroupHealth health, String ns, TaskReport report, Progress progress) {
        byGroup.forEach((group, recorded) -> {
            try {
                Optional<SyncStateSet> now = health.syncStateSet(group);
                if (now.isEmpty()) {
                    return;
                }
                Set<Long> retired = retired(now.get(), recorded);
                if (retired.isEmpty()) {
                    return;
                }
                health.forgetBrokerIds(group, retired);
                String why = "controller ids " + retired + " of " + group + ": its broker's claim was replaced and it registered"
                        + " under a new id, so no broker uses them";
                report.change(new Change("forget", "BrokerId", ns, group, why));
                progress.info("forgot " + why);
            } catch (Exception e) {
                String w = "the controller still lists the old ids " + recorded + " of " + group + " (forgetting them failed: "
                        + e.getMessage() + "); they show as not in sync";
                report.warn(w);
                progress.warn(w);
            }
        });
        byGroup.clear();
    }

    /** Of {@code recorded}, the ids the controller still lists, none alive and none in the SyncStateSet. */
    static Set<Long> retired(SyncStateSet now, Set<Long> recorded) {
        Set<Long> inSync = now.inSync().stream().map(Replica::brokerId).collect(Collectors.toSet());
        return Stream.concat(now.inSync().stream(), now.notInSync().stream())
                .filter(r -> recorded.contains(r.brokerId()) && !r.alive() && !inSync.contains(r.brokerId()))
                .map(Replica::brokerId).collect(Collectors.toCollection(TreeSet::new));
    }
}
