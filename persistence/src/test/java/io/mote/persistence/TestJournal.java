package io.mote.persistence;

import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real journal in a test directory with a settable clock and one-second cycles, so tests can
 * make cycle files roll over without waiting. The test thread plays the engine's journal thread.
 */
final class TestJournal implements AutoCloseable
{
    final Path dir;
    final SetTimeProvider clock;
    final JournalConfig config;
    final SingleChronicleQueue queue;
    final ChronicleJournal journal;
    private long sequence;

    TestJournal(final Path dir)
    {
        this(dir, new SetTimeProvider(1_700_000_000_000_000_000L), 1L << 20, FsyncMode.NEVER);
    }

    TestJournal(final Path dir, final SetTimeProvider clock, final long blockSize, final FsyncMode fsync)
    {
        this.dir = dir;
        this.clock = clock;
        this.config = JournalConfig.defaults().withRollCycle(TestRollCycles.TEST_SECONDLY, clock).withBlockSize(blockSize).withFsync(fsync);
        this.queue = ChronicleJournal.openQueue(dir, config);
        this.journal = new ChronicleJournal(queue, config);
    }

    /** Appends one ring event and ends the batch, as the engine's journal thread would. */
    void append(final List<Change> event)
    {
        journal.append(Change.event(event), sequence);
        journal.endOfBatch(sequence++);
    }

    /** Moves to the next cycle file. */
    void roll()
    {
        clock.advanceMillis(1000);
    }

    List<Path> cycleFiles()
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(f -> f.getFileName().toString().endsWith(".cq4")).sorted().toList();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close()
    {
        journal.close();
        queue.close();
    }
}
