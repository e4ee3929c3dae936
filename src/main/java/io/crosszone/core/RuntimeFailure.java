package io.crosszone.core;

/** Something outside the input went wrong (cluster unreachable, timeout, API error): exit 3. */
public class RuntimeFailure extends RuntimeException {
    public RuntimeFailure(String message) {
        super(message);
    }

    public RuntimeFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
