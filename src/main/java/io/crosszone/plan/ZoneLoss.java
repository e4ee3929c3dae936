package io.crosszone.plan;

import java.util.List;

/**
 * What losing one zone does to the deployment.
 *
 * @param groupsLosingMaster    groups whose master is in the zone
 * @param groupsWithoutReplica  groups with no member left outside the zone (unavailable)
 * @param nameServerSurvives    a name server runs outside the zone
 * @param controllerSurvives    a Raft majority of the controllers runs outside the zone
 * @param automaticRecovery     every group is served again without anybody acting
 * @param actions               what somebody (or the drill) must do, in order
 */
public record ZoneLoss(String zone, List<Integer> groupsLosingMaster, List<Integer> groupsWithoutReplica,
                       boolean nameServerSurvives, boolean controllerSurvives, boolean automaticRecovery,
                       List<String> actions) {
}
