package io.crosszone.tasks.affinity;

import io.crosszone.plan.BrokerPlacement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The order broker StatefulSets are restarted in: every slave first, then the masters, group by
 * group ({@link #order}); {@link #next} lets a broker whose planned zone has room go before one
 * whose zone is full, never a master before a slave of its own group. One at a time, each waiting
 * for its group's SyncStateSet to be full again, so a group never has two members down and loses
 * its master only once, at the end, to an in-sync slave. Pure.
 */
public final class RolloutOrder {
    /** One restart: the StatefulSet, its group and replica, and the role it had when the order was made. */
    public record Step(String statefulSet, String group, int replica, Role role) {
    }

    public enum Role {
        SLAVE("slave"), MASTER("master"),
        /** The master was not known: replica 0, the one the operator starts first, is taken to be it. */
        LIKELY_MASTER("master (assumed: not known, replica 0)");

        private final String text;

        Role(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    private RolloutOrder() {
    }

    /**
     * @param toRestart the broker StatefulSets that need a restart
     * @param groupName brokerName of a group number, {@code <cr>-<g>}
     * @param masters   each group's master replica as RocketMQ says; empty when not known
     */
    public static List<Step> order(List<BrokerPlacement> toRestart, java.util.function.IntFunction<String> groupName,
                                   Map<String, Optional<Integer>> masters) {
        List<Step> slaves = new ArrayList<>();
        List<Step> leaders = new ArrayList<>();
        for (BrokerPlacement b : toRestart) {
            String group = groupName.apply(b.group());
            Optional<Integer> master = masters.getOrDefault(group, Optional.empty());
            Role role = master.isPresent() ? (master.get() == b.replica() ? Role.MASTER : Role.SLAVE)
                    : (b.replica() == 0 ? Role.LIKELY_MASTER : Role.SLAVE);
            (role == Role.SLAVE ? slaves : leaders).add(new Step(b.statefulSet(), group, b.replica(), role));
        }
        Comparator<Step> byGroup = Comparator.comparing((Step s) -> groupIndex(s.group()))
                .thenComparing(Step::group).thenComparingInt(Step::replica);
        slaves.sort(byGroup);
        leaders.sort(byGroup);
        List<Step> all = new ArrayList<>(slaves);
        all.addAll(leaders);
        return List.copyOf(all);
    }

    /**
     * The step to take next from {@code remaining} (in {@link #order} order). A master is eligible
     * only once no slave of its group remains. Among the eligible, the first whose planned zone has
     * room now ({@code hasRoom}) goes first: a broker restarted while its zone is full lands in the
     * other zone, and under required zone separation its group partner can then never move there
     * (the two are swapped for good). When none has room, the first eligible one.
     */
    public static Step next(List<Step> remaining, java.util.function.Predicate<Step> hasRoom) {
        List<Step> eligible = remaining.stream().filter(s -> s.role() == Role.SLAVE || remaining.stream()
                .noneMatch(o -> o.role() == Role.SLAVE && o.group().equals(s.group()))).toList();
        return eligible.stream().filter(hasRoom).findFirst().orElse(eligible.get(0));
    }

    private static int groupIndex(String group) {
        int dash = group.lastIndexOf('-');
        try {
            return Integer.parseInt(group.substring(dash + 1));
        } catch (RuntimeException e) {
            return Integer.MAX_VALUE;
        }
    }
}
