package io.crosszone.rocketmq;

import java.util.Map;

/** The answer to electMaster: the group's master after the election and the members the controller knows (id to address). */
public record ElectionResult(String group, Long masterBrokerId, String masterAddress, Integer masterEpoch,
                             Integer syncStateSetEpoch, Map<Long, String> members) {
    public ElectionResult {
        members = members == null ? Map.of() : Map.copyOf(members);
    }
}
