package io.crosszone.tasks.drill;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Judges a drill against its objectives. Pure. */
final class DrillVerdict {
    private DrillVerdict() {
    }

    /** passed, failed or aborted, and the reasons it did not pass (added to {@code problems}). */
    static String judge(boolean aborted, List<GroupOutcome> groups, Duration rtoObjective, long lost, int rpoObjective,
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
            return "aborted";
        }
        return failures.isEmpty() ? "passed" : "failed";
    }
}
