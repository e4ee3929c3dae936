package io.crosszone.lab.rocketmq;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kills every server process this JVM started when the JVM exits (normal end, a failed test run,
 * Ctrl-C / SIGTERM): one shutdown hook for all of them. SIGKILL also ends frozen (SIGSTOPped)
 * processes. A JVM that is itself SIGKILLed cannot run it: such orphans are the only ones left.
 */
final class ProcessReaper {
    private static final Set<ProcessHandle> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessReaper::killAll, "rocketmq-lab-reaper"));
    }

    private ProcessReaper() {
    }

    static void register(ProcessHandle handle) {
        LIVE.add(handle);
    }

    static void unregister(ProcessHandle handle) {
        LIVE.remove(handle);
    }

    /** SIGKILL a process and every descendant, descendants first. */
    static void killTree(ProcessHandle handle) {
        handle.descendants().forEach(ProcessHandle::destroyForcibly);
        handle.destroyForcibly();
    }

    private static void killAll() {
        for (ProcessHandle handle : LIVE) {
            killTree(handle);
        }
    }
}
