package io.crosszone.plan.rollout;

import io.crosszone.plan.rollout.RolloutInput.Broker;
import io.crosszone.plan.rollout.RolloutInput.Node;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rollout rules written out a second time, apart from the planner, for its tests: a step is
 * checked against them ({@link #violation}) and an exhaustive breadth-first search over every set
 * of brokers of distinct groups tells whether any safe order exists ({@link #orderExists}).
 * A state is the set of brokers restarted so far; a restarted broker is in its planned zone.
 */
final class RolloutOracle {
    private final RolloutInput input;
    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<String, Broker> brokers = new HashMap<>();
    final List<String> toRestart = new ArrayList<>();

    RolloutOracle(RolloutInput input) {
        this.input = input;
        input.nodes().forEach(n -> nodes.put(n.name(), n));
        for (Broker b : input.brokers()) {
            brokers.put(b.name(), b);
            if (!b.templateCurrent() || !b.plannedZone().equals(zoneNow(b))) {
                toRestart.add(b.name());
            }
        }
    }

    private String zoneNow(Broker b) {
        return b.node() == null ? null : nodes.get(b.node()).zone();
    }

    /** Where a broker runs in a state: zone, and whether it holds a schedulable node. */
    private String zoneIn(Broker b, Set<String> done) {
        return done.contains(b.name()) ? b.plannedZone() : zoneNow(b);
    }

    private boolean onSchedulable(Broker b, Set<String> done) {
        return done.contains(b.name()) || b.node() != null && nodes.get(b.node()).schedulable() && zoneNow(b) != null;
    }

    /** Null when deleting {@code step} together in state {@code done} keeps every rule; else the broken rule. */
    String violation(Set<String> step, Set<String> done) {
        Set<String> groups = new HashSet<>();
        for (String name : step) {
            Broker b = brokers.get(name);
            if (!toRestart.contains(name) || done.contains(name)) {
                return name + " restarted though it needs no restart (or twice)";
            }
            if (b.node() == null) {
                return name + " is not running";
            }
            if (!groups.add(b.group())) {
                return "two brokers of " + b.group() + " down at once";
            }
            for (Broker o : input.brokers()) {
                if (!o.name().equals(name) && o.group().equals(b.group()) && b.plannedZone().equals(zoneIn(o, done))) {
                    return name + " would come up in " + b.plannedZone() + " beside " + o.name() + " of its group";
                }
            }
        }
        // nodes per zone: schedulable ones minus those held by brokers not in the step
        Map<String, Integer> freeAfterDelete = new HashMap<>();
        for (Node n : input.nodes()) {
            if (n.schedulable() && n.zone() != null) {
                freeAfterDelete.merge(n.zone(), 1, Integer::sum);
            }
        }
        for (Broker o : input.brokers()) {
            if (!step.contains(o.name()) && o.node() != null && onSchedulable(o, done)) {
                freeAfterDelete.merge(zoneIn(o, done), -1, Integer::sum);
            }
        }
        Map<String, Integer> wanted = new HashMap<>();
        step.forEach(name -> wanted.merge(brokers.get(name).plannedZone(), 1, Integer::sum));
        for (var e : wanted.entrySet()) {
            if (freeAfterDelete.getOrDefault(e.getKey(), 0) < e.getValue()) {
                return "zone " + e.getKey() + " has " + freeAfterDelete.getOrDefault(e.getKey(), 0) + " free nodes for "
                        + e.getValue() + " brokers of the step " + step;
            }
        }
        return null;
    }

    /** Exhaustive: can every broker to restart be restarted, in some order of safe sets? */
    boolean orderExists() {
        Set<Set<String>> seen = new HashSet<>();
        ArrayDeque<Set<String>> queue = new ArrayDeque<>();
        queue.add(Set.of());
        seen.add(Set.of());
        while (!queue.isEmpty()) {
            Set<String> done = queue.poll();
            if (done.size() == toRestart.size()) {
                return true;
            }
            for (Set<String> step : steps(done)) {
                if (violation(step, done) == null) {
                    Set<String> next = new HashSet<>(done);
                    next.addAll(step);
                    if (seen.add(next)) {
                        queue.add(next);
                    }
                }
            }
        }
        return false;
    }

    /** Every non-empty set of brokers still to restart with at most one per group. */
    private List<Set<String>> steps(Set<String> done) {
        Map<String, List<String>> byGroup = new HashMap<>();
        for (String name : toRestart) {
            if (!done.contains(name)) {
                byGroup.computeIfAbsent(brokers.get(name).group(), g -> new ArrayList<>()).add(name);
            }
        }
        List<Set<String>> out = new ArrayList<>();
        out.add(new HashSet<>());
        for (List<String> members : byGroup.values()) {
            List<Set<String>> grown = new ArrayList<>();
            for (Set<String> s : out) {
                grown.add(s);
                for (String b : members) {
                    Set<String> t = new HashSet<>(s);
                    t.add(b);
                    grown.add(t);
                }
            }
            out = grown;
        }
        out.removeIf(Set::isEmpty);
        return out;
    }

    /** Replays a plan: every step keeps the rules, lands each broker in its planned zone, and all are restarted once. */
    String replay(RolloutPlan plan) {
        Set<String> done = new HashSet<>();
        Map<String, String> master = new HashMap<>();
        input.brokers().stream().filter(Broker::master).forEach(b -> master.putIfAbsent(b.group(), b.name()));
        for (RolloutStep step : plan.steps()) {
            Set<String> names = new HashSet<>(step.brokers());
            String v = violation(names, done);
            if (v != null) {
                return "step " + step.number() + " " + step.brokers() + ": " + v;
            }
            for (RolloutStep.Restart r : step.restarts()) {
                Broker b = brokers.get(r.broker());
                if (!r.toZone().equals(b.plannedZone())) {
                    return "step " + step.number() + ": " + r.broker() + " sent to " + r.toZone() + ", planned " + b.plannedZone();
                }
                String m = master.get(b.group());
                RolloutStep.Role expected = m == null ? RolloutStep.Role.UNKNOWN
                        : m.equals(b.name()) ? RolloutStep.Role.MASTER : RolloutStep.Role.SLAVE;
                if (r.role() != expected) {
                    return "step " + step.number() + ": " + r.broker() + " said " + r.role() + ", is " + expected;
                }
                if (expected == RolloutStep.Role.MASTER) {
                    String to = r.handoff().elected();
                    if (r.handoff().kind() != RolloutStep.Handoff.Kind.PLANNED_SWITCH || to == null || names.contains(to)
                            || !brokers.get(to).group().equals(b.group())) {
                        return "step " + step.number() + ": master " + r.broker() + " goes down without a planned switch to a"
                                + " running member of its group: " + r.handoff();
                    }
                    master.put(b.group(), to);
                }
            }
            done.addAll(names);
        }
        if (!done.equals(new HashSet<>(toRestart))) {
            return "restarted " + done + ", needed " + toRestart;
        }
        if (!master.equals(plan.mastersAfter())) {
            return "masters after: " + plan.mastersAfter() + ", replayed " + master;
        }
        return null;
    }
}
