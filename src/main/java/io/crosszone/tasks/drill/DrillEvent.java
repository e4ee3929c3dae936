package io.crosszone.tasks.drill;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One thing that happened during a drill, at {@code atMillis} after the injection (negative:
 * before it). {@code group} is null for events of the whole deployment.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DrillEvent(long atMillis, Kind kind, Integer group, String detail) {

    public enum Kind {
        /** the zone was taken offline (t=0: the cut was made) */
        INJECTED,
        /** every cut-off member of the zone stopped answering the drill: the cut holds */
        CUT_IN_EFFECT,
        /** the controller or name server no longer shows the group's old master */
        MASTER_LOST,
        /** the controller's SyncStateSet names a new master */
        MASTER_ELECTED,
        /** the name server lists the new master with BID 0 */
        NAMESRV_MASTER,
        /** the SyncStateSet lost members */
        SYNC_STATE_SHRUNK,
        /** the probe's first acknowledged write to the group after injection */
        FIRST_WRITE,
        /** a repair the drill performed (controller moved, controller restarted, console restarted) */
        ACTION,
        /** restoring the zone began */
        RESTORE_STARTED,
        /** every group's SyncStateSet is full again */
        RESTORED
    }
}
