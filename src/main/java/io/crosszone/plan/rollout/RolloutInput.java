package io.crosszone.plan.rollout;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the rollout planner is given: every node as a broker pod could use it, and every broker
 * as it runs now with the zone it is planned into. Plain values, no Kubernetes types.
 *
 * @param nodes   every node (those without a zone label too: a broker may run on one)
 * @param brokers every broker of the Broker CR, also those that need no restart (they hold nodes
 *                and keep their group's members out of their zone)
 */
public record RolloutInput(List<Node> nodes, List<Broker> brokers) {

    /**
     * A node. {@code schedulable}: a broker pod may be bound there now (Ready, not cordoned, every
     * NoSchedule/NoExecute taint tolerated by the brokers' template, nodeSelector matched). The
     * brokers of one Broker CR share their tolerations and nodeSelector, so a node is usable by
     * all of them or by none.
     *
     * @param zone                its zone label, null when it has none
     * @param unschedulableReason why not, for messages (e.g. "cordoned", "taint dedicated=infra:NoSchedule")
     */
    public record Node(String name, String zone, boolean schedulable, String unschedulableReason) {
        public Node {
            Objects.requireNonNull(name, "node name");
        }

        public static Node schedulable(String name, String zone) {
            return new Node(name, zone, true, null);
        }

        public static Node unschedulable(String name, String zone, String why) {
            return new Node(name, zone, false, why);
        }
    }

    /**
     * A broker (one StatefulSet, one pod).
     *
     * @param name            its StatefulSet, e.g. {@code broker-1-0}
     * @param group           its group (RocketMQ brokerName), e.g. {@code broker-1}
     * @param node            the node its pod is bound to now; null when it is not running
     * @param plannedZone     the zone the placement plan puts it in
     * @param master          RocketMQ says it is its group's master now
     * @param inSync          it is in its group's SyncStateSet now
     * @param plannedMaster   the replica the plan makes master (fail-back elects it at the end)
     * @param templateCurrent its running pod already has the planned template: it needs a restart
     *                        only when it is not in its planned zone
     */
    public record Broker(String name, String group, int replica, String node, String plannedZone, boolean master,
                         boolean inSync, boolean plannedMaster, boolean templateCurrent) {
        public Broker {
            Objects.requireNonNull(name, "broker name");
            Objects.requireNonNull(group, "group of " + name);
            Objects.requireNonNull(plannedZone, "planned zone of " + name);
        }

        /** A running slave, in sync, whose template must change; replica 0 is the planned master. */
        public static Broker of(String name, String group, int replica, String node, String plannedZone) {
            return new Broker(name, group, replica, node, plannedZone, false, true, replica == 0, false);
        }

        public Broker asMaster() {
            return new Broker(name, group, replica, node, plannedZone, true, inSync, plannedMaster, templateCurrent);
        }

        public Broker outOfSync() {
            return new Broker(name, group, replica, node, plannedZone, master, false, plannedMaster, templateCurrent);
        }

        public Broker withCurrentTemplate() {
            return new Broker(name, group, replica, node, plannedZone, master, inSync, plannedMaster, true);
        }
    }

    /** Rejects what no cluster can be: duplicate names, unknown nodes, two members of a group planned into one zone. */
    public RolloutInput {
        nodes = List.copyOf(nodes);
        brokers = List.copyOf(brokers);
        Set<String> nodeNames = new HashSet<>();
        for (Node n : nodes) {
            if (!nodeNames.add(n.name())) {
                throw new IllegalArgumentException("node " + n.name() + " is listed twice");
            }
        }
        Set<String> brokerNames = new HashSet<>();
        Map<String, String> plannedByGroupZone = new HashMap<>();
        Map<String, String> nodeTakenBy = new HashMap<>();
        for (Broker b : brokers) {
            if (!brokerNames.add(b.name())) {
                throw new IllegalArgumentException("broker " + b.name() + " is listed twice");
            }
            if (b.node() != null && !nodeNames.contains(b.node())) {
                throw new IllegalArgumentException("broker " + b.name() + " runs on " + b.node() + ", which is not a listed node");
            }
            if (b.node() != null) {
                String other = nodeTakenBy.putIfAbsent(b.node(), b.name());
                if (other != null) {
                    throw new IllegalArgumentException("brokers " + other + " and " + b.name() + " both run on " + b.node()
                            + ": the hostname spread allows one broker per node");
                }
            }
            String other = plannedByGroupZone.putIfAbsent(b.group() + "\u0000" + b.plannedZone(), b.name());
            if (other != null) {
                throw new IllegalArgumentException("brokers " + other + " and " + b.name() + " of group " + b.group()
                        + " are both planned into " + b.plannedZone() + ": the plan must keep a group's members in different zones");
            }
        }
    }
}
