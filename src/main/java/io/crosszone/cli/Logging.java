package io.crosszone.cli;

import java.util.Arrays;
import java.util.List;

/**
 * Logging, set deliberately before anything logs: the Kubernetes client (fabric8, through SLF4J
 * and slf4j-simple) and RocketMQ's admin client (its own shaded logback) are silent unless
 * {@code --verbose}, and then write to stderr only, so stdout stays the task's output (one JSON
 * document with {@code --output json}).
 */
final class Logging {
    static final String ROCKETMQ_CONFIG = "rmq.logback.configurationFile";
    static final String ROCKETMQ_LEVEL = "crosszone.rocketmq.log.level";
    static final String SLF4J_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    private Logging() {
    }

    /** Whether the command line asks for logs; read before picocli parses, since loggers start early. */
    static boolean verbose(String[] args) {
        List<String> a = Arrays.asList(args);
        int end = a.indexOf("--");
        return (end < 0 ? a : a.subList(0, end)).stream().anyMatch(s -> s.equals("-v") || s.equals("--verbose"));
    }

    /** Sets the levels and RocketMQ's configuration; a property already given with -D wins. */
    static void configure(boolean verbose) {
        setIfAbsent(SLF4J_LEVEL, verbose ? "info" : "off");
        setIfAbsent(ROCKETMQ_LEVEL, verbose ? "INFO" : "OFF");
        setIfAbsent(ROCKETMQ_CONFIG, "io/crosszone/cli/rmq-client.logback.xml");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
