package io.crosszone.tasks.verify;

import io.crosszone.tasks.verify.DistributionSnapshot.RegisteredBroker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Topics a master has that its slaves lack. Slaves copy topic configs only every 60 s, so a
 * slave promoted within that minute answers "topic not exist" and its messages look lost.
 */
final class TopicChecks {
    private TopicChecks() {
    }

    /** Slave address -> the topics its master has and it lacks (only slaves with something missing). */
    static Map<String, Set<String>> missingOnSlaves(DistributionSnapshot s) {
        Map<String, Set<String>> missing = new LinkedHashMap<>();
        if (s.rocketmq() == null) {
            return missing;
        }
        for (List<RegisteredBroker> members : s.rocketmq().clusterGroups().values()) {
            RegisteredBroker master = members.stream().filter(RegisteredBroker::master).findFirst().orElse(null);
            if (master == null) {
                continue;
            }
            Set<String> masterTopics = s.rocketmq().topicsByBroker().getOrDefault(master.address(), Set.of());
            for (RegisteredBroker slave : members) {
                if (slave.master()) {
                    continue;
                }
                Set<String> lacking = new TreeSet<>(masterTopics);
                lacking.removeAll(s.rocketmq().topicsByBroker().getOrDefault(slave.address(), Set.of()));
                if (!lacking.isEmpty()) {
                    missing.put(slave.address(), lacking);
                }
            }
        }
        return missing;
    }

    static CheckResult check(DistributionSnapshot s, Map<String, Set<String>> missing, Map<String, Set<String>> fixed) {
        if (s.rocketmq() == null) {
            return CheckResult.fail("topics-on-slaves", "unknown: RocketMQ did not answer");
        }
        List<String> still = new ArrayList<>();
        missing.forEach((slave, topics) -> {
            Set<String> left = new TreeSet<>(topics);
            left.removeAll(fixed.getOrDefault(slave, Set.of()));
            if (!left.isEmpty()) {
                still.add(slave + " lacks " + left);
            }
        });
        if (!still.isEmpty()) {
            return CheckResult.fail("topics-on-slaves", String.join("; ", still)
                    + ": a slave promoted now would not serve them for up to 60 s (--fix-topics creates them)");
        }
        return CheckResult.pass("topics-on-slaves", fixed.isEmpty() ? "every slave has its master's topics"
                : "created on slaves: " + fixed);
    }
}
