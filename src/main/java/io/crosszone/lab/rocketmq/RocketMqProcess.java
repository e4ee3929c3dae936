package io.crosszone.lab.rocketmq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One RocketMQ server (name server, controller or broker) as a separate JVM bound to its own
 * loopback address, like a pod with its own IP. Its directory holds {@code conf/} (the server's
 * properties and a logback file), {@code store/} (its data: what "empty data" wipes) and
 * {@code logs/} (RocketMQ's log and the JVM's stdout/stderr).
 *
 * <p>Lifecycle: {@link #start()}, {@link #stop()} (SIGTERM), {@link #kill()} (SIGKILL),
 * {@link #freeze()} / {@link #thaw()} (SIGSTOP / SIGCONT: alive but silent, like a network cut),
 * {@link #restart()} (with its data), {@link #restartWithEmptyData()}. Every started JVM is killed
 * when this JVM exits (see {@link ProcessReaper}).
 */
public final class RocketMqProcess {
    private static final List<String> JVM_OPTIONS = List.of(
            "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true",
            // TLS off: otherwise every start generates a self-signed certificate (~10 s instead of ~3 s)
            "-Dtls.server.mode=disabled",
            // crash recovery casts to sun.nio.ch.DirectBuffer; index recovery fails without these on 17
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED");
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final String name;
    private final Role role;
    private final String address;
    private final int port;
    private final Path dir;
    private final RocketMqServers servers;
    private final Map<String, String> config;
    private volatile Process process;
    private volatile boolean frozen;
    private volatile List<String> launcher = List.of();

    RocketMqProcess(String name, Role role, String address, int port, Path dir, RocketMqServers servers,
                    Map<String, String> config) {
        this.name = name;
        this.role = role;
        this.address = address;
        this.port = port;
        this.dir = dir;
        this.servers = servers;
        this.config = new LinkedHashMap<>(config);
    }

    public String name() {
        return name;
    }

    public Role role() {
        return role;
    }

    /** Its own loopback address (its "pod IP"). */
    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    /** address:port, as clients and the admin API name it. */
    public String endpoint() {
        return address + ":" + port;
    }

    public Path dir() {
        return dir;
    }

    /** The RocketMQ log of this member. */
    public Path logFile() {
        return dir.resolve("logs").resolve("rocketmq.log");
    }

    /** The server properties it is (or will be) started with. */
    public synchronized Map<String, String> config() {
        return Map.copyOf(config);
    }

    /** Changes a server property for the next start. */
    public synchronized void setConfig(String key, String value) {
        config.put(key, value);
    }

    /** The PID of the running JVM, if any. */
    public Optional<Long> pid() {
        Process p = process;
        return p != null && p.isAlive() ? Optional.of(p.pid()) : Optional.empty();
    }

    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    public boolean isFrozen() {
        return frozen && isRunning();
    }

    /**
     * A command the JVM is started through from the next start on, e.g. {@code ip netns exec NS}
     * to run it in a zone's network namespace (it must exec the JVM in place: the PID stays the
     * JVM's, so stop, kill and freeze still reach it). Empty: started directly.
     */
    public void launchThrough(List<String> command) {
        this.launcher = List.copyOf(command);
    }

    /** Launches the JVM (does not wait for it to serve: see {@link #awaitListening(Duration)}). */
    public synchronized void start() {
        if (isRunning()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        try {
            Path conf = Files.createDirectories(dir.resolve("conf"));
            Path logs = Files.createDirectories(dir.resolve("logs"));
            Path home = Files.createDirectories(dir.resolve("home"));
            Files.createDirectories(dir.resolve("store"));
            Path configFile = conf.resolve(role.name().toLowerCase().replace('_', '-') + ".properties");
            Files.writeString(configFile, renderProperties());
            Path logback = conf.resolve("logback.xml");
            Files.writeString(logback, logbackXml(logFile()));

            List<String> command = new ArrayList<>(launcher);
            command.add(servers.javaExecutable().toString());
            command.addAll(role.heapOptions());
            command.addAll(JVM_OPTIONS);
            command.add("-Drocketmq.home.dir=" + home);
            command.add("-Duser.home=" + home);
            command.add("-Drmq.logback.configurationFile=" + logback);
            command.add("-cp");
            command.add(servers.classpath());
            command.add(role.mainClass());
            command.add("-c");
            command.add(configFile.toString());

            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("stdout.log").toFile()));
            builder.environment().remove("ROCKETMQ_HOME");
            builder.environment().remove("NAMESRV_ADDR");
            process = builder.start();
            frozen = false;
            ProcessReaper.register(process.toHandle());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** Waits until its port accepts connections; false on timeout or if the JVM exited. */
    public boolean awaitListening(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!isRunning()) {
                return false;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), 200);
                return true;
            } catch (IOException notYet) {
                sleep(100);
            }
        }
        return false;
    }

    /** SIGTERM and wait (a broker takes ~11 s); SIGKILL if it does not end in time or is frozen. */
    public synchronized void stop() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        if (frozen) {
            kill();
            return;
        }
        p.destroy();
        if (!waitFor(p, STOP_GRACE)) {
            kill();
            return;
        }
        reap(p);
    }

    /** SIGKILL the JVM (and anything it started) and wait until it is gone. */
    public synchronized void kill() {
        Process p = process;
        if (p == null) {
            return;
        }
        ProcessReaper.killTree(p.toHandle());
        if (!waitFor(p, Duration.ofSeconds(30))) {
            throw new IllegalStateException(name + " (pid " + p.pid() + ") survived SIGKILL");
        }
        reap(p);
    }

    /** SIGSTOP: the JVM keeps its sockets open but answers nothing (a network cut, as the peers see it). */
    public synchronized void freeze() {
        signal("STOP");
        frozen = true;
    }

    /** SIGCONT after {@link #freeze()}. */
    public synchronized void thaw() {
        signal("CONT");
        frozen = false;
    }

    /** Stops (or kills, if frozen) and starts again with its data. */
    public synchronized void restart() {
        stop();
        start();
    }

    /** Kills, wipes its store (a member that comes back on a node without its volume) and starts. */
    public synchronized void restartWithEmptyData() {
        kill();
        wipeData();
        start();
    }

    /** Deletes its store directory; the member must not be running. */
    public synchronized void wipeData() {
        if (isRunning()) {
            throw new IllegalStateException(name + " is running: stop it before wiping its data");
        }
        deleteTree(dir.resolve("store"));
        deleteTree(dir.resolve("home").resolve("store")); // RocketMQ's default paths, should a key be missing
    }

    @Override
    public String toString() {
        return name + "[" + role + " " + endpoint() + pid().map(p -> " pid " + p).orElse(" stopped") + "]";
    }

    private void signal(String signal) {
        Process p = process;
        if (p == null || !p.isAlive()) {
            throw new IllegalStateException(name + " is not running");
        }
        // the JDK sends only TERM and KILL; STOP and CONT go through kill(1), by PID
        List<Long> pids = new ArrayList<>();
        p.toHandle().descendants().forEach(h -> pids.add(h.pid()));
        pids.add(p.pid());
        for (long pid : pids) {
            try {
                Process k = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
                if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
                    throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private void reap(Process p) {
        ProcessReaper.unregister(p.toHandle());
        frozen = false;
    }

    private static boolean waitFor(Process p, Duration timeout) {
        try {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ProcessReaper.killTree(p.toHandle());
            return false;
        }
    }

    private String renderProperties() {
        StringBuilder sb = new StringBuilder("# written by the crosszone lab harness\n");
        config.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return sb.toString();
    }

    /** One file for everything the server logs, at INFO, instead of RocketMQ's dozen files under ~/logs. */
    private static String logbackXml(Path logFile) {
        return """
                <configuration>
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file>
                    <append>true</append>
                    <encoder><pattern>%%d{HH:mm:ss.SSS} %%-5p [%%t] %%c{0} - %%m%%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="FILE"/></root>
                </configuration>
                """.formatted(logFile);
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
