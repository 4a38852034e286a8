package io.mote.persistence;

/**
 * Layout of one retained-row change in the journal, format version {@value #FORMAT_VERSION}.
 *
 * <p>A Chronicle Queue excerpt holds the records of one ring batch back to back (more than one
 * excerpt only when a batch is larger than {@link JournalConfig#maxExcerptBytes()}), so a batch's
 * rows reach a reader whole or not at all: Chronicle never shows a reader an excerpt whose header
 * is not complete. The excerpt's Chronicle index is the journal position snapshots refer to. All integers are little-endian, written byte by byte, so the format does not
 * depend on the platform's order.
 *
 * <pre>
 *   0        1        2        3        4                 8                 12
 *   +--------+--------+--------+--------+-----------------+-----------------+
 *   |version |  kind  |  qos   |reserved|  topic length   | payload length  |
 *   +--------+--------+--------+--------+-----------------+-----------------+
 *   |  topic (UTF-8, topic length bytes)  ...                               |
 *   +-----------------------------------------------------------------------+
 *   |  payload (payload length bytes; 0 for a delete)  ...                   |
 *   +-----------------------------------------------------------------------+
 *   |  CRC32C of every byte above, from offset 0  (4 bytes)                  |
 *   +-----------------------------------------------------------------------+
 * </pre>
 *
 * <p>Compatibility: a reader refuses a version it does not know rather than guessing; a new
 * version gets a new number and this class keeps the reading rules of every older one. The
 * reserved byte is written as zero and must read as zero in version 1.
 */
public final class JournalRecordDescriptor
{
    public static final int FORMAT_VERSION = 1;

    /** The row now holds the payload. */
    public static final int KIND_SET = 1;
    /** The row is gone; the payload length is zero. */
    public static final int KIND_DELETE = 2;

    public static final int VERSION_OFFSET = 0;
    public static final int KIND_OFFSET = 1;
    public static final int QOS_OFFSET = 2;
    public static final int RESERVED_OFFSET = 3;
    public static final int TOPIC_LENGTH_OFFSET = 4;
    public static final int PAYLOAD_LENGTH_OFFSET = 8;
    public static final int HEADER_LENGTH = 12;
    public static final int CHECKSUM_LENGTH = 4;

    private JournalRecordDescriptor()
    {
    }

    /** Bytes one record takes on disk. */
    public static long recordLength(final int topicLength, final int payloadLength)
    {
        return (long)HEADER_LENGTH + topicLength + payloadLength + CHECKSUM_LENGTH;
    }

    /** Writes the header of a record into {@code buffer} at {@code offset}. */
    public static void encodeHeader(final byte[] buffer, final int offset, final int kind, final int qos, final int topicLength, final int payloadLength)
    {
        buffer[offset + VERSION_OFFSET] = FORMAT_VERSION;
        buffer[offset + KIND_OFFSET] = (byte)kind;
        buffer[offset + QOS_OFFSET] = (byte)qos;
        buffer[offset + RESERVED_OFFSET] = 0;
        putIntLE(buffer, offset + TOPIC_LENGTH_OFFSET, topicLength);
        putIntLE(buffer, offset + PAYLOAD_LENGTH_OFFSET, payloadLength);
    }

    /** Writes {@code value} little-endian at {@code offset}. */
    public static void putIntLE(final byte[] buffer, final int offset, final int value)
    {
        buffer[offset] = (byte)value;
        buffer[offset + 1] = (byte)(value >>> 8);
        buffer[offset + 2] = (byte)(value >>> 16);
        buffer[offset + 3] = (byte)(value >>> 24);
    }

    /** Reads a little-endian int at {@code offset}. */
    public static int getIntLE(final byte[] buffer, final int offset)
    {
        return (buffer[offset] & 0xFF)
            | (buffer[offset + 1] & 0xFF) << 8
            | (buffer[offset + 2] & 0xFF) << 16
            | (buffer[offset + 3] & 0xFF) << 24;
    }
}
