package io.crosszone.lab.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which live process owns lab network {@code id}: an OS file lock on {@code /run/crosszone-netns/<id>.lock}
 * (released by the OS when the owner dies, however it dies), with the owner's PID written in it.
 * Lock files are never deleted: deleting one while another process opens it would let two labs
 * own one id. Nothing else in this JVM may open a lock file it holds (see {@link #HELD_HERE}).
 */
final class Ownership implements AutoCloseable {
    static final Path DIR = Paths.get("/run/crosszone-netns");

    private final int id;
    private final FileChannel channel;
    private final FileLock lock;
    private final String previousOwner;

    private Ownership(int id, FileChannel channel, FileLock lock, String previousOwner) {
        this.id = id;
        this.channel = channel;
        this.lock = lock;
        this.previousOwner = previousOwner;
    }

    /**
     * Ids this JVM holds. Checked before opening a lock file: closing a second channel on a file
     * this JVM has locked would drop the lock (POSIX record locks belong to the process, and any
     * close of the file releases them), and another lab would then take this live one for dead.
     */
    private static final Set<Integer> HELD_HERE = ConcurrentHashMap.newKeySet();

    /** Takes lab id {@code id} for this process, or null if a live process (this one included) holds it. */
    static Ownership tryAcquire(int id) {
        if (!HELD_HERE.add(id)) {
            return null;
        }
        Ownership o = null;
        try {
            o = lock(id);
            return o;
        } finally {
            if (o == null) {
                HELD_HERE.remove(id);
            }
        }
    }

    private static Ownership lock(int id) {
        try {
            Files.createDirectories(DIR);
            FileChannel channel = FileChannel.open(DIR.resolve(id + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.READ);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very JVM (another lab in it)
            }
            if (lock == null) {
                channel.close();
                return null;
            }
            ByteBuffer old = ByteBuffer.allocate(32);
            int n = channel.read(old, 0);
            String previous = n > 0 ? new String(old.array(), 0, n, StandardCharsets.UTF_8).trim() : "unknown";
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new Ownership(id, channel, lock, previous);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock lab network " + id + " in " + DIR, e);
        }
    }

    /** The PID the previous owner wrote (read through this lock's own channel), or "unknown". */
    String previousOwner() {
        return previousOwner;
    }

    int id() {
        return id;
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the lock goes with the channel anyway
        } finally {
            HELD_HERE.remove(id);
        }
    }
}
