package io.mote.persistence;

import io.mote.engine.Journal;
import io.mote.engine.pipeline.MatchResult;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32C;

import static io.mote.persistence.JournalRecordDescriptor.CHECKSUM_LENGTH;
import static io.mote.persistence.JournalRecordDescriptor.HEADER_LENGTH;
import static io.mote.persistence.JournalRecordDescriptor.KIND_DELETE;
import static io.mote.persistence.JournalRecordDescriptor.KIND_SET;

/**
 * The engine's {@link Journal}: every retained row change, as a {@link JournalRecordDescriptor}
 * record, appended to a Chronicle Queue; one excerpt per ring batch (the events up to an
 * {@code endOfBatch}). Acknowledgements of a batch's publishes are sent only after its
 * {@code endOfBatch} returns, so an excerpt that a crash left incomplete (and that Chronicle never
 * shows a reader) holds only unacknowledged changes.
 *
 * <p>Threads: {@link #append} and {@link #endOfBatch} run on the engine's journal thread, which
 * alone owns the appender, the scratch header and the checksum; nothing is allocated per row.
 * {@link #lastAppendedIndex()} and {@link #appendedBytes()} are published once per batch for the
 * compactor. In {@code interval} mode a daemon timer thread forces the files; it touches only the
 * {@link JournalForcer}.
 */
