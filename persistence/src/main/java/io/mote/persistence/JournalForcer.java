package io.mote.persistence;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Forces the journal's cycle files to disk with {@code fsync}.
 *
 * <p>Why not Chronicle's {@code ExcerptAppender.sync()}: in chronicle-queue 2026.4 it msyncs only
 * the current mapped chunk of the current cycle, up to the write position, and is a no-op unless
 * the queue was built with a {@code SyncMode} other than NONE (read from the bytecode of
 * {@code StoreAppender.sync} and {@code MappedBytesStore.syncUpTo}); an event that crossed a chunk
 * or a roll would leave an earlier part unforced, and the appender may only be touched by the
 * journal thread, so a timer thread could not call it. On Linux, {@code fsync} on a file writes
 * back every dirty page of that file, those dirtied through a shared mapping included (msync with
 * MS_SYNC is the same call, restricted to a range), so forcing a channel on the cycle file covers
 * what the appender wrote through its mapping.
 *
 * <p>Threads: {@link #cycleStarted} is called by the journal thread when its appender moves to a
 * new cycle file; {@link #force} by the journal thread (batch mode) or the timer thread (interval
 * mode). Both are synchronized: the lock is taken once per batch or per tick, never per row.
 */
final class JournalForcer implements AutoCloseable
{
    private final Path journalDir;
    private final List<File> finished = new ArrayList<>();
    private File current;
    private FileChannel currentChannel;
    private boolean directoryChanged;

    JournalForcer(final Path journalDir)
    {
        this.journalDir = journalDir;
    }

    /** The appender now writes {@code file}; the previous one still needs one last force. */
    synchronized void cycleStarted(final File file)
    {
        if (current != null)
        {
            finished.add(current);
            closeCurrent();
        }
        current = file;
        directoryChanged = true;
    }

    /** Forces everything written so far; returns after the disk has acknowledged it. */
    synchronized void force()
    {
        try
        {
            for (final File file : finished)
            {
                forceFile(file.toPath());
            }
            finished.clear();
            if (current != null)
            {
                if (currentChannel == null || !currentChannel.isOpen())
                {
                    currentChannel = FileChannel.open(current.toPath(), StandardOpenOption.READ, StandardOpenOption.WRITE);
                }
                currentChannel.force(true);
            }
            if (directoryChanged)
            {
                // A new cycle file is only found again after a power loss if its directory entry is
                // on disk, and Chronicle keeps its cycle range in metadata.cq4t.
                final Path metadata = journalDir.resolve("metadata.cq4t");
                if (Files.exists(metadata))
                {
                    forceFile(metadata);
                }
                forceDirectory(journalDir);
                directoryChanged = false;
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot force journal files in " + journalDir + " to disk", ex);
        }
    }

    static void forceFile(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            channel.force(true);
        }
    }

    /** Forces every file directly in {@code dir}, then the directory itself. */
    static void forceTree(final Path dir) throws IOException
    {
        try (java.util.stream.Stream<Path> files = Files.list(dir))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                if (Files.isRegularFile(file))
                {
                    forceFile(file);
                }
            }
        }
        forceDirectory(dir);
    }

    /** Makes creations and renames in {@code dir} durable (fsync on the directory, as on Linux). */
    static void forceDirectory(final Path dir) throws IOException
    {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ))
        {
            channel.force(true);
        }
    }

    private void closeCurrent()
    {
        if (currentChannel != null)
        {
            try
            {
                currentChannel.close();
            }
            catch (final IOException ignored)
            {
                // Closing a channel we only used to force cannot lose data.
            }
            currentChannel = null;
        }
    }

    @Override
    public synchronized void close()
    {
        closeCurrent();
    }
}
