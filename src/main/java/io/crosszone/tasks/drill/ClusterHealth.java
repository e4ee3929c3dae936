package io.crosszone.tasks.drill;

import io.crosszone.plan.OperatorNames;

import io.crosszone.rocketmq.BrokerGroup;
import io.crosszone.rocketmq.ClusterView;
import io.crosszone.rocketmq.SyncStateSet;
import io.crosszone.tasks.drill.ZonePods.PodInfo;
import io.crosszone.tasks.drill.ZonePods.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * "Is the deployment whole?": every broker, name-server and controller pod Ready, no node of the
 * deployment cordoned, no drill NetworkPolicy left, every group with one master in the name
 * server's view and a full, alive SyncStateSet. What a drill starts from and what its restore waits
 * for. Pure.
 */
public final class ClusterHealth {
    private ClusterHealth() {
    }

    /**
     * @param view     null when RocketMQ could not be asked
     * @param sets     group name -> SyncStateSet, null when the controller could not be asked
     * @param rocketMqError why RocketMQ could not be asked, or null
     */
    public static List<String> problems(String brokerCr, int groups, int replicas, ZonePods pods,
                                        List<String> drillPolicies, ClusterView view, Map<String, SyncStateSet> sets,
                                        String rocketMqError) {
        List<String> problems = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            for (int i = 0; i < replicas; i++) {
                String name = OperatorNames.podOf(OperatorNames.brokerStatefulSet(brokerCr, g, i));
                PodInfo p = pods.broker(g, i).orElse(null);
                if (p == null) {
                    problems.add("broker pod " + name + " does not exist");
                } else if (!p.ready()) {
                    problems.add("broker pod " + name + " is not Ready" + (p.node() == null ? " (not scheduled)" : " (on " + p.node() + ")"));
                }
            }
        }
        for (Role r : List.of(Role.NAME_SERVER, Role.CONTROLLER)) {
            List<PodInfo> members = pods.ofRole(r);
            if (members.isEmpty()) {
                problems.add("no " + label(r) + " pod");
            }
            members.stream().filter(p -> !p.ready()).forEach(p -> problems.add(label(r) + " pod " + p.name() + " is not Ready"));
        }
        pods.pods().stream().map(PodInfo::node).filter(n -> n != null && Boolean.TRUE.equals(pods.cordoned().get(n)))
                .distinct().sorted().forEach(n -> problems.add("node " + n + " is cordoned"));
        drillPolicies.forEach(np -> problems.add("the drill's NetworkPolicy " + np + " is still there"));
        if (rocketMqError != null) {
            problems.add("RocketMQ: " + rocketMqError);
            return problems;
        }
        for (int g = 0; g < groups; g++) {
            String group = OperatorNames.brokerName(brokerCr, g);
            if (view != null) {
                BrokerGroup bg = view.group(group).orElse(null);
                if (bg == null || bg.master().isEmpty()) {
                    problems.add(group + " has no master (BID 0) in the name server's view");
                }
            }
            if (sets != null) {
                SyncStateSet s = sets.get(group);
                if (s == null || !s.hasMaster()) {
                    problems.add(group + " has no master in the controller's view");
                } else if (s.aliveInSync() < replicas) {
                    problems.add(group + " SyncStateSet has " + s.aliveInSync() + " of " + replicas + " replicas in sync");
                }
            }
        }
        return problems;
    }

    private static String label(Role r) {
        return r == Role.NAME_SERVER ? "name-server" : "controller";
    }
}
