package io.crosszone.tasks.drill;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One group's drill result.
 *
 * @param lostMaster  its master was in the lost zone
 * @param rtoMillis   from the injection until both the controller and the name server show a
 *                    master again (0 when it never lost its master; null when it never recovered)
 * @param newMaster   the address of the master after the failover
 * @param writeOutageMillis the longest gap the probe saw between acknowledged writes to the group
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GroupOutcome(int group, String brokerName, boolean lostMaster, Long rtoMillis, String newMaster,
                           Long writeOutageMillis) {
}
