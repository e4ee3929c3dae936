package io.crosszone.lab.rocketmq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A private block of loopback addresses, 127.a.b.1 … 127.a.b.254, plus HA ports, for one local
 * cluster. Several clusters (other test runs, the lab, CI) may run on one machine at once: a block
 * and each HA port are held with an OS file lock under {@code java.io.tmpdir/crosszone-loopback}
 * for the life of the cluster (released by the OS if this JVM dies), and verified free by binding
 * before use. HA ports need their own locks because a 5.1.4 broker binds its HA port on 0.0.0.0.
 */
public final class LoopbackBlock implements AutoCloseable {
    private static final Path LOCK_DIR = Paths.get(System.getProperty("java.io.tmpdir"), "crosszone-loopback");
    private static final int[] PROBE_PORTS = {9876, 9878, 10909, 10911};
    private static final int HA_PORT_MIN = 20000;
    private static final int HA_PORT_MAX = 29999;

    private final String prefix;
    private final List<Held> held = new ArrayList<>();

    private LoopbackBlock(String prefix, Held blockLock) {
        this.prefix = prefix;
        held.add(blockLock);
    }

    /** Picks a random free block 127.a.b.0/24 (a in 16..250), retrying on clashes. */
    public static LoopbackBlock allocate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int a = 16 + random.nextInt(235);
            int b = random.nextInt(256);
            String prefix = "127." + a + "." + b + ".";
            Held lock = Held.tryLock("block-" + a + "." + b);
            if (lock == null) {
                continue;
            }
            if (portsFree(prefix + "1") && portsFree(prefix + "2") && portsFree(prefix + "3")) {
                return new LoopbackBlock(prefix, lock);
            }
            lock.release();
        }
        throw new IllegalStateException("no free loopback block found after 200 attempts");
    }

    /** 127.a.b.host, host in 1..254. */
    public String address(int host) {
        if (host < 1 || host > 254) {
            throw new IllegalArgumentException("host must be in 1..254: " + host);
        }
        return prefix + host;
    }

    /** A port free on every address (0.0.0.0), held for this block until it is closed. */
    public synchronized int allocateHaPort() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = HA_PORT_MIN + random.nextInt(HA_PORT_MAX - HA_PORT_MIN + 1);
            Held lock = Held.tryLock("ha-" + port);
            if (lock == null) {
                continue;
            }
            if (canBind(new InetSocketAddress(port))) {
                held.add(lock);
                return port;
            }
            lock.release();
        }
        throw new IllegalStateException("no free HA port found");
    }

    @Override
    public synchronized void close() {
        held.forEach(Held::release);
        held.clear();
    }

    @Override
    public String toString() {
        return prefix + "0/24";
    }

    private static boolean portsFree(String address) {
        for (int port : PROBE_PORTS) {
            if (!canBind(new InetSocketAddress(address, port))) {
                return false;
            }
        }
        return true;
    }

    static boolean canBind(InetSocketAddress address) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(address);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** An OS-level lock on a file: exclusive across processes, dropped when the holder dies. */
    private record Held(FileChannel channel, FileLock lock) {
        static Held tryLock(String name) {
            try {
                Files.createDirectories(LOCK_DIR);
                FileChannel channel = FileChannel.open(LOCK_DIR.resolve(name + ".lock"),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock == null) {
                    channel.close();
                    return null;
                }
                return new Held(channel, lock);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lock " + name + " in " + LOCK_DIR, e);
            }
        }

        void release() {
            try {
                lock.release();
                channel.close();
            } catch (IOException ignored) {
                // the lock goes with the channel anyway
            }
        }
    }
}
