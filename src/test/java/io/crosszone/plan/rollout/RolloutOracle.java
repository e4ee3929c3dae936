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
    private final Map<String, List<Broker>> groupOf = new HashMap<>();
    final List<String> toRestart = new ArrayList<>();

    RolloutOracle(RolloutInput input) {
        this.input = input;
        input.nodes().forEach(n -> nodes.put(n.name(), n));
        for (Broker b : input.brokers()) {
            brokers.put(b.name(), b);
            groupOf.computeIfAbsent(b.group(), g -> new ArrayList<>()).add(b);
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

    /**
     * Exhaustive: can every broker to restart be restarted, in some order of safe sets? Breadth
     * first over states as bit masks of the brokers to restart, every set of them with at most one
     * per group tried from each state, each checked for the three rules directly.
     */
    boolean orderExists() {
        List<Broker> all = input.brokers();
        int k = toRestart.size();
        int[] who = new int[k]; // index into all
        for (int i = 0; i < k; i++) {
            who[i] = all.indexOf(brokers.get(toRestart.get(i)));
        }
        List<String> zones = new ArrayList<>();
        input.nodes().forEach(n -> {
            if (n.zone() != null && !zones.contains(n.zone())) {
                zones.add(n.zone());
            }
        });
        all.forEach(br -> {
            if (!zones.contains(br.plannedZone())) {
                zones.add(br.plannedZone());
            }
        });
        int[] sched = new int[zones.size()];
        input.nodes().stream().filter(n -> n.schedulable() && n.zone() != null).forEach(n -> sched[zones.indexOf(n.zone())]++);
        int n = all.size();
        int[] plannedZ = new int[n];
        int[] nowZ = new int[n];
        boolean[] nowSched = new boolean[n];
        int[] restartBit = new int[n];
        for (int i = 0; i < n; i++) {
            Broker br = all.get(i);
            plannedZ[i] = zones.indexOf(br.plannedZone());
            String z = zoneNow(br);
            nowZ[i] = z == null ? -1 : zones.indexOf(z);
            nowSched[i] = onSchedulable(br, Set.of());
            restartBit[i] = toRestart.contains(br.name()) ? 1 << toRestart.indexOf(br.name()) : 0;
        }
        boolean[] seen = new boolean[1 << k];
        ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(0));
        seen[0] = true;
        while (!queue.isEmpty()) {
            int done = queue.poll();
            if (done == (1 << k) - 1) {
                return true;
            }
            int[] zoneOf = new int[n];
            int[] free = sched.clone();
            for (int i = 0; i < n; i++) {
                boolean restarted = (done & restartBit[i]) != 0;
                zoneOf[i] = restarted ? plannedZ[i] : nowZ[i];
                if (all.get(i).node() != null && (restarted || nowSched[i])) {
                    free[zoneOf[i]]--;
                }
            }
            for (int step = 1; step < 1 << k; step++) {
                if ((step & done) != 0 || seen[done | step]) {
                    continue;
                }
                if (safe(step, who, all, zoneOf, free, nowSched, plannedZ)) {
                    seen[done | step] = true;
                    queue.add(done | step);
                }
            }
        }
        return false;
    }

    private static boolean safe(int step, int[] who, List<Broker> all, int[] zoneOf, int[] free, boolean[] nowSched,
                                int[] plannedZ) {
        int[] room = free.clone();
        Set<String> groups = new HashSet<>();
        for (int i = 0; i < who.length; i++) {
            if ((step & 1 << i) == 0) {
                continue;
            }
            int b = who[i];
            Broker br = all.get(b);
            if (br.node() == null || !groups.add(br.group())) {
                return false;
            }
            for (int o = 0; o < all.size(); o++) {
                if (o != b && all.get(o).group().equals(br.group()) && zoneOf[o] == plannedZ[b]) {
                    return false;
                }
            }
            if (nowSched[b]) {
                room[zoneOf[b]]++;
            }
        }
        for (int i = 0; i < who.length; i++) {
            if ((step & 1 << i) != 0 && --room[plannedZ[who[i]]] < 0) {
                return false;
            }
        }
        return true;
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
