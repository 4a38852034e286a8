package io.mote.engine.pipeline;

import java.util.Arrays;

/**
 * Rows as parallel int arrays over a {@link ByteStore}: where each row's topic and payload bytes
 * are, its flags and QoS. Used both for the rows a producer parsed out of tree publishes and for
 * the effective rows the matcher decided. Reused across batches; grows by doubling, never shrinks.
 * Not thread safe: owned by whoever owns the enclosing batch or result.
 */
public final class RowTable
{
    public static final int DELETE = 1;
    /**
     * Superseded: in a match result, by a later row with the same topic in the same batch (last
     * value wins); in a command batch, by a later occurrence of the same key in a tree publish's
     * JSON object (last key wins, whatever topics the earlier value wrote).
     */
    public static final int DEAD = 2;
    public static final int RETAIN = 4;
    /** Rows a table keeps room for after {@link #clear()}; see {@link ByteStore#RETAINED_CAPACITY}. */
    static final int RETAINED_ROWS = 16 * 1024;

    private int size;
    private int[] topicOffset = new int[64];
    private int[] topicLength = new int[64];
    private int[] payloadOffset = new int[64];
    private int[] payloadLength = new int[64];
    private int[] flags = new int[64];
    private byte[] qos = new byte[64];

    /** Copies topic and payload into the store; @return the new row's index. */
    public int add(final ByteStore store, final byte[] topic, final int topicOffset, final int topicLength,
        final byte[] payload, final int payloadOffset, final int payloadLength, final int flags, final int qos)
    {
        final int row = begin(store, topicLength);
        System.arraycopy(topic, topicOffset, store.array(), this.topicOffset[row], topicLength);
        payload(row, store, payload, payloadOffset, payloadLength, flags, qos);
        return row;
    }

    /** Starts a row whose topic bytes the caller writes at {@link #topicOffset(int)}; payload comes later. */
    public int begin(final ByteStore store, final int topicLength)
    {
        final int row = size;
        if (row == topicOffset.length)
        {
            grow(row << 1);
        }
        topicOffset[row] = store.reserve(topicLength);
        this.topicLength[row] = topicLength;
        payloadOffset[row] = 0;
        payloadLength[row] = 0;
        flags[row] = 0;
        qos[row] = 0;
        size = row + 1;
        return row;
    }

    public void payload(final int row, final ByteStore store, final byte[] payload, final int offset, final int length, final int flags, final int qos)
    {
        payloadOffset[row] = store.append(payload, offset, length);
        payloadLength[row] = length;
        this.flags[row] = flags;
        this.qos[row] = (byte)qos;
    }

    public void addFlag(final int row, final int flag)
    {
        flags[row] |= flag;
    }

    public void truncate(final int newSize)
    {
        size = newSize;
    }

    /** Empties the table; one grown past {@link #RETAINED_ROWS} rows gives its memory back. */
    public void clear()
    {
        size = 0;
        if (topicOffset.length > RETAINED_ROWS)
        {
            topicOffset = new int[64];
            topicLength = new int[64];
            payloadOffset = new int[64];
            payloadLength = new int[64];
            flags = new int[64];
            qos = new byte[64];
        }
    }

    /** Makes room for {@code rows} more rows in one step. */
    public void ensureSpare(final int rows)
    {
        if (size + rows > topicOffset.length)
        {
            grow(Math.max(size + rows, topicOffset.length << 1));
        }
    }

    public int size()
    {
        return size;
    }

    public int topicOffset(final int row)
    {
        return topicOffset[row];
    }

    public int topicLength(final int row)
    {
        return topicLength[row];
    }

    public int payloadOffset(final int row)
    {
        return payloadOffset[row];
    }

    public int payloadLength(final int row)
    {
        return payloadLength[row];
    }

    public boolean hasFlag(final int row, final int flag)
    {
        return (flags[row] & flag) != 0;
    }

    public int qos(final int row)
    {
        return qos[row];
    }

    private void grow(final int capacity)
    {
        topicOffset = Arrays.copyOf(topicOffset, capacity);
        topicLength = Arrays.copyOf(topicLength, capacity);
        payloadOffset = Arrays.copyOf(payloadOffset, capacity);
        payloadLength = Arrays.copyOf(payloadLength, capacity);
        flags = Arrays.copyOf(flags, capacity);
        qos = Arrays.copyOf(qos, capacity);
    }
}
