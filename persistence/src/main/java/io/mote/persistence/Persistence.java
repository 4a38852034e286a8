package io.mote.persistence;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import java.nio.file.Path;

/**
 * The retained-row persistence of one broker, in the order the broker needs it:
 * {@link #open} (locks the data directory), hand {@link #journal()} to the engine's constructor,
 * {@link #recover} into the engine's {@code restoreRetained} before {@code engine.start()},
 * {@link #startCompaction()}, and {@link #close()} after the engine stopped.
 *
 * <p>Threads: open, recover and close on the starting thread; the journal on the engine's journal
 * thread; compaction on its own.
 */
public final class Persistence implements AutoCloseable
{
    private final DataDirectory directory;
    private final SingleChronicleQueue queue;
    private final ChronicleJournal journal;
    private final Compactor compactor;

    private Persistence(final DataDirectory directory, final SingleChronicleQueue queue, final ChronicleJournal journal, final Compactor compactor)
    {
        this.directory = directory;
        this.queue = queue;
        this.journal = journal;
        this.compactor = compactor;
    }

    /**
     * @throws IllegalStateException when another broker holds {@code dataDir}
     */
    public static Persistence open(final Path dataDir, final JournalConfig journalConfig, final Compactor.Config compaction)
    {
        final DataDirectory directory = DataDirectory.open(dataDir);
        try
        {
            final SingleChronicleQueue queue = ChronicleJournal.openQueue(directory.journal(), journalConfig);
            final ChronicleJournal journal = new ChronicleJournal(queue, journalConfig);
            return new Persistence(directory, queue, journal, new Compactor(queue, directory.snapshots(), compaction, journal::appendedBytes));
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

    /** Starts background compaction; after recovery, so the two never fold the journal at once. */
    public void startCompaction()
    {
        compactor.start();
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
            compactor.close();
            journal.close();
            queue.close();
        }
        finally
        {
            directory.close();
        }
    }
}
