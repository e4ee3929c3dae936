package io.crosszone.lab.rocketmq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Where the RocketMQ server jars are: a classpath file written by the build
 * ({@code lab/rocketmq-servers/pom.xml}, run by the root POM's maven-invoker-plugin execution).
 * The servers are never on the CLI's own classpath; each member runs in its own JVM from this one.
 */
public final class RocketMqServers {
    /** System property naming the classpath file; default {@value #DEFAULT_FILE} (relative to the working directory). */
    public static final String CLASSPATH_FILE_PROPERTY = "crosszone.rocketmq.servers.classpath";
    public static final String DEFAULT_FILE = "target/rocketmq-servers.classpath";

    private final String classpath;
    private final Path javaExecutable;

    private RocketMqServers(String classpath, Path javaExecutable) {
        this.classpath = classpath;
        this.javaExecutable = javaExecutable;
    }

    /** Locates the classpath file (system property, else the default) and the running JVM's java. */
    public static RocketMqServers locate() {
        Path file = Paths.get(System.getProperty(CLASSPATH_FILE_PROPERTY, DEFAULT_FILE)).toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("RocketMQ server classpath not found at " + file
                    + " (run `mvn -B -DskipTests package` first, or set -D" + CLASSPATH_FILE_PROPERTY + "=FILE)");
        }
        try {
            String cp = Files.readString(file).trim();
            if (cp.isEmpty() || !cp.contains("rocketmq-broker")) {
                throw new IllegalStateException("RocketMQ server classpath " + file + " does not name rocketmq-broker");
            }
            return new RocketMqServers(cp, Paths.get(System.getProperty("java.home"), "bin", "java"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public String classpath() {
        return classpath;
    }

    /** The RocketMQ version the classpath holds, from its rocketmq-broker jar's name ("unknown" if not found). */
    public String version() {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("rocketmq-broker-([^/\\\\]+?)\\.jar").matcher(classpath);
        return m.find() ? m.group(1) : "unknown";
    }

    public Path javaExecutable() {
        return javaExecutable;
    }
}
