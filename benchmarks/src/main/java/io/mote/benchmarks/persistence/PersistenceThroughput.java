package io.mote.benchmarks.persistence;

import io.mote.engine.Engine;
import io.mote.engine.EngineConfig;
import io.mote.engine.Journal;
import io.mote.engine.pipeline.MatchResult;
import io.mote.persistence.ChronicleJournal;
import io.mote.persistence.FsyncMode;
import io.mote.persistence.JournalConfig;
import io.mote.persistence.JournalReader;
import io.mote.persistence.Recovery;
import io.mote.persistence.RowSink;
import io.mote.persistence.SnapshotWriter;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Journal append and replay throughput in rows per second, and the time of a restart from a
 * 10 M-row snapshot plus a journal tail. A main, not JMH: each measurement is seconds of disk
 * work on fresh files, where a JMH fork per iteration adds nothing but time; the journal thread
 * is the calling thread, as in the engine.
 *
 * <p>Rows look like a fleet of sensors: {@code site042/dev0137/env/temperature} (31 bytes) with an
 * 8-byte payload. Targets: append and replay at least 2 M rows/s each.
 *
 * <p>Run (the flags are the parent pom's {@code mote.jvm.flags}):
 * {@code java $flags -Xmx6g -cp <benchmarks + persistence classpath> io.mote.benchmarks.persistence.PersistenceThroughput [dir] [--engine] [--restart-only] [--shuffled] [--keep]};
 * {@code --engine} restores the restart's rows into a real engine instead of a counting sink;
 * {@code --restart-only} skips the append and replay measurements; {@code --shuffled} writes the
 * snapshot's rows in scattered order (as the compactor wrote them before it sorted) instead of tree
 * order; {@code --keep} keeps the files, {@code <dir>/.../restart} being a broker data directory.
 */
public final class PersistenceThroughput
{
    private static final int APPEND_ROWS = 4_000_000;
    private static final int SNAPSHOT_ROWS = 10_000_000;
    private static final int TAIL_ROWS = 1_000_000;
    private static final int ITERATIONS = 3;
    private static final long SHUFFLE_STRIDE = 7_919_993;
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();

    private PersistenceThroughput()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        final Path base = Files.createTempDirectory(Path.of(args.length > 0 && !args[0].startsWith("--") ? args[0] : System.getProperty("java.io.tmpdir")), "mote-persist-bench");
        final java.util.List<String> flags = java.util.Arrays.asList(args);
        final boolean engine = flags.contains("--engine");
        final boolean restartOnly = flags.contains("--restart-only");
        final boolean shuffled = flags.contains("--shuffled");
        final boolean keep = flags.contains("--keep");
        try
        {
            final MatchResult[] events16 = events(16);
            final MatchResult[] events1 = events(1);
            if (restartOnly)
            {
                restart(base, events16, engine, shuffled);
                return;
            }
            appendAndReplay(base, "warm-up", events16, 1, 1_000_000, FsyncMode.NEVER);
            for (int i = 0; i < ITERATIONS; i++)
            {
                appendAndReplay(base, "16 rows/event, fsync never", events16, 64, APPEND_ROWS, FsyncMode.NEVER);
                appendAndReplay(base, "1 row/event,   fsync never", events1, 64, APPEND_ROWS, FsyncMode.NEVER);
            }
            appendAndReplay(base, "16 rows/event, fsync batch (64 events/batch)", events16, 64, 400_000, FsyncMode.BATCH);
            appendAndReplay(base, "16 rows/event, fsync interval:100", events16, 64, APPEND_ROWS, FsyncMode.interval(100));
            appendAndReplay(base, "1 row/event,   fsync batch (64 events/batch)", events1, 64, 100_000, FsyncMode.BATCH);
            restart(base, events16, engine, shuffled);
        }
        finally
        {
            if (keep)
            {
                System.out.println("kept " + base.resolve("restart") + ": a broker data directory (./mote-broker --data-dir it)");
            }
            else
            {
                delete(base);
            }
        }
    }

    /** 4096 preencoded events of {@code rows} rows each, cycled through, so the source is not the cost. */
    private static MatchResult[] events(final int rows)
    {
        final MatchResult[] events = new MatchResult[4096];
        int n = 0;
        for (int e = 0; e < events.length; e++)
        {
            events[e] = new MatchResult();
            for (int r = 0; r < rows; r++, n++)
            {
                final byte[] topic = topic(n);
                final byte[] payload = String.format("%08.2f", (n % 100_000) / 100.0).getBytes(StandardCharsets.US_ASCII);
                events[e].addChange(events[e].addRow(topic, 0, topic.length, payload, 0, payload.length, MatchResult.ROW_RETAIN, n % 2));
            }
        }
        return events;
    }

    private static byte[] topic(final int n)
    {
        return String.format("site%03d/dev%04d/env/temperature", n / 10_000 % 1000, n % 10_000).getBytes(StandardCharsets.US_ASCII);
    }

    private static void appendAndReplay(final Path base, final String name, final MatchResult[] events, final int eventsPerBatch, final int rows, final FsyncMode fsync) throws IOException
    {
        final Path dir = Files.createTempDirectory(base, "journal");
        final JournalConfig config = JournalConfig.defaults().withFsync(fsync);
        final int rowsPerEvent = events[0].changeCount();
        final int eventCount = rows / rowsPerEvent;
        try (SingleChronicleQueue queue = ChronicleJournal.openQueue(dir, config))
        {
            final long appendNs;
            final long recordBytes;
            final long allocated;
            try (ChronicleJournal journal = new ChronicleJournal(queue, config))
            {
                final long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
                final long start = System.nanoTime();
                append(journal, events, eventCount, eventsPerBatch);
                appendNs = System.nanoTime() - start;
                allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
                recordBytes = journal.appendedBytes();
            }
            final long[] seen = new long[1];
            final long start = System.nanoTime();
            final JournalReader.Result replay = new JournalReader().replay(queue, -1, Long.MAX_VALUE, (t, to, tl, p, po, pl, q) -> seen[0] += tl, LoggerFactory.getLogger("bench"));
            final long replayNs = System.nanoTime() - start;
            final long appended = (long)eventCount * rowsPerEvent;
            if (replay.rows() != appended || replay.corrupt())
            {
                throw new IllegalStateException("replayed " + replay.rows() + " of " + appended + " rows");
            }
            System.out.printf("%-46s append %,12.0f rows/s   replay %,12.0f rows/s   (%,d rows, %,d record bytes/row, %.3f bytes allocated/row appending)%n",
                name, appended * 1e9 / appendNs, appended * 1e9 / replayNs, appended, recordBytes / appended, allocated / (double)appended);
        }
        delete(dir);
    }

    private static void append(final Journal journal, final MatchResult[] events, final int eventCount, final int eventsPerBatch)
    {
        for (int e = 0; e < eventCount; e++)
        {
            journal.append(events[e & (events.length - 1)], e);
            if (e % eventsPerBatch == eventsPerBatch - 1 || e == eventCount - 1)
            {
                journal.endOfBatch(e);
            }
        }
    }

    /** A 10 M-row snapshot and a 1 M-row journal tail after it, recovered as at a restart. */
    private static void restart(final Path base, final MatchResult[] tail, final boolean intoEngine, final boolean shuffled) throws IOException
    {
        final Path journalDir = Files.createDirectories(base.resolve("restart/journal"));
        final Path snapshots = Files.createDirectories(base.resolve("restart/snapshots"));
        final JournalConfig config = JournalConfig.defaults();
        try (SingleChronicleQueue queue = ChronicleJournal.openQueue(journalDir, config))
        {
            try (ChronicleJournal journal = new ChronicleJournal(queue, config))
            {
                append(journal, tail, 1, 1);
                final long covered = journal.lastAppendedIndex();
                final long start = System.nanoTime();
                final Path snapshot = new SnapshotWriter().write(snapshots, covered, SNAPSHOT_ROWS, sink ->
                {
                    final byte[] payload = "00021.57".getBytes(StandardCharsets.US_ASCII);
                    final byte[] topic = "site000/dev00000/env/temperature".getBytes(StandardCharsets.US_ASCII);
                    for (long i = 0; i < SNAPSHOT_ROWS; i++)
                    {
                        // A stride coprime with the row count visits every row once in scattered order.
                        final int n = shuffled ? (int)(i * SHUFFLE_STRIDE % SNAPSHOT_ROWS) : (int)i;
                        digits(topic, 4, 3, n / 100_000);
                        digits(topic, 11, 5, n % 100_000);
                        sink.accept(topic, 0, topic.length, payload, 0, payload.length, 1);
                    }
                });
                System.out.printf("snapshot of %,d rows written in %,d ms (%,d bytes, includes formatting the topics)%n",
                    SNAPSHOT_ROWS, (System.nanoTime() - start) / 1_000_000, Files.size(snapshot));
                append(journal, tail, TAIL_ROWS / tail[0].changeCount(), 64);
            }
            final long[] rows = new long[1];
            final Engine engine = intoEngine ? new Engine(EngineConfig.defaults(), new io.mote.benchmarks.CountingOutbound()) : null;
            final RowSink sink = engine != null ? engine::restoreRetained : (t, to, tl, p, po, pl, q) -> rows[0]++;
            final long cpuBefore = THREADS.getCurrentThreadCpuTime();
            final long start = System.nanoTime();
            final Recovery.Result result = Recovery.recover(queue, snapshots, sink, engine != null ? engine::expectRetainedNodes : n -> { });
            final long ms = (System.nanoTime() - start) / 1_000_000;
            final long cpuMs = (THREADS.getCurrentThreadCpuTime() - cpuBefore) / 1_000_000;
            final long total = result.snapshotRows() + result.journal().rows();
            System.out.printf("restart into %s (snapshot %s): %,d snapshot rows + %,d journal rows in %,d ms, %,d ms on the restoring thread's CPU (%,.0f rows/s)%n",
                engine != null ? "the engine" : "a counting sink", shuffled ? "in scattered order" : "in tree order",
                result.snapshotRows(), result.journal().rows(), ms, cpuMs, total * 1e3 / Math.max(1, ms));
            if (engine != null)
            {
                engine.start();
                System.out.printf("engine after restore: %,d retained rows, %,d MB heap used%n", engine.stats().retainedRows(), usedHeapMb());
                engine.close();
            }
        }
    }

    private static long usedHeapMb()
    {
        System.gc();
        final Runtime runtime = Runtime.getRuntime();
        return (runtime.totalMemory() - runtime.freeMemory()) >> 20;
    }

    private static void digits(final byte[] dst, final int offset, final int count, final int value)
    {
        int v = value;
        for (int i = offset + count - 1; i >= offset; i--)
        {
            dst[i] = (byte)('0' + v % 10);
            v /= 10;
        }
    }

    private static void delete(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
