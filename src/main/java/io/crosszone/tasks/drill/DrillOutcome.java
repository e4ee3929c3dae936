package io.crosszone.tasks.drill;

import io.crosszone.rocketmq.probe.ProbeResult;
import java.util.List;
import java.util.Map;

/**
 * What one drill came to, as gathered by its run: the input of the pure {@link DrillReporter}.
 *
 * @param aborted     why the observation ended early, or null
 * @param injected    whether the zone was taken offline at all
 * @param probe       the ordinary probe's result, or null when it could not be counted
 * @param tunedProbe  the tuned probe's result (README's client settings), or null when it could not be counted
 * @param restored    whether the restorer left the deployment whole
 * @param failures    what fails the drill besides its objectives
 * @param problems    what went wrong on the way (the reporter adds the objectives it missed)
 * @param warnings    what the restore's final check found that does not fail the drill
 * @param cut         what the cut modelled, how it was enforced and when it took effect
 */
record DrillOutcome(DrillOptions options, String brokerCr, int groups, List<Integer> groupsLosingMaster,
                    String aborted, boolean injected, ProbeResult probe, boolean restored, List<DrillEvent> timeline,
                    Map<Integer, String> newMasters, List<String> actions, List<String> failures, List<String> problems,
                    long durationMillis, StuckClientCheck.ProbeClient probeClient, List<String> zoneNameServers,
                    List<String> warnings, DrillReport.Cut cut, ProbeResult tunedProbe, String tunedSettings) {
}
