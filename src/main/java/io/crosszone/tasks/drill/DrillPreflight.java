package io.crosszone.tasks.drill;

import io.crosszone.config.CrosszoneConfig;
import java.util.List;

/**
 * What must hold before a drill touches anything, and again after it restored: a list of problems
 * (empty: go). One call, so the CLI can hand in verify-distribution's verdict next to the drill's
 * own health check.
 */
@FunctionalInterface
public interface DrillPreflight {
    List<String> problems(CrosszoneConfig config) throws InterruptedException;

    /** Nothing beyond the drill's own {@link ClusterHealth}. */
    DrillPreflight NONE = config -> List.of();
}
