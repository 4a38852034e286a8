package io.mote.persistence;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;

import java.util.zip.CRC32C;

import static io.mote.persistence.JournalRecordDescriptor.CHECKSUM_LENGTH;
import static io.mote.persistence.JournalRecordDescriptor.HEADER_LENGTH;
import static io.mote.persistence.JournalRecordDescriptor.KIND_DELETE;
import static io.mote.persistence.JournalRecordDescriptor.KIND_SET;

/**
 * Reads journal records back in order, verifying each record's checksum, and stops at the first
 * record that is not right: everything before it has been handed over, nothing after it is.
 *
 * <p>One instance per reading thread (it holds the tailer's copy buffer and the checksum).
 */
public final class JournalReader
{
    private final CRC32C crc = new CRC32C();
    private byte[] excerpt = new byte[64 * 1024];
    private String problem;

    /**
     * How a replay ended.
     *
     * @param lastIndex    the last excerpt applied whole (or the start position when none was)
     * @param excerpts     excerpts applied whole
     * @param rows         rows handed to the sink, those of a partly applied excerpt included
     * @param corruptIndex the excerpt replay stopped in, or -1 when it reached the end cleanly
     * @param problem      what was wrong with it, or null
     */
    public record Result(long lastIndex, long excerpts, long rows, long corruptIndex, String problem)
    {
        /** Whether replay stopped at a bad record instead of the journal's end. */
        public boolean corrupt()
        {
            return corruptIndex >= 0;
        }
    }

    /** Thrown when the journal no longer holds the excerpt a snapshot says it covers up to. */
    public static final class JournalGapException extends IllegalStateException
    {
        private static final long serialVersionUID = 1L;

        JournalGapException(final String message)
        {
            super(message);
        }
    }

    /**
     * Hands every row of the excerpts after {@code afterIndex} and up to {@code upToIndex}
     * (inclusive) to {@code sink}.
     *
     * @param afterIndex the last excerpt already applied (a snapshot's index), or -1 for the start
     * @param upToIndex  the last excerpt to read; {@code Long.MAX_VALUE} for the end
     * @param log        where progress and problems go
     */
    public Result replay(final SingleChronicleQueue queue, final long afterIndex, final long upToIndex, final RowSink sink, final Logger log)
    {
        long lastIndex = afterIndex;
        long excerpts = 0;
        long rows = 0;
        try (ExcerptTailer tailer = queue.createTailer())
        {
            position(queue, tailer, afterIndex);
            final ProgressLog progress = new ProgressLog(log, "replaying journal " + queue.file(), "excerpts", excerptsAfter(queue, afterIndex, upToIndex), System.nanoTime());
            while (true)
            {
                final long index;
                final int length;
                try (DocumentContext document = tailer.readingDocument())
                {
                    if (!document.isPresent())
                    {
                        break;
                    }
                    index = document.index();
                    if (index > upToIndex)
                    {
                        document.rollbackOnClose();
                        break;
                    }
                    final Bytes<?> in = document.wire().bytes();
                    length = (int)in.readRemaining();
                    if (excerpt.length < length)
                    {
                        excerpt = new byte[Math.max(length, excerpt.length * 2)];
                    }
                    in.read(excerpt, 0, length);
                }
                catch (final RuntimeException ex)
                {
                    final String what = "unreadable after excerpt " + Long.toHexString(lastIndex) + ": " + ex;
                    log.error("journal {} is corrupt {}; replay stops here, {} rows before it kept", queue.file(), what, rows);
                    return new Result(lastIndex, excerpts, rows, Math.max(lastIndex + 1, 0), what);
                }
                final int applied = applyRecords(excerpt, length, sink);
                rows += Math.abs(applied) - (applied < 0 ? 1 : 0);
                if (applied < 0)
                {
                    log.error("journal {} is corrupt at excerpt {} (index {}), record {}: {}; replay stops here, {} rows before it kept",
                        queue.file(), Long.toHexString(index), index, -applied - 1, problem, rows);
                    return new Result(lastIndex, excerpts, rows, index, problem);
                }
                lastIndex = index;
                excerpts++;
                progress.advance(excerpts);
            }
            progress.finish(excerpts);
        }
        return new Result(lastIndex, excerpts, rows, -1, null);
    }

