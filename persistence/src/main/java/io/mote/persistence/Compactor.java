package io.mote.persistence;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Keeps disk use proportional to live data, without the engine: folds the newest snapshot and the
 * journal up to its current end into memory, writes that as a new snapshot at that end, then
 * deletes the snapshots beyond the newest {@link Config#keepSnapshots()} and the journal cycle files
 * wholly older than the oldest snapshot kept (so recovery can still fall back to it).
 *
 * <p>Why the position is consistent: the fold reads up to {@code queue.lastIndex()} taken at the
 * start and stops early at an excerpt still being written; the snapshot is placed at the last
 * excerpt actually read, and excerpts are whole ring batches, so the snapshot holds the state
 * after a whole number of events. The journal thread keeps appending meanwhile; nothing later is read.
 *
 * <p>Threads: {@link #compactOnce()} runs on the compactor's own thread once {@link #start()}ed
 * (or on the caller's in tests), never two at once (synchronized). It has its own tailer; the only
 * state it shares with the journal thread is the queue (safe for one appender and many tailers)
 * and two published counters it reads for its triggers.
 */
public final class Compactor implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);
    private static final long POLL_MS = 200;

    private final SingleChronicleQueue queue;
    private final Path snapshotDir;
    private final Config config;
    private final LongSupplier appendedBytes;
    private final SnapshotWriter writer = new SnapshotWriter();
    private final SnapshotReader reader = new SnapshotReader();
    private Thread thread;
    private volatile boolean closed;

    /**
     * When to compact and what to keep.
     *
     * @param journalBytes  compact after this many record bytes were appended since the last run
     * @param interval      compact at least this often while anything was appended
     * @param keepSnapshots snapshots to keep (at least 1); more lets recovery fall back further
     */
    public record Config(long journalBytes, Duration interval, int keepSnapshots)
    {
        public Config
        {
            if (journalBytes <= 0 || interval.isNegative() || interval.isZero() || keepSnapshots < 1)
            {
                throw new IllegalArgumentException("compaction needs a positive size and interval and keeps at least one snapshot");
            }
        }

        /** 256 MiB of changes or one hour, whichever first; two snapshots kept. */
        public static Config defaults()
        {
            return new Config(256L << 20, Duration.ofHours(1), 2);
        }
    }

    /** What one run did. */
    public record Result(Path snapshot, long journalIndex, long rows, List<Path> deletedSnapshots, List<Path> deletedCycleFiles)
    {
    }

    /**
     * @param appendedBytes the journal's {@link ChronicleJournal#appendedBytes()}, for the size trigger
     */
    public Compactor(final SingleChronicleQueue queue, final Path snapshotDir, final Config config, final LongSupplier appendedBytes)
    {
        this.queue = queue;
        this.snapshotDir = snapshotDir;
        this.config = config;
        this.appendedBytes = appendedBytes;
    }

    /** Starts the background thread that compacts when a trigger fires. */
    public synchronized void start()
    {
        if (thread != null)
        {
            throw new IllegalStateException("compactor already started");
        }
        // The baseline is taken here, not on the new thread, so appends made right after start()
        // returns count towards the first trigger.
        final long bytesAtStart = appendedBytes.getAsLong();
        thread = new Thread(() -> run(bytesAtStart), "mote-compactor");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(final long bytesAtStart)
    {
        long bytesAtLast = bytesAtStart;
        long lastNs = System.nanoTime();
        while (!closed)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MS));
            final long bytes = appendedBytes.getAsLong();
            final long nowNs = System.nanoTime();
            final boolean bySize = bytes - bytesAtLast >= config.journalBytes();
            final boolean byTime = bytes != bytesAtLast && nowNs - lastNs >= config.interval().toNanos();
            if (closed || !(bySize || byTime))
            {
                continue;
            }
            try
            {
                compactOnce();
            }
            catch (final RuntimeException ex)
            {
                LOG.error("compaction failed; the journal keeps growing until a later run succeeds", ex);
            }
            bytesAtLast = bytes;
            lastNs = nowNs;
        }
    }

    /**
     * Compacts now: a new snapshot at the journal's current end, then pruning.
     *
     * @return what was done, or null when the newest snapshot already covers the journal's end or a
     *         corrupt journal record stopped the fold (logged; recovery decides what to keep)
     */
    public synchronized Result compactOnce()
    {
        final long startNs = System.nanoTime();
        final long end = queue.lastIndex();
        final SnapshotReader.Info base = Recovery.newestValid(reader, snapshotDir);
        final long baseIndex = base == null ? -1 : base.journalIndex();
        if (end < 0 || end <= baseIndex)
        {
            return null;
        }
        final RetainedRows rows = new RetainedRows();
        if (base != null)
        {
            try
            {
                reader.load(base, rows);
            }
            catch (final CorruptSnapshotException ex)
            {
                LOG.error("snapshot {} changed while compacting; skipping this run", base.file(), ex);
                return null;
            }
        }
        final JournalReader.Result replay = new JournalReader().replay(queue, baseIndex, end, rows, LOG);
        if (replay.corrupt())
        {
            LOG.error("compaction stopped: journal excerpt {} is corrupt ({}); no snapshot written, nothing deleted", Long.toHexString(replay.corruptIndex()), replay.problem());
            return null;
        }
        // The snapshot is placed where the fold really stopped, not at the end read before it: an
        // excerpt the journal thread was still writing is not readable yet, and a snapshot claiming
        // it would make recovery skip it.
        final long covered = replay.lastIndex();
        if (covered <= baseIndex)
        {
            return null;
        }
        final Path snapshot = writer.write(snapshotDir, covered, rows.size(), rows);
        final List<Path> deletedSnapshots = new ArrayList<>();
        final long oldestKept = pruneSnapshots(deletedSnapshots);
        final List<Path> deletedCycles = deleteCyclesBefore(queue.rollCycle().toCycle(oldestKept));
        LOG.info("compacted {} rows at journal index {} into {} in {} ms; deleted {} snapshots and {} journal files",
            rows.size(), Long.toHexString(covered), snapshot.getFileName(), (System.nanoTime() - startNs) / 1_000_000, deletedSnapshots.size(), deletedCycles.size());
        return new Result(snapshot, covered, rows.size(), deletedSnapshots, deletedCycles);
    }

    /** Deletes all but the newest {@code keepSnapshots}; returns the journal index of the oldest kept. */
    private long pruneSnapshots(final List<Path> deleted)
    {
        final List<Path> files = Snapshots.newestFirst(snapshotDir);
        final int keep = Math.min(config.keepSnapshots(), files.size());
        for (int i = keep; i < files.size(); i++)
        {
            try
            {
                Files.deleteIfExists(files.get(i));
                deleted.add(files.get(i));
            }
            catch (final IOException ex)
            {
                LOG.warn("cannot delete old snapshot {}", files.get(i), ex);
            }
        }
        return Snapshots.indexOf(files.get(keep - 1));
    }

    /**
     * Deletes the cycle files of cycles before {@code cycle}: every excerpt in them is at or below
     * the oldest kept snapshot's index, so no recovery needs them. The file of {@code cycle} itself
     * stays, as the excerpts after the snapshot's index in it are still needed.
     */
    private List<Path> deleteCyclesBefore(final int cycle)
    {
        final List<Path> deleted = new ArrayList<>();
        final int first = queue.firstCycle();
        if (first == Integer.MAX_VALUE || first >= cycle)
        {
            return deleted;
        }
        final List<File> files = new ArrayList<>();
        final NavigableSet<Long> cycles = queue.listCyclesBetween(first, cycle - 1);
        try (ExcerptTailer tailer = queue.createTailer())
        {
            for (final Long old : cycles)
            {
                if (tailer.moveToCycle(old.intValue()))
                {
                    files.add(tailer.currentFile());
                }
            }
        }
        for (final File file : files)
        {
            try
            {
                if (file != null && Files.deleteIfExists(file.toPath()))
                {
                    deleted.add(file.toPath());
                }
            }
            catch (final IOException ex)
            {
                LOG.warn("cannot delete compacted journal file {}", file, ex);
            }
        }
        queue.refreshDirectoryListing();
        return deleted;
    }

    /** Stops the background thread after the run in progress, if any. */
    @Override
    public void close()
    {
        closed = true;
        final Thread running;
        synchronized (this)
        {
            running = thread;
        }
        if (running != null)
        {
            LockSupport.unpark(running);
            try
            {
                running.join();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
