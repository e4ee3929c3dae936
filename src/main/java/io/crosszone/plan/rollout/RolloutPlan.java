package io.crosszone.plan.rollout;

import java.util.List;
import java.util.Map;

/**
 * The rollout planner's answer: the steps in order, or why no safe order exists.
 *
 * @param steps        the steps, empty when refused (or when nothing needs a restart)
 * @param refusals     one sentence per reason no safe order exists; empty when the plan is safe
 * @param mastersAfter each group's master once the steps are done, as the planned switches leave
 *                     it (absent: not known); a group whose master is not its planned master needs
 *                     a fail-back election at the end
 */
public record RolloutPlan(List<RolloutStep> steps, List<String> refusals, Map<String, String> mastersAfter) {
    public RolloutPlan {
        steps = List.copyOf(steps);
        refusals = List.copyOf(refusals);
        mastersAfter = Map.copyOf(mastersAfter);
    }

    static RolloutPlan refused(List<String> refusals) {
        return new RolloutPlan(List.of(), refusals, Map.of());
    }

    public boolean safe() {
        return refusals.isEmpty();
    }
}
