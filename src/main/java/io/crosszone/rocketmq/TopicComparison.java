package io.crosszone.rocketmq;

import java.util.Map;
import java.util.Set;

/**
 * A group's master topics compared with each slave's, per slave address: the master's topics the
 * slave lacks, the slave's topics the master lacks (what a freshly promoted slave shows: it never
 * got the topics created on the old master), and those whose queue counts or permissions differ.
 * System topics are compared too.
 */
public record TopicComparison(String group, String masterAddress, Set<String> masterTopics,
                              Map<String, Set<String>> missingOnSlave, Map<String, Set<String>> missingOnMaster,
                              Map<String, Set<String>> differingOnSlave) {
    public TopicComparison {
        masterTopics = Set.copyOf(masterTopics);
        missingOnSlave = Map.copyOf(missingOnSlave);
        missingOnMaster = Map.copyOf(missingOnMaster);
        differingOnSlave = Map.copyOf(differingOnSlave);
    }

    /** True when master and every slave hold the same topics with the same settings. */
    public boolean consistent() {
        return missingOnSlave.values().stream().allMatch(Set::isEmpty)
                && missingOnMaster.values().stream().allMatch(Set::isEmpty)
                && differingOnSlave.values().stream().allMatch(Set::isEmpty);
    }
}
