package io.crosszone.cli;

import io.crosszone.core.RuntimeFailure;

/** Thrown by a subcommand whose issue has not landed yet: exit 3 with a plain message. */
final class NotImplemented {
    private NotImplemented() {
    }

    static RuntimeFailure yet(String task) {
        return new RuntimeFailure(task + " is not implemented yet");
    }
}
