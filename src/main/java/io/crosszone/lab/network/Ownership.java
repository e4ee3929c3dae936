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

/**
 * Which live process owns lab network {@code id}: an OS file lock on {@code /run/crosszone-netns/<id>.lock}
 * (released by the OS when the owner dies, however it dies), with the owner's PID written in it.
 * Lock files are never deleted: deleting one while another process opens it would let two labs
 * own one id.
 */
final class Ownership implements AutoCloseable {
    static final Path DIR = Paths.get("/run/crosszone-netns");

    private final int id;
    private final FileChannel channel;
    private final FileLock lock;

    private Ownership(int id, FileChannel channel, FileLock lock) {
        this.id = id;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes lab id {@code id} for this process, or null if a live process holds it. */
    static Ownership tryAcquire(int id) {
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
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new Ownership(id, channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock lab network " + id + " in " + DIR, e);
        }
    }

    /** The PID the last owner of {@code id} wrote, or "unknown". */
    static String lastOwner(int id) {
        try {
            return Files.readString(DIR.resolve(id + ".lock")).trim();
        } catch (IOException e) {
            return "unknown";
        }
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
        }
    }
}
