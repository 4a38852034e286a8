package io.mote.persistence;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Puts the retained rows back at start-up: the newest valid snapshot, then the journal after the
 * position it covers, into a {@link RowSink} (the engine's {@code restoreRetained}, before it
 * starts).
 *
 * <p>Never starts with silently wrong data: a corrupt snapshot (bad magic, version, checksum,
 * truncation) is logged with its file and byte position and the next older one is tried; when
 * every snapshot is corrupt, or the journal lost the excerpts after a snapshot, recovery refuses
 * with an exception rather than start with part of the state. A corrupt or truncated journal record
 * is logged with its index; everything before it is kept, and a snapshot is written at the end of
 * the journal so that the next start does not stop at the same place and drop what was appended
 * since.
 *
 * <p>Runs on the starting thread, alone: the compactor is not running yet.
 */
public final class Recovery
{
    static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private Recovery()
    {
    }

    /**
     * What was recovered.
     *
     * @param snapshot       the snapshot loaded, or null when there was none
     * @param snapshotRows   rows it held
     * @param journal        how the journal replay ended
     * @param repairSnapshot the snapshot written to skip a corrupt journal tail, or null
     */
    public record Result(Path snapshot, long snapshotRows, JournalReader.Result journal, Path repairSnapshot, long tookMs)
    {
    }

    /**
     * @throws IllegalStateException when no consistent state can be rebuilt (see the class comment)
     */
    public static Result recover(final SingleChronicleQueue queue, final Path snapshotDir, final RowSink sink)
    {
        return recover(queue, snapshotDir, sink, rows -> { });
    }

    /**
     * As {@link #recover(SingleChronicleQueue, Path, RowSink)}, first telling {@code expectTreeNodes}
     * how many tree nodes the snapshot's rows need ({@link SnapshotReader.Info#treeNodes()}, counted
     * while verifying it), so that the engine sizes its node arrays once instead of doubling through
     * them; journal rows may add to it.
     */
    public static Result recover(final SingleChronicleQueue queue, final Path snapshotDir, final RowSink sink, final LongConsumer expectTreeNodes)
    {
        final long startNs = System.nanoTime();
        Snapshots.deleteTemporary(snapshotDir);
        final SnapshotReader reader = new SnapshotReader();
        final SnapshotReader.Info snapshot = newestValid(reader, snapshotDir);
        long snapshotRows = 0;
        long afterIndex = -1;
        if (snapshot != null)
        {
            expectTreeNodes.accept(snapshot.treeNodes());
            loadOrRefuse(reader, snapshot, sink);
            snapshotRows = snapshot.rowCount();
            afterIndex = snapshot.journalIndex();
        }
        final JournalReader.Result replay = new JournalReader().replay(queue, afterIndex, Long.MAX_VALUE, sink, LOG);
        Path repair = null;
        if (replay.corrupt())
        {
            repair = writeRepairSnapshot(queue, snapshotDir, snapshot, afterIndex);
        }
        final long tookMs = (System.nanoTime() - startNs) / 1_000_000;
        LOG.info("recovered {} snapshot rows from {} and {} journal rows in {} excerpts up to index {} in {} ms",
            snapshotRows, snapshot == null ? "no snapshot" : snapshot.file(), replay.rows(), replay.excerpts(), Long.toHexString(replay.lastIndex()), tookMs);
        return new Result(snapshot == null ? null : snapshot.file(), snapshotRows, replay, repair, tookMs);
    }

    /** The newest snapshot that verifies, or null when there are none; refuses when all are corrupt. */
    static SnapshotReader.Info newestValid(final SnapshotReader reader, final Path snapshotDir)
    {
        final List<Path> files = Snapshots.newestFirst(snapshotDir);
        for (final Path file : files)
        {
            try
            {
                return reader.verify(file);
            }
            catch (final CorruptSnapshotException ex)
            {
                LOG.error("snapshot {} is corrupt at byte {}: {}; trying the next older snapshot", ex.file(), ex.position(), ex.getMessage());
            }
        }
        if (!files.isEmpty())
        {
            throw new IllegalStateException("all " + files.size() + " snapshots in " + snapshotDir + " are corrupt and the journal before them may be "
                + "compacted away; refusing to start with partial retained state (move the snapshots aside to start from the journal alone)");
        }
        return null;
    }

    private static void loadOrRefuse(final SnapshotReader reader, final SnapshotReader.Info snapshot, final RowSink sink)
    {
        final Path file = snapshot.file();
        try
        {
            reader.load(snapshot, sink);
        }
        catch (final CorruptSnapshotException ex)
        {
            throw new IllegalStateException("snapshot " + file + " changed while loading; refusing to start with part of it", ex);
        }
    }

    /**
     * The last excerpt a tailer can read from {@code from} on, ignoring content: where the repair
     * snapshot goes. Not {@code queue.lastIndex()}, which may name an excerpt a crash left
     * incomplete; Chronicle may give that index to the next append, which a snapshot placed there
     * would then hide.
     */
    private static long lastReadableIndex(final SingleChronicleQueue queue, final long from)
    {
        long last = from;
        try (ExcerptTailer tailer = queue.createTailer())
        {
            if (!tailer.moveToIndex(from))
            {
                return from;
            }
            while (true)
            {
                try (DocumentContext document = tailer.readingDocument())
                {
                    if (!document.isPresent())
                    {
                        return last;
                    }
                    last = document.index();
                }
            }
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("journal {} unreadable after excerpt {}; the repair snapshot is placed there", queue.file(), Long.toHexString(last), ex);
            return last;
        }
    }

    /**
     * Rebuilds exactly what the sink received (the snapshot, then the journal up to the corrupt
     * record) and writes it as the snapshot at the journal's last readable excerpt: later starts then replay
     * only what is appended after it, instead of stopping at the same corrupt record forever.
     */
    private static Path writeRepairSnapshot(final SingleChronicleQueue queue, final Path snapshotDir, final SnapshotReader.Info snapshot, final long afterIndex)
    {
        final RetainedRows rows = new RetainedRows();
        if (snapshot != null)
        {
            loadOrRefuse(new SnapshotReader(), snapshot, rows);
        }
        final JournalReader.Result replay = new JournalReader().replay(queue, afterIndex, Long.MAX_VALUE, rows, LOG);
        final long end = lastReadableIndex(queue, replay.corruptIndex());
        final Path written = new SnapshotWriter().write(snapshotDir, end, rows.size(), rows);
        LOG.warn("wrote snapshot {} ({} rows) at the journal's end {}: the excerpts after the corrupt one are dropped for good", written, rows.size(), Long.toHexString(end));
        return written;
    }
}