public final class ChronicleJournal implements Journal, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleJournal.class);

    private final SingleChronicleQueue queue;
    private final JournalConfig config;
    private final JournalForcer forcer;
    private final long maxExcerptBytes;
    private final byte[] scratch = new byte[HEADER_LENGTH];
    private final CRC32C crc = new CRC32C();
    private final AtomicLong lastAppendedIndex = new AtomicLong(-1);
    private final AtomicLong appendedBytes = new AtomicLong();
    private final Thread timer;
    private volatile boolean closed;

    // Journal thread only. The excerpt is opened by the first append of a ring batch and closed by
    // endOfBatch, so a batch costs one Chronicle excerpt however many events and rows it holds.
    private ExcerptAppender appender;
    private DocumentContext document;
    private Bytes<?> out;
    private long excerptStart;
    private int cycle = Integer.MIN_VALUE;
    private long bytesInBatch;
    private boolean wroteInBatch;

    /**
     * @param queue  the journal queue, from {@link #openQueue}; the caller closes it after this
     * @param config the durability setting and excerpt limit
     */
    public ChronicleJournal(final SingleChronicleQueue queue, final JournalConfig config)
    {
        this.queue = queue;
        this.config = config;
        this.forcer = new JournalForcer(queue.file().toPath());
        this.maxExcerptBytes = config.maxExcerptBytes();
        this.lastAppendedIndex.set(queue.lastIndex());
        if (config.fsync().kind() == FsyncMode.Kind.INTERVAL)
        {
            timer = new Thread(this::forceEveryInterval, "mote-journal-fsync");
            timer.setDaemon(true);
            timer.start();
        }
        else
        {
            timer = null;
        }
    }

    /** Opens (or creates) the Chronicle Queue of row changes in {@code dir}. */
    public static SingleChronicleQueue openQueue(final Path dir, final JournalConfig config)
    {
        return SingleChronicleQueueBuilder.binary(dir)
            .rollCycle(config.rollCycle())
            .blockSize(config.blockSize())
            .timeProvider(config.timeProvider())
            .build();
    }

    @Override
    public void append(final MatchResult changes, final long sequence)
    {
        final int count = changes.changeCount();
        if (count == 0)
        {
            return;
        }
        if (appender == null)
        {
            appender = queue.createAppender();
        }
        checkRowSizes(changes, count);
        if (document == null)
        {
            openExcerpt();
        }
        final byte[] bytes = changes.bytes();
        final long eventStart = out.writePosition();
        boolean split = false;
        try
        {
            for (int i = 0; i < count; i++)
            {
                final int row = changes.changeRow(i);
                final boolean delete = changes.rowIsDelete(row);
                final int topicOffset = changes.rowTopicOffset(row);
                final int topicLength = changes.rowTopicLength(row);
                final int payloadOffset = changes.rowPayloadOffset(row);
                final int payloadLength = delete ? 0 : changes.rowPayloadLength(row);
                final long length = JournalRecordDescriptor.recordLength(topicLength, payloadLength);
                if (out.writePosition() - excerptStart + length > maxExcerptBytes)
                {
                    // The batch outgrew one excerpt: later records go to the next. Only an event
                    // larger than an excerpt loses all-or-nothing replay this way, never a row.
                    closeExcerpt();
                    openExcerpt();
                    split = true;
                }
                JournalRecordDescriptor.encodeHeader(scratch, 0, delete ? KIND_DELETE : KIND_SET, changes.rowQos(row), topicLength, payloadLength);
                crc.reset();
                crc.update(scratch, 0, HEADER_LENGTH);
                crc.update(bytes, topicOffset, topicLength);
                crc.update(bytes, payloadOffset, payloadLength);
                out.write(scratch, 0, HEADER_LENGTH);
                out.write(bytes, topicOffset, topicLength);
                out.write(bytes, payloadOffset, payloadLength);
                JournalRecordDescriptor.putIntLE(scratch, 0, (int)crc.getValue());
                out.write(scratch, 0, CHECKSUM_LENGTH);
                bytesInBatch += length;
            }
        }
        catch (final RuntimeException | Error ex)
        {
            // Take back this event's records so half an event is never replayed; the batch's
            // earlier events stay, as their acknowledgements will follow.
            if (!split && document != null)
            {
                out.writePosition(eventStart);
            }
            throw ex;
        }
        wroteInBatch = true;
    }

    private void openExcerpt()
    {
        document = appender.writingDocument();
        out = document.wire().bytes();
        excerptStart = out.writePosition();
    }

    /** Completes the excerpt: from here a tailer (recovery, the compactor) can read it. */
    private void closeExcerpt()
    {
        if (out.writePosition() == excerptStart)
        {
            document.rollbackOnClose();
        }
        final DocumentContext closing = document;
        document = null;
        out = null;
        closing.close();
    }

    private void checkRowSizes(final MatchResult changes, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final int row = changes.changeRow(i);
            final int payloadLength = changes.rowIsDelete(row) ? 0 : changes.rowPayloadLength(row);
            final long length = JournalRecordDescriptor.recordLength(changes.rowTopicLength(row), payloadLength);
            if (length > maxExcerptBytes)
            {
                throw new IllegalStateException("retained row of " + length + " bytes exceeds the journal's excerpt limit of "
                    + maxExcerptBytes + " bytes (a quarter of the Chronicle block size " + config.blockSize() + "); raise the block size");
            }
        }
    }

    @Override
    public void endOfBatch(final long sequence)
    {
        if (document != null)
        {
            closeExcerpt();
        }
        if (!wroteInBatch)
        {
            return;
        }
        wroteInBatch = false;
        final int appenderCycle = appender.cycle();
        if (appenderCycle != cycle)
        {
            cycle = appenderCycle;
            forcer.cycleStarted(appender.currentFile());
        }
        if (config.fsync().kind() == FsyncMode.Kind.BATCH)
        {
            forcer.force();
        }
        lastAppendedIndex.lazySet(appender.lastIndexAppended());
        appendedBytes.lazySet(appendedBytes.get() + bytesInBatch);
        bytesInBatch = 0;
    }

    /** Index of the last excerpt appended and seen by an {@code endOfBatch}, or -1; any thread. */
    public long lastAppendedIndex()
    {
        return lastAppendedIndex.get();
    }

    /** Record bytes appended since this journal opened, as of the last batch; any thread. */
    public long appendedBytes()
    {
        return appendedBytes.get();
    }

    /** The queue this journal appends to. */
    public SingleChronicleQueue queue()
    {
        return queue;
    }

    private void forceEveryInterval()
    {
        final long intervalMs = config.fsync().intervalMs();
        while (!closed)
        {
            // Parked rather than slept: an interrupt would close the forcer's channel mid-force.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(intervalMs));
            if (closed)
            {
                return;
            }
            try
            {
                forcer.force();
            }
            catch (final RuntimeException ex)
            {
                LOG.error("journal fsync failed; retrying in {} ms", intervalMs, ex);
            }
        }
    }

    /**
     * Stops the fsync timer and forces what was written (unless the mode is {@code never}). Call
     * after the engine stopped, so the journal thread no longer appends; the queue stays open.
     */
    @Override
    public void close()
    {
        closed = true;
        if (timer != null)
        {
            LockSupport.unpark(timer);
            try
            {
                timer.join();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        if (appender != null)
        {
            appender.singleThreadedCheckReset();
            if (document != null)
            {
                closeExcerpt();
            }
        }
        if (config.fsync().kind() != FsyncMode.Kind.NEVER)
        {
            forcer.force();
        }
        forcer.close();
        if (appender != null)
        {
            appender.close();
        }
    }
}
