package io.mote.persistence;

import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

/**
 * How the journal's Chronicle Queue is built.
 *
 * @param fsync        when files are forced to disk; see {@link FsyncMode}
 * @param rollCycle    how often Chronicle starts a new cycle file. Compaction deletes whole cycle
 *                     files only, so this bounds how much already-snapshotted journal stays on disk:
 *                     hourly by default; tests use a seconds cycle with a set clock
 * @param blockSize    Chronicle's mapping chunk, in bytes; one excerpt may take at most a quarter of
 *                     it (Chronicle refuses larger writes), so it bounds the largest row
 * @param timeProvider the clock that picks the cycle; the system clock outside tests
 */
public record JournalConfig(FsyncMode fsync, RollCycle rollCycle, long blockSize, TimeProvider timeProvider)
{
    /** 128 MiB chunks: rows of up to ~32 MiB, above the transport's default 16 MiB packet limit. */
    public static final long DEFAULT_BLOCK_SIZE = 128L << 20;
    /** Room Chronicle's own header takes inside the quarter-block limit, with margin. */
    private static final long EXCERPT_SLACK = 1024;

    public JournalConfig
    {
        if (blockSize < 1 << 16 || Long.bitCount(blockSize) != 1)
        {
            throw new IllegalArgumentException("block size must be a power of two of at least 64 KiB, was " + blockSize);
        }
    }

    /** fsync never, hourly cycles, 128 MiB blocks, the system clock. */
    public static JournalConfig defaults()
    {
        return new JournalConfig(FsyncMode.NEVER, RollCycles.FAST_HOURLY, DEFAULT_BLOCK_SIZE, SystemTimeProvider.INSTANCE);
    }

    /** The same with another durability setting. */
    public JournalConfig withFsync(final FsyncMode mode)
    {
        return new JournalConfig(mode, rollCycle, blockSize, timeProvider);
    }

    /** The same with another roll cycle and the clock that drives it. */
    public JournalConfig withRollCycle(final RollCycle cycle, final TimeProvider clock)
    {
        return new JournalConfig(fsync, cycle, blockSize, clock);
    }

    /** The same with another block size (a power of two, at least 64 KiB). */
    public JournalConfig withBlockSize(final long bytes)
    {
        return new JournalConfig(fsync, rollCycle, bytes, timeProvider);
    }

    /** The largest excerpt the journal writes: an event's records beyond it go to further excerpts. */
    public long maxExcerptBytes()
    {
        return blockSize / 4 - EXCERPT_SLACK;
    }
}
