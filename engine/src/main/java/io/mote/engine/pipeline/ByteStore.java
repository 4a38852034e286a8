package io.mote.engine.pipeline;

import org.agrona.ExpandableArrayBuffer;

/**
 * An append-only byte area reused from batch to batch: topics and payloads of one ring event are
 * copied in once and referred to by offset, so an event holds no per-message objects.
 *
 * <p>Not thread safe. Fetch {@link #array()} after the last append: growing replaces the array.
 */
public final class ByteStore
{
    /**
     * Capacity a store keeps after {@link #clear()}. Every ring slot owns stores; one sync snapshot of
     * a million rows must not leave each of a thousand slots holding tens of megabytes.
     */
    static final int RETAINED_CAPACITY = 1 << 20;

    private final int initialCapacity;
    private ExpandableArrayBuffer buffer;
    private int limit;

    public ByteStore(final int initialCapacity)
    {
        this.initialCapacity = initialCapacity;
        buffer = new ExpandableArrayBuffer(initialCapacity);
    }

    /** Copies the bytes in; @return their offset in {@link #array()}. */
    public int append(final byte[] source, final int offset, final int length)
    {
        final int at = limit;
        if (length > 0)
        {
            buffer.putBytes(at, source, offset, length);
        }
        limit = at + length;
        return at;
    }

    /** Appends one byte; @return its offset. */
    public int append(final byte value)
    {
        final int at = limit;
        buffer.putByte(at, value);
        limit = at + 1;
        return at;
    }

    /** Makes room for {@code length} more bytes; @return the offset they start at. */
    public int reserve(final int length)
    {
        final int at = limit;
        if (length > 0)
        {
            buffer.checkLimit(at + length);
        }
        limit = at + length;
        return at;
    }

    public byte[] array()
    {
        return buffer.byteArray();
    }

    public int limit()
    {
        return limit;
    }

    /** Forgets everything after {@code limit}: used to roll back a rejected tree publish. */
    public void truncate(final int limit)
    {
        this.limit = limit;
    }

    /** Empties the store; a store grown past {@link #RETAINED_CAPACITY} gives its memory back. */
    public void clear()
    {
        limit = 0;
        if (buffer.capacity() > RETAINED_CAPACITY)
        {
            buffer = new ExpandableArrayBuffer(initialCapacity);
        }
    }

    /** Makes room for {@code length} more bytes in one step, before many appends. */
    public void ensureSpare(final int length)
    {
        buffer.checkLimit(limit + length);
    }

    public int capacity()
    {
        return buffer.capacity();
    }
}
