package io.crosszone.tasks.drill;

import io.crosszone.report.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A drill's verdict, and how it is judged against the objectives. Pure. */
enum DrillVerdict {
    PASSED("passed", Verdict.PASSED),
    /** an objective was missed, or the deployment was not restored */
    FAILED("failed", Verdict.FAILED),
    /** max duration, SIGTERM or an error ended the observation */
    ABORTED("aborted", Verdict.ERROR);

    private final String flag;
    private final Verdict taskVerdict;

    DrillVerdict(String flag, Verdict taskVerdict) {
        this.flag = flag;
        this.taskVerdict = taskVerdict;
    }

    /** The word in the drill's report. */
    String flag() {
        return flag;
    }

    /** The task's verdict (and so its exit code) for this drill verdict. */
    Verdict taskVerdict() {
        return taskVerdict;
    }

    /** The verdict, and the reasons it did not pass (added to {@code problems}). */
    static DrillVerdict judge(boolean aborted, List<GroupOutcome> groups, Duration rtoObjective, long lost, int rpoObjective,
                              boolean restored, List<String> otherFailures, List<String> problems) {
        List<String> failures = new ArrayList<>(otherFailures);
        for (GroupOutcome g : groups) {
            if (g.lostMaster() && g.rtoMillis() == null) {
                failures.add(g.brokerName() + " had no master again before the drill ended");
            } else if (rtoObjective != null && g.rtoMillis() != null && g.rtoMillis() > rtoObjective.toMillis()) {
                failures.add(g.brokerName() + " RTO " + g.rtoMillis() + " ms is over the objective " + rtoObjective.toMillis() + " ms");
            }
        }
        if (lost > rpoObjective) {
            failures.add(lost + " acknowledged messages were lost (RPO objective " + rpoObjective + ")");
        }
        if (!restored) {
            failures.add("the deployment was not fully restored");
        }
        problems.addAll(failures);
        if (aborted) {
            return ABORTED;
        }
        return failures.isEmpty() ? PASSED : FAILED;
    }
}
