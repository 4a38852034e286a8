package io.mote.persistence;

/**
 * Layout of a snapshot file, format version {@value #FORMAT_VERSION}: every retained row at one
 * journal position. All integers little-endian.
 *
 * <pre>
 *   0                               8        12       16                24                32
 *   +-------------------------------+--------+--------+-----------------+-----------------+
 *   | magic "MOTESNAP" (8 ASCII)    |version |reserved| journal index   |   row count     |
 *   +-------------------------------+--------+--------+-----------------+-----------------+
 *   row, repeated row count times:
 *   0        1                 5                 9
 *   +--------+-----------------+-----------------+-------------------+---------------------+
 *   |  qos   | topic length    | payload length  | topic (UTF-8) ... | payload ...         |
 *   +--------+-----------------+-----------------+-------------------+---------------------+
 *   trailer:
 *   +-----------------------------------------------+
 *   | CRC32C of every byte before it (4 bytes)      |
 *   +-----------------------------------------------+
 * </pre>
 *
 * <p>The journal index is the Chronicle Queue index of the last excerpt whose changes the rows
 * include; recovery replays only excerpts after it. {@link #NO_JOURNAL_INDEX} means "nothing from
 * the journal": replay from its start. Rows hold values only (a deleted row is simply absent), with
 * a non-empty payload. The file is named {@code snapshot-<index as 16 hex digits>.snap}, so names
 * sort in journal order, and is only ever seen complete: it is written as {@code .tmp}, forced,
 * renamed. Compatibility: an unknown version is refused, never guessed at.
 */
public final class SnapshotDescriptor
{
    public static final int FORMAT_VERSION = 1;
    /** "MOTESNAP" in ASCII, read as a little-endian long. */
    public static final long MAGIC = 0x50414E53_45544F4DL;
    public static final long NO_JOURNAL_INDEX = -1L;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int RESERVED_OFFSET = 12;
    public static final int JOURNAL_INDEX_OFFSET = 16;
    public static final int ROW_COUNT_OFFSET = 24;
    public static final int HEADER_LENGTH = 32;

    public static final int ROW_QOS_OFFSET = 0;
    public static final int ROW_TOPIC_LENGTH_OFFSET = 1;
    public static final int ROW_PAYLOAD_LENGTH_OFFSET = 5;
    public static final int ROW_HEADER_LENGTH = 9;

    public static final int TRAILER_LENGTH = 4;

    public static final String PREFIX = "snapshot-";
    public static final String SUFFIX = ".snap";
    public static final String TEMP_SUFFIX = ".tmp";

    private SnapshotDescriptor()
    {
    }

    /** The file name of the snapshot covering the journal up to {@code journalIndex}. */
    public static String fileName(final long journalIndex)
    {
        return PREFIX + String.format("%016x", journalIndex) + SUFFIX;
    }
}
