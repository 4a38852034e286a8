package io.mote.persistence;

/**
 * Layout of one record of the session log ({@code <data-dir>/sessions}), format version
 * {@value #FORMAT_VERSION}. Every record is its own Chronicle Queue excerpt, so a record reaches a
 * reader whole or not at all; the checksum catches what Chronicle cannot (a torn or flipped page).
 * Integers are little-endian, written byte by byte.
 *
 * <pre>
 *   0        1        2        3        4                                   12
 *   +--------+--------+--------+--------+-----------------------------------+
 *   |version |  kind  |qos/dial| flags  |  session number (8)               |
 *   +--------+--------+--------+--------+-----------------------------------+
 *   12                                  20                24                28               32
 *   +-----------------------------------+-----------------+-----------------+-----------------+
 *   |  message seq (8)                  |  packet id (4)  |  text length    | payload length  |
 *   +-----------------------------------+-----------------+-----------------+-----------------+
 *   |  text: client id (OPENED), filter as sent (SUBSCRIBED, UNSUBSCRIBED), topic (QUEUED)     |
 *   +------------------------------------------------------------------------------------------+
 *   |  payload (QUEUED only)                                                                   |
 *   +------------------------------------------------------------------------------------------+
 *   |  CRC32C of every byte above, from offset 0 (4 bytes)                                     |
 *   +------------------------------------------------------------------------------------------+
 * </pre>
 *
 * <p>Byte 2 holds the QoS (SUBSCRIBED, QUEUED) or the dialect's ordinal (OPENED); flags bit 0 is
 * the retain flag of a QUEUED message, the other bits are zero. Fields a kind does not use are
 * zero. Compatibility: a reader refuses a version it does not know; a new version gets a new
 * number and this class keeps the reading rules of every older one.
 */
public final class SessionRecordDescriptor
{
    public static final int FORMAT_VERSION = 1;

    /** A persistent session begins: number, dialect, client id. */
    public static final int KIND_OPENED = 1;
    /** The session is gone: number. */
    public static final int KIND_ENDED = 2;
    /** number, qos, filter. */
    public static final int KIND_SUBSCRIBED = 3;
    /** number, filter. */
    public static final int KIND_UNSUBSCRIBED = 4;
    /** number, seq, qos, retain, topic, payload. */
    public static final int KIND_QUEUED = 5;
    /** number, seq, packet id. */
    public static final int KIND_PACKET_ID = 6;
    /** PUBREC received from the client: number, packet id. */
    public static final int KIND_RECEIVED = 7;
    /** PUBACK or PUBCOMP received from the client: number, packet id. */
    public static final int KIND_COMPLETED = 8;
    /** Inbound QoS 2 accepted: number, packet id. */
    public static final int KIND_INBOUND_HELD = 9;
    /** Inbound QoS 2 released by PUBREL: number, packet id. */
    public static final int KIND_INBOUND_RELEASED = 10;

    public static final int FLAG_RETAIN = 1;

    public static final int VERSION_OFFSET = 0;
    public static final int KIND_OFFSET = 1;
    public static final int QOS_OFFSET = 2;
    public static final int FLAGS_OFFSET = 3;
    public static final int SESSION_OFFSET = 4;
    public static final int SEQ_OFFSET = 12;
    public static final int PACKET_ID_OFFSET = 20;
    public static final int TEXT_LENGTH_OFFSET = 24;
    public static final int PAYLOAD_LENGTH_OFFSET = 28;
    public static final int HEADER_LENGTH = 32;
    public static final int CHECKSUM_LENGTH = 4;

    private SessionRecordDescriptor()
    {
    }

    private static final String[] KIND_NAMES = {"?", "OPENED", "ENDED", "SUBSCRIBED", "UNSUBSCRIBED", "QUEUED", "PACKET_ID",
        "RECEIVED", "COMPLETED", "INBOUND_HELD", "INBOUND_RELEASED"};

    /** The kind's name, for log lines. */
    public static String kindName(final int kind)
    {
        return kind > 0 && kind < KIND_NAMES.length ? KIND_NAMES[kind] : "kind " + kind;
    }

    /** Bytes one record takes. */
    public static long recordLength(final int textLength, final int payloadLength)
    {
        return (long)HEADER_LENGTH + textLength + payloadLength + CHECKSUM_LENGTH;
    }

    /** Writes a record header into {@code buffer} at 0. */
    public static void encodeHeader(final byte[] buffer, final int kind, final int qosOrDialect, final int flags, final long session,
        final long seq, final int packetId, final int textLength, final int payloadLength)
    {
        buffer[VERSION_OFFSET] = FORMAT_VERSION;
        buffer[KIND_OFFSET] = (byte)kind;
        buffer[QOS_OFFSET] = (byte)qosOrDialect;
        buffer[FLAGS_OFFSET] = (byte)flags;
        putLongLE(buffer, SESSION_OFFSET, session);
        putLongLE(buffer, SEQ_OFFSET, seq);
        JournalRecordDescriptor.putIntLE(buffer, PACKET_ID_OFFSET, packetId);
        JournalRecordDescriptor.putIntLE(buffer, TEXT_LENGTH_OFFSET, textLength);
        JournalRecordDescriptor.putIntLE(buffer, PAYLOAD_LENGTH_OFFSET, payloadLength);
    }

    public static void putLongLE(final byte[] buffer, final int offset, final long value)
    {
        JournalRecordDescriptor.putIntLE(buffer, offset, (int)value);
        JournalRecordDescriptor.putIntLE(buffer, offset + 4, (int)(value >>> 32));
    }

    public static long getLongLE(final byte[] buffer, final int offset)
    {
        return (JournalRecordDescriptor.getIntLE(buffer, offset) & 0xFFFF_FFFFL)
            | (long)JournalRecordDescriptor.getIntLE(buffer, offset + 4) << 32;
    }
}
