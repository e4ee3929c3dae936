package io.crosszone.core;

/** The exit codes every task keeps. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int CHECK_FAILED = 1;
    public static final int BAD_INPUT = 2;
    public static final int RUNTIME_FAILURE = 3;

    private ExitCodes() {
    }
}
