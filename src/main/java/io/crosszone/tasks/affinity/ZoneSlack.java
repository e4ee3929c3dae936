package io.crosszone.tasks.affinity;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * apply-affinity's preflight: is there room for the brokers that must change zone? Pure.
 *
 * <p>Brokers move one at a time, and a broker pod fits only on a node with no other broker of
 * its CR (the hostname spread). A broker restarted while its planned zone has no such node
 * lands in the other zone, where its group's required zone rule may keep it out too: the rollout
 * then waits for it, broker down, until its timeout (measured in the lab with one node per
 * broker). A zone that a broker must move into is safe when it has a free node for every broker
 * moving in now, or a spare schedulable node beyond the brokers planned there: then the brokers
 * of other zones sitting on its nodes can move out first (their own zones are checked the same
 * way), freeing the nodes the others move into. Name-server and controller pods do not count:
 * a broker's required anti-affinity is only against brokers of its CR. Not modelled: resource
 * requests against allocatable (the scheduler may still find a free node too small).
 */
final class ZoneSlack {
    private ZoneSlack() {
    }

    /** A node as the preflight sees it: its zone (null: none of ours), and whether a broker pod could be scheduled there. */
    record NodeView(String name, String zone, boolean schedulable, boolean hasBroker) {
    }

    /** A broker to restart that is not in its planned zone now ({@code zoneNow} null: on no node). */
    record Mover(String statefulSet, String plannedZone, String zoneNow) {
    }

    /** A zone without room for the brokers that must move into it. */
    record Shortage(String zone, int schedulable, int free, long planned, List<Mover> movingIn) {
        /** Schedulable nodes the zone needs: its planned brokers plus a spare. */
        long needed() {
            return planned + 1;
        }

        String message(String brokerCr) {
            List<String> who = movingIn.stream().map(m -> m.statefulSet() + " (now " + (m.zoneNow() == null ? "on no node"
                    : "in " + m.zoneNow()) + ")").toList();
            return "zone " + zone + " has no room for the brokers that must move into it: " + String.join(", ", who)
                    + ". It has " + schedulable + " schedulable node(s) for the " + planned + " brokers planned there, " + free
                    + " of them free of a broker of Broker CR " + brokerCr + ". Restarted one at a time, a broker would find "
                    + zone + " full and its group's zone rule keeps it out of the other zone: the rollout would stop at its"
                    + " timeout with that broker down. Give " + zone + " at least " + needed() + " schedulable nodes (add or"
                    + " uncordon one) and re-run, or run with --no-restart to write the placement without restarting.";
        }
    }

    /**
     * @param nodes   every node with its zone
     * @param planned brokers planned into each zone
     * @param movers  brokers to restart that are not in their planned zone
     */
    static List<Shortage> shortages(List<NodeView> nodes, Map<String, Long> planned, List<Mover> movers) {
        Map<String, List<Mover>> into = new LinkedHashMap<>();
        movers.forEach(m -> into.computeIfAbsent(m.plannedZone(), z -> new ArrayList<>()).add(m));
        List<Shortage> out = new ArrayList<>();
        into.forEach((zone, moving) -> {
            int schedulable = (int) nodes.stream().filter(n -> zone.equals(n.zone()) && n.schedulable()).count();
            int free = (int) nodes.stream().filter(n -> zone.equals(n.zone()) && n.schedulable() && !n.hasBroker()).count();
            long plannedHere = planned.getOrDefault(zone, 0L);
            if (free < moving.size() && schedulable <= plannedHere) {
                out.add(new Shortage(zone, schedulable, free, plannedHere, List.copyOf(moving)));
            }
        });
        return out;
    }

    /** True when the pod's tolerations let it onto a node with these taints (NoSchedule, NoExecute). */
    static boolean tolerates(List<Toleration> tolerations, List<Taint> taints) {
        if (taints == null) {
            return true;
        }
        List<Toleration> tols = tolerations == null ? List.of() : tolerations;
        return taints.stream().filter(t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()))
                .allMatch(t -> tols.stream().anyMatch(tol -> tolerates(tol, t)));
    }

    private static boolean tolerates(Toleration tol, Taint t) {
        boolean effect = tol.getEffect() == null || tol.getEffect().isEmpty() || tol.getEffect().equals(t.getEffect());
        if ("Exists".equals(tol.getOperator())) {
            return effect && (tol.getKey() == null || tol.getKey().isEmpty() || tol.getKey().equals(t.getKey()));
        }
        return effect && Objects.equals(tol.getKey(), t.getKey())
                && Objects.equals(Objects.requireNonNullElse(tol.getValue(), ""), Objects.requireNonNullElse(t.getValue(), ""));
    }
}
