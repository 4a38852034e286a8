package io.mote.persistence;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

import java.util.zip.CRC32C;

import static io.mote.persistence.SessionRecordDescriptor.CHECKSUM_LENGTH;
import static io.mote.persistence.SessionRecordDescriptor.HEADER_LENGTH;

/**
 * Writes {@link SessionRecordDescriptor} records, one per excerpt, through one Chronicle appender,
 * with its own header scratch and checksum: nothing is allocated per record.
 *
 * <p>Threads: one at a time, as Chronicle appenders are; the live log gives each appending thread
 * its own, and compaction uses one on its own thread for the generation it writes.
 */
final class SessionRecordAppender implements AutoCloseable
{
    private final ExcerptAppender appender;
    private final byte[] header = new byte[HEADER_LENGTH];
    private final CRC32C crc = new CRC32C();

    SessionRecordAppender(final ExcerptAppender appender)
    {
        this.appender = appender;
    }

    /**
     * Appends one whole record, or nothing: a write that throws is rolled back, so a failing disk
     * never leaves half a record in the log. @return the record's length in bytes
     */
    long append(final int kind, final int qos, final int flags, final long session, final long seq, final int packetId,
        final byte[] text, final int textOffset, final int textLength, final byte[] payload, final int payloadOffset, final int payloadLength)
    {
        SessionRecordDescriptor.encodeHeader(header, kind, qos, flags, session, seq, packetId, textLength, payloadLength);
        crc.reset();
        crc.update(header, 0, HEADER_LENGTH);
        crc.update(text, textOffset, textLength);
        crc.update(payload, payloadOffset, payloadLength);
        try (DocumentContext document = appender.writingDocument())
        {
            try
            {
                final Bytes<?> out = document.wire().bytes();
                out.write(header, 0, HEADER_LENGTH);
                out.write(text, textOffset, textLength);
                out.write(payload, payloadOffset, payloadLength);
                JournalRecordDescriptor.putIntLE(header, 0, (int)crc.getValue());
                out.write(header, 0, CHECKSUM_LENGTH);
            }
            catch (final RuntimeException | Error ex)
            {
                document.rollbackOnClose();
                throw ex;
            }
        }
        return SessionRecordDescriptor.recordLength(textLength, payloadLength);
    }

    ExcerptAppender appender()
    {
        return appender;
    }

    /** From any thread once its owner no longer appends (the segment is retired or the log closed). */
    @Override
    public void close()
    {
        appender.singleThreadedCheckReset();
        appender.close();
    }
}
