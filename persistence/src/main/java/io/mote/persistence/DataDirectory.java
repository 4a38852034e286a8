package io.mote.persistence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The broker's data directory ({@code <data-dir>}), held exclusively for as long as this object is
 * open: the journal and snapshots assume a single writer, and two brokers appending to one queue
 * would interleave their retained state.
 *
 * <p>The lock is an OS file lock on {@code <data-dir>/lock}, so it is released by the kernel when
 * the process dies, however it dies: there is never a stale lock to remove by hand. The lock file
 * itself is left in place.
 */
public final class DataDirectory implements AutoCloseable
{
    public static final String LOCK_FILE = "lock";
    public static final String JOURNAL_DIR = "journal";
    public static final String SNAPSHOT_DIR = "snapshots";
    public static final String SESSIONS_DIR = "sessions";

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(final Path root, final FileChannel lockChannel, final FileLock lock)
    {
        this.root = root;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Creates the directory (and its journal and snapshot folders) if missing and takes the lock.
     *
     * @throws IllegalStateException when another process, or another open {@code DataDirectory} in
     *                               this JVM, holds it; the message names the directory
     */
    public static DataDirectory open(final Path dir)
    {
        final Path root = dir.toAbsolutePath().normalize();
        try
        {
            Files.createDirectories(root);
            Files.createDirectories(root.resolve(JOURNAL_DIR));
            Files.createDirectories(root.resolve(SNAPSHOT_DIR));
            Files.createDirectories(root.resolve(SESSIONS_DIR));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create data directory " + root, ex);
        }
        FileChannel channel = null;
        try
        {
            channel = FileChannel.open(root.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            final FileLock lock;
            try
            {
                lock = channel.tryLock();
            }
            catch (final OverlappingFileLockException ex)
            {
                throw inUse(root);
            }
            if (lock == null)
            {
                throw inUse(root);
            }
            return new DataDirectory(root, channel, lock);
        }
        catch (final IOException ex)
        {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock data directory " + root, ex);
        }
        catch (final RuntimeException ex)
        {
            closeQuietly(channel);
            throw ex;
        }
    }

    private static IllegalStateException inUse(final Path root)
    {
        return new IllegalStateException("data directory " + root + " is in use by another broker (lock held on "
            + root.resolve(LOCK_FILE) + "); stop that broker or choose another data directory");
    }

    private static void closeQuietly(final FileChannel channel)
    {
        if (channel != null)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignored)
            {
                // Already failing; the original error is the one to report.
            }
        }
    }

    /** The directory, absolute and normalized. */
    public Path root()
    {
        return root;
    }

    /** Where the Chronicle Queue of row changes lives. */
    public Path journal()
    {
        return root.resolve(JOURNAL_DIR);
    }

    /** Where snapshot files live. */
    public Path snapshots()
    {
        return root.resolve(SNAPSHOT_DIR);
    }

    /** Where the session log's generations live. */
    public Path sessions()
    {
        return root.resolve(SESSIONS_DIR);
    }

    /** Releases the lock; the files stay. */
    @Override
    public void close()
    {
        try
        {
            lock.release();
            lockChannel.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot release lock on " + root, ex);
        }
    }
}
