package io.mote.persistence;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.nio.file.Path;

/**
 * The retained-row persistence of one broker, in the order the broker needs it:
 * {@link #open} (locks the data directory), hand {@link #journal()} to the engine's constructor,
 * {@link #recover} into the engine's {@code restoreRetained} before {@code engine.start()},
 * {@link #startCompaction()}, and {@link #close()} after the engine stopped. Persistent sessions
 * are recovered (and their log compacted) by {@link #open}; see {@link #sessions()}.
 *
 * <p>Threads: open, recover and close on the starting thread; the journal on the engine's journal
 * thread; compaction on its own.
 */
public final class Persistence implements AutoCloseable
{
    /** 64 MiB of session records between two compactions of the session log. */
    public static final long DEFAULT_SESSION_COMPACT_BYTES = 64L << 20;

    private final DataDirectory directory;
    private final SingleChronicleQueue queue;
    private final ChronicleJournal journal;
    private final Compactor compactor;
    private final SessionStore sessions;
    private final long sessionCompactBytes;

    private Persistence(final DataDirectory directory, final SingleChronicleQueue queue, final ChronicleJournal journal, final Compactor compactor,
        final SessionStore sessions, final long sessionCompactBytes)
    {
        this.sessionCompactBytes = sessionCompactBytes;
        this.directory = directory;
        this.queue = queue;
        this.journal = journal;
        this.compactor = compactor;
        this.sessions = sessions;
    }

    /**
     * @throws IllegalStateException when another broker holds {@code dataDir}
     */
    public static Persistence open(final Path dataDir, final JournalConfig journalConfig, final Compactor.Config compaction)
    {
        return open(dataDir, journalConfig, compaction, DEFAULT_SESSION_COMPACT_BYTES);
    }

    /**
     * @param sessionCompactBytes compact the session log each time this many record bytes were appended to it
     * @throws IllegalStateException when another broker holds {@code dataDir}
     */
    public static Persistence open(final Path dataDir, final JournalConfig journalConfig, final Compactor.Config compaction,
        final long sessionCompactBytes)
    {
        if (sessionCompactBytes <= 0)
        {
            throw new IllegalArgumentException("session log compaction needs a positive size, was " + sessionCompactBytes);
        }
        final DataDirectory directory = DataDirectory.open(dataDir);
        try
        {
            final SessionStore sessions = SessionStore.open(directory.sessions(), journalConfig);
            try
            {
                final SingleChronicleQueue queue = ChronicleJournal.openQueue(directory.journal(), journalConfig);
                final ChronicleJournal journal = new ChronicleJournal(queue, journalConfig);
                return new Persistence(directory, queue, journal, new Compactor(queue, directory.snapshots(), compaction, journal::appendedBytes), sessions,
                    sessionCompactBytes);
            }
            catch (final RuntimeException ex)
            {
                sessions.close();
                throw ex;
            }
        }
        catch (final RuntimeException ex)
        {
            directory.close();
            throw ex;
        }
    }

    /** The engine's journal stage. */
    public ChronicleJournal journal()
    {
        return journal;
    }

    /** The persistent sessions: the log the transport appends to, and what was recovered at open. */
    public SessionStore sessions()
    {
        return sessions;
    }

    /** Loads the newest valid snapshot and the journal after it into {@code sink}. */
    public Recovery.Result recover(final RowSink sink)
    {
        return Recovery.recover(queue, directory.snapshots(), sink);
    }

    /**
     * As {@link #recover(RowSink)}, first telling {@code expectTreeNodes} how many tree nodes the
     * snapshot needs (the engine's {@code expectRetainedNodes}), so the engine sizes its tree once.
     */
    public Recovery.Result recover(final RowSink sink, final java.util.function.LongConsumer expectTreeNodes)
    {
        return Recovery.recover(queue, directory.snapshots(), sink, expectTreeNodes);
    }

    /**
     * Starts background compaction of the journal (after recovery, so the two never fold the
     * journal at once) and of the session log.
     */
    public void startCompaction()
    {
        compactor.start();
        sessions.startCompaction(sessionCompactBytes);
    }

    /** The compactor, e.g. to compact on demand. */
    public Compactor compactor()
    {
        return compactor;
    }

    /** The locked data directory. */
    public DataDirectory directory()
    {
        return directory;
    }

    /** Stops compaction, forces the journal per its mode, closes the queue and releases the lock. */
    @Override
    public void close()
    {
        try
        {
            try
            {
                compactor.close();
                journal.close();
                queue.close();
            }
            finally
            {
                sessions.close();
            }
        }
        finally
        {
            directory.close();
        }
    }
}
