package io.crosszone.tasks.verify;

/**
 * One check of verify-distribution.
 *
 * @param severity an ERROR that does not pass fails the task; a WARNING is reported only
 */
public record CheckResult(String name, boolean passed, Severity severity, String message) {
    public enum Severity { ERROR, WARNING }

    public static CheckResult pass(String name, String message) {
        return new CheckResult(name, true, Severity.ERROR, message);
    }

    public static CheckResult fail(String name, String message) {
        return new CheckResult(name, false, Severity.ERROR, message);
    }

    public static CheckResult warn(String name, String message) {
        return new CheckResult(name, false, Severity.WARNING, message);
    }

    public static CheckResult of(String name, boolean passed, String message) {
        return new CheckResult(name, passed, Severity.ERROR, message);
    }

    /** Fails the verdict: an error that did not pass. */
    public boolean failsVerdict() {
        return !passed && severity == Severity.ERROR;
    }
}
