package io.crosszone.report;

import com.fasterxml.jackson.annotation.JsonValue;

/** The outcome of a task: passed (exit 0), failed (exit 1), error (exit 2 or 3). */
public enum Verdict {
    PASSED, FAILED, ERROR;

    @JsonValue
    public String json() {
        return name().toLowerCase();
    }
}
