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
 * {@code java $flags -Xmx6g -cp <benchmarks + persistence classpath> io.mote.benchmarks.persistence.PersistenceThroughput [dir] [--engine]};
 * {@code --engine} restores the restart's rows into a real engine instead of a counting sink.
 */
public final class PersistenceThroughput
{
    private static final int APPEND_ROWS = 4_000_000;
    private static final int SNAPSHOT_ROWS = 10_000_000;
    private static final int TAIL_ROWS = 1_000_000;
    private static final int ITERATIONS = 3;
    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();

    private PersistenceThroughput()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        final Path base = Files.createTempDirectory(Path.of(args.length > 0 && !args[0].startsWith("--") ? args[0] : System.getProperty("java.io.tmpdir")), "mote-persist-bench");
        final boolean engine = args.length > 0 && args[args.length - 1].equals("--engine");
        try
        {
            final MatchResult[] events16 = events(16);
            final MatchResult[] events1 = events(1);
            appendAndReplay(base, "warm-up", events16, 1, 1_000_000, FsyncMode.NEVER);
            for (int i = 0; i < ITERATIONS; i++)
            {
                appendAndReplay(base, "16 rows/event, fsync never", events16, 64, APPEND_ROWS, FsyncMode.NEVER);
                appendAndReplay(base, "1 row/event,   fsync never", events1, 64, APPEND_ROWS, FsyncMode.NEVER);
            }
            appendAndReplay(base, "16 rows/event, fsync batch (64 events/batch)", events16, 64, 400_000, FsyncMode.BATCH);
            appendAndReplay(base, "16 rows/event, fsync interval:100", events16, 64, APPEND_ROWS, FsyncMode.interval(100));
            appendAndReplay(base, "1 row/event,   fsync batch (64 events/batch)", events1, 64, 100_000, FsyncMode.BATCH);
            restart(base, events16, engine);
        }
        finally
        {
            delete(base);
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
    private static void restart(final Path base, final MatchResult[] tail, final boolean intoEngine) throws IOException
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
                    for (int n = 0; n < SNAPSHOT_ROWS; n++)
                    {
                        final byte[] topic = String.format("site%03d/dev%05d/env/temperature", n / 100_000, n % 100_000).getBytes(StandardCharsets.US_ASCII);
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
            final long start = System.nanoTime();
            final Recovery.Result result = Recovery.recover(queue, snapshots, sink);
            final long ms = (System.nanoTime() - start) / 1_000_000;
            final long total = result.snapshotRows() + result.journal().rows();
            System.out.printf("restart into %s: %,d snapshot rows + %,d journal rows in %,d ms (%,.0f rows/s)%n",
                engine != null ? "the engine" : "a counting sink", result.snapshotRows(), result.journal().rows(), ms, total * 1e3 / Math.max(1, ms));
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
