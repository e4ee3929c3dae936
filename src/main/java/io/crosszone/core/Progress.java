package io.crosszone.core;

import java.io.PrintWriter;

/** Progress lines for a person watching: always on stderr, so stdout stays one document. */
public final class Progress {
    private final PrintWriter out;
    private final String task;

    public Progress(String task, PrintWriter out) {
        this.task = task;
        this.out = out;
    }

    public static Progress stderr(String task) {
        return new Progress(task, new PrintWriter(System.err, true));
    }

    public static Progress silent() {
        return new Progress("", new PrintWriter(java.io.Writer.nullWriter()));
    }

    public void info(String message) {
        out.println("[" + task + "] " + message);
        out.flush();
    }

    public void warn(String message) {
        out.println("[" + task + "] WARNING: " + message);
        out.flush();
    }
}
