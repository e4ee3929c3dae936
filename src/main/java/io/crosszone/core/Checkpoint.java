package io.crosszone.core;

/**
 * Called as the task passes each point where it could be killed: {@code controller-created},
 * {@code conf-merged}, {@code mode-switched}, {@code ready}, {@code backed-up},
 * {@code deleted <Kind>/<name>}. A test throws from it to simulate a kill there.
 */
@FunctionalInterface
public interface Checkpoint {
    Checkpoint NONE = step -> { };

    void reached(String step);
}
