package io.crosszone.rocketmq;

import java.util.Map;
import java.util.Set;

/**
 * A group's master topics compared with each slave's: per slave address, the master's topics it
 * lacks and those whose queue counts or permissions differ. System topics are compared too.
 */
public record TopicComparison(String group, String masterAddress, Set<String> masterTopics,
                              Map<String, Set<String>> missingOnSlave, Map<String, Set<String>> differingOnSlave) {
    public TopicComparison {
        masterTopics = Set.copyOf(masterTopics);
        missingOnSlave = Map.copyOf(missingOnSlave);
        differingOnSlave = Map.copyOf(differingOnSlave);
    }

    /** True when every slave has every master topic with the same settings. */
    public boolean consistent() {
        return missingOnSlave.values().stream().allMatch(Set::isEmpty)
                && differingOnSlave.values().stream().allMatch(Set::isEmpty);
    }
}