    /** How many excerpts the replay will read, for the percentage; 0 (no percentage) if unknown. */
    private static long excerptsAfter(final SingleChronicleQueue queue, final long afterIndex, final long upToIndex)
    {
        final long last = Math.min(queue.lastIndex(), upToIndex);
        if (last < 0)
        {
            return 0;
        }
        try
        {
            return queue.countExcerpts(afterIndex < 0 ? queue.firstIndex() : afterIndex + 1, last + 1);
        }
        catch (final RuntimeException ex)
        {
            return 0;
        }
    }

    private static void position(final SingleChronicleQueue queue, final ExcerptTailer tailer, final long afterIndex)
    {
        if (afterIndex < 0)
        {
            tailer.toStart();
            return;
        }
        if (!tailer.moveToIndex(afterIndex))
        {
            throw new JournalGapException("journal " + queue.file() + " no longer holds excerpt " + Long.toHexString(afterIndex)
                + " that the snapshot covers up to (journal starts at " + Long.toHexString(queue.firstIndex())
                + "); the rows changed after the snapshot are lost, refusing to start with them missing");
        }
        try (DocumentContext covered = tailer.readingDocument())
        {
            if (!covered.isPresent() || covered.index() != afterIndex)
            {
                throw new JournalGapException("journal " + queue.file() + " cannot read excerpt " + Long.toHexString(afterIndex) + " that the snapshot covers up to");
            }
        }
    }

    /**
     * Decodes the records of one excerpt into the sink.
     *
     * @return the number of records applied when all were good; {@code -(n + 1)} when record
     *         {@code n} (0-based) is bad, after applying the {@code n} before it ({@link #problem}
     *         says why)
     */
    int applyRecords(final byte[] buffer, final int length, final RowSink sink)
    {
        int offset = 0;
        int record = 0;
        while (offset < length)
        {
            if (length - offset < HEADER_LENGTH + CHECKSUM_LENGTH)
            {
                return bad(record, "truncated record: " + (length - offset) + " bytes left at offset " + offset);
            }
            final int version = buffer[offset + JournalRecordDescriptor.VERSION_OFFSET];
            final int kind = buffer[offset + JournalRecordDescriptor.KIND_OFFSET];
            final int qos = buffer[offset + JournalRecordDescriptor.QOS_OFFSET];
            final int reserved = buffer[offset + JournalRecordDescriptor.RESERVED_OFFSET];
            final int topicLength = JournalRecordDescriptor.getIntLE(buffer, offset + JournalRecordDescriptor.TOPIC_LENGTH_OFFSET);
            final int payloadLength = JournalRecordDescriptor.getIntLE(buffer, offset + JournalRecordDescriptor.PAYLOAD_LENGTH_OFFSET);
            if (version != JournalRecordDescriptor.FORMAT_VERSION)
            {
                return bad(record, "format version " + version + " is not supported");
            }
            if ((kind != KIND_SET && kind != KIND_DELETE) || qos < 0 || qos > 2 || reserved != 0
                || topicLength <= 0 || payloadLength < 0 || (kind == KIND_DELETE) != (payloadLength == 0))
            {
                return bad(record, "bad header: kind " + kind + ", qos " + qos + ", topic length " + topicLength + ", payload length " + payloadLength);
            }
            final long end = JournalRecordDescriptor.recordLength(topicLength, payloadLength) + offset;
            if (end > length)
            {
                return bad(record, "truncated record: needs " + (end - offset) + " bytes at offset " + offset + ", excerpt has " + (length - offset));
            }
            final int topicOffset = offset + HEADER_LENGTH;
            final int payloadOffset = topicOffset + topicLength;
            final int checksumOffset = payloadOffset + payloadLength;
            crc.reset();
            crc.update(buffer, offset, checksumOffset - offset);
            final int stored = JournalRecordDescriptor.getIntLE(buffer, checksumOffset);
            if (stored != (int)crc.getValue())
            {
                return bad(record, String.format("checksum mismatch: stored 0x%08x, computed 0x%08x", stored, (int)crc.getValue()));
            }
            sink.accept(buffer, topicOffset, topicLength, buffer, payloadOffset, payloadLength, qos);
            offset = (int)end;
            record++;
        }
        return record;
    }

    private int bad(final int record, final String why)
    {
        problem = why;
        return -(record + 1);
    }
}
