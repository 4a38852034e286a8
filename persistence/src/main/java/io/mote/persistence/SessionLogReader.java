package io.mote.persistence;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;

import java.util.Arrays;
import java.util.zip.CRC32C;

import static io.mote.persistence.SessionRecordDescriptor.*;

/**
 * Reads the session log from its start into a {@link SessionFold}, verifying every record, and
 * stops at the first one that is not right: everything before it is folded, nothing after it.
 * Owner: the recovering thread.
 */
final class SessionLogReader
{
    private final CRC32C crc = new CRC32C();
    private byte[] excerpt = new byte[4096];

    /**
     * @param records      records folded
     * @param corruptIndex the excerpt reading stopped at, or -1 when it reached the end cleanly
     * @param problem      what was wrong with it, or null
     */
    record Result(long records, long corruptIndex, String problem)
    {
        boolean corrupt()
        {
            return corruptIndex >= 0;
        }
    }

    Result replay(final SingleChronicleQueue queue, final SessionFold fold, final Logger log)
    {
        long records = 0;
        long lastIndex = -1;
        try (ExcerptTailer tailer = queue.createTailer())
        {
            tailer.toStart();
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
                    log.error("session log {} is corrupt, {}; recovery stops there, {} records before it kept", queue.file(), what, records);
                    return new Result(records, lastIndex + 1, what);
                }
                final String problem = applyRecord(excerpt, length, fold);
                if (problem != null)
                {
                    log.error("session log {} is corrupt at excerpt {} (index {}): {}; recovery stops there, {} records before it kept",
                        queue.file(), Long.toHexString(index), index, problem, records);
                    return new Result(records, index, problem);
                }
                lastIndex = index;
                records++;
            }
        }
        return new Result(records, -1, null);
    }

    /** @return null when the record was good and folded, else what is wrong with it */
    String applyRecord(final byte[] buffer, final int length, final SessionFold fold)
    {
        if (length < HEADER_LENGTH + CHECKSUM_LENGTH)
        {
            return "truncated record: " + length + " bytes";
        }
        final int version = buffer[VERSION_OFFSET];
        final int kind = buffer[KIND_OFFSET];
        final int qos = buffer[QOS_OFFSET];
        final int flags = buffer[FLAGS_OFFSET];
        final long number = getLongLE(buffer, SESSION_OFFSET);
        final long seq = getLongLE(buffer, SEQ_OFFSET);
        final int packetId = JournalRecordDescriptor.getIntLE(buffer, PACKET_ID_OFFSET);
        final int textLength = JournalRecordDescriptor.getIntLE(buffer, TEXT_LENGTH_OFFSET);
        final int payloadLength = JournalRecordDescriptor.getIntLE(buffer, PAYLOAD_LENGTH_OFFSET);
        if (version != FORMAT_VERSION)
        {
            return "format version " + version + " is not supported";
        }
        if (kind < KIND_OPENED || kind > KIND_INBOUND_RELEASED || qos < 0 || qos > 2 || (flags & ~FLAG_RETAIN) != 0
            || number <= 0 || packetId < 0 || packetId > 65_535 || textLength < 0 || payloadLength < 0)
        {
            return "bad header: kind " + kind + ", qos " + qos + ", flags " + flags + ", session " + number
                + ", packet id " + packetId + ", text length " + textLength + ", payload length " + payloadLength;
        }
        if (recordLength(textLength, payloadLength) != length)
        {
            return "record of " + recordLength(textLength, payloadLength) + " bytes in an excerpt of " + length;
        }
        final int checksumOffset = length - CHECKSUM_LENGTH;
        crc.reset();
        crc.update(buffer, 0, checksumOffset);
        final int stored = JournalRecordDescriptor.getIntLE(buffer, checksumOffset);
        if (stored != (int)crc.getValue())
        {
            return String.format("checksum mismatch: stored 0x%08x, computed 0x%08x", stored, (int)crc.getValue());
        }
        final byte[] text = Arrays.copyOfRange(buffer, HEADER_LENGTH, HEADER_LENGTH + textLength);
        final byte[] payload = Arrays.copyOfRange(buffer, HEADER_LENGTH + textLength, HEADER_LENGTH + textLength + payloadLength);
        fold.apply(kind, qos, flags, number, seq, packetId, text, payload);
        return null;
    }
}
