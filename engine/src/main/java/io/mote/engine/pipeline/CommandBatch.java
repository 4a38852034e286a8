package io.mote.engine.pipeline;

import java.util.Arrays;

/**
 * The commands one producer gathered from one socket read (or one event-loop turn): publishes,
 * subscribes, unsubscribes and session ends, in arrival order, possibly from several clients.
 *
 * <p>Ownership: filled by exactly one producer thread, then swapped into a ring event and read by
 * the matching thread only. After the ring slot is reused, the producer gets it back, cleared.
 * Tree publishes arrive already spread into rows by the producer, so parsing JSON happens on the
 * network threads, not on the single writer.
 */
public final class CommandBatch
{
    public static final byte PUBLISH = 0;
    public static final byte SUBSCRIBE = 1;
    public static final byte UNSUBSCRIBE = 2;
    public static final byte SESSION_END = 3;

    public static final int FLAG_RETAIN = 1;
    public static final int FLAG_WILDCARD = 2;
    public static final int FLAG_TREE = 4;
    public static final int FLAG_REPLACE = 8;
    public static final int FLAG_SYNC = 16;

    /**
     * Room every batch starts with: 64 small publishes. There is one batch per ring slot and each
     * grows on its own the first time a read brings more, so a smaller start kept a serving broker
     * allocating (and collecting) for minutes as bursts reached slot after slot. The cost: about 7 KB
     * more per slot with its match result, 7 MB for the default ring of 1 024.
     */
    private static final int INITIAL_COMMANDS = 64;

    final ByteStore bytes = new ByteStore(8192);

    int count;
    byte[] kind = new byte[INITIAL_COMMANDS];
    long[] clientId = new long[INITIAL_COMMANDS];
    byte[] dialect = new byte[INITIAL_COMMANDS];
    byte[] qos = new byte[INITIAL_COMMANDS];
    int[] flags = new int[INITIAL_COMMANDS];
    int[] packetId = new int[INITIAL_COMMANDS];
    int[] topicOffset = new int[INITIAL_COMMANDS];
    int[] topicLength = new int[INITIAL_COMMANDS];
    int[] payloadOffset = new int[INITIAL_COMMANDS];
    int[] payloadLength = new int[INITIAL_COMMANDS];
    int[] rowStart = new int[INITIAL_COMMANDS];
    int[] rowCount = new int[INITIAL_COMMANDS];

    final RowTable rows = new RowTable();

    int add(final byte kind, final long clientId, final int dialect, final int qos, final int flags, final int packetId)
    {
        final int i = count;
        if (i == this.kind.length)
        {
            growCommands(i << 1);
        }
        this.kind[i] = kind;
        this.clientId[i] = clientId;
        this.dialect[i] = (byte)dialect;
        this.qos[i] = (byte)qos;
        this.flags[i] = flags;
        this.packetId[i] = packetId;
        topicOffset[i] = 0;
        topicLength[i] = 0;
        payloadOffset[i] = 0;
        payloadLength[i] = 0;
        rowStart[i] = rows.size();
        rowCount[i] = 0;
        count = i + 1;
        return i;
    }

    void topic(final int command, final byte[] source, final int offset, final int length)
    {
        topicOffset[command] = bytes.append(source, offset, length);
        topicLength[command] = length;
    }

    void payload(final int command, final byte[] source, final int offset, final int length)
    {
        payloadOffset[command] = bytes.append(source, offset, length);
        payloadLength[command] = length;
    }

    void addRow(final int command, final byte[] topic, final int topicLength, final byte[] payload, final int payloadOffset, final int payloadLength, final boolean delete)
    {
        rows.add(bytes, topic, 0, topicLength, payload, payloadOffset, payloadLength, delete ? RowTable.DELETE : 0, 0);
        rowCount[command]++;
    }

    /**
     * Flags rows {@code [from, to)} of a tree command, counted from its first row, as dead: a
     * later occurrence of the same JSON key replaced them (PROTOCOL.md §2.3, last one wins).
     * Their bytes stay until the batch is cleared.
     */
    void killRows(final int command, final int from, final int to)
    {
        for (int r = rowStart[command] + from, end = rowStart[command] + to; r < end; r++)
        {
            rows.addFlag(r, RowTable.DEAD);
        }
    }

    /** Drops the last command and its rows and bytes: a tree publish that was rejected. */
    void dropLast(final int bytesLimit)
    {
        final int last = count - 1;
        rows.truncate(rowStart[last]);
        count = last;
        bytes.truncate(bytesLimit);
    }

    public void clear()
    {
        count = 0;
        rows.clear();
        bytes.clear();
    }

    public int count()
    {
        return count;
    }

    public boolean isEmpty()
    {
        return count == 0;
    }

    public byte[] bytes()
    {
        return bytes.array();
    }

    public byte kind(final int command)
    {
        return kind[command];
    }

    public long clientId(final int command)
    {
        return clientId[command];
    }

    public int dialect(final int command)
    {
        return dialect[command];
    }

    public int qos(final int command)
    {
        return qos[command];
    }

    public int flags(final int command)
    {
        return flags[command];
    }

    public boolean hasFlag(final int command, final int flag)
    {
        return (flags[command] & flag) != 0;
    }

    public int packetId(final int command)
    {
        return packetId[command];
    }

    public int topicOffset(final int command)
    {
        return topicOffset[command];
    }

    public int topicLength(final int command)
    {
        return topicLength[command];
    }

    public int payloadOffset(final int command)
    {
        return payloadOffset[command];
    }

    public int payloadLength(final int command)
    {
        return payloadLength[command];
    }

    public int rowStart(final int command)
    {
        return rowStart[command];
    }

    public int rowCount(final int command)
    {
        return rowCount[command];
    }

    /**
     * The rows the producer spread tree publishes into, each command's from {@link #rowStart} for
     * {@link #rowCount}; a row flagged {@link RowTable#DEAD} was replaced by a later occurrence of
     * the same key in the JSON and does not count.
     */
    public RowTable rows()
    {
        return rows;
    }

    private void growCommands(final int capacity)
    {
        kind = Arrays.copyOf(kind, capacity);
        clientId = Arrays.copyOf(clientId, capacity);
        dialect = Arrays.copyOf(dialect, capacity);
        qos = Arrays.copyOf(qos, capacity);
        flags = Arrays.copyOf(flags, capacity);
        packetId = Arrays.copyOf(packetId, capacity);
        topicOffset = Arrays.copyOf(topicOffset, capacity);
        topicLength = Arrays.copyOf(topicLength, capacity);
        payloadOffset = Arrays.copyOf(payloadOffset, capacity);
        payloadLength = Arrays.copyOf(payloadLength, capacity);
        rowStart = Arrays.copyOf(rowStart, capacity);
        rowCount = Arrays.copyOf(rowCount, capacity);
    }
}
