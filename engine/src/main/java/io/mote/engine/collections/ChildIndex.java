package io.mote.engine.collections;

import java.util.Arrays;

/**
 * Maps (parent node, level id) to a child node for flat-array trees: one open-addressing table for
 * the whole tree instead of a map per node, so a node costs a few ints and no object.
 *
 * <p>Linear probing over parallel {@code long} keys and {@code int} values, backward-shift
 * deletion (no tombstones, so churn does not slow lookups), load factor at most 1/2.
 * Not thread safe: it belongs to whoever owns the tree.
 */
public final class ChildIndex
{
    public static final int MISSING = -1;

    private static final long EMPTY_KEY = -1L;

    private long[] keys;
    private int[] values;
    private int mask;
    private int size;

    public ChildIndex(final int initialCapacity)
    {
        final int capacity = Integer.highestOneBit(Math.max(16, initialCapacity - 1) << 1);
        keys = new long[capacity];
        values = new int[capacity];
        Arrays.fill(keys, EMPTY_KEY);
        mask = capacity - 1;
    }

    /** @return the child of {@code parent} at {@code level}, or {@link #MISSING}. */
    public int get(final int parent, final int level)
    {
        final long key = key(parent, level);
        for (int slot = slot(key); ; slot = (slot + 1) & mask)
        {
            final long k = keys[slot];
            if (k == key)
            {
                return values[slot];
            }
            if (k == EMPTY_KEY)
            {
                return MISSING;
            }
        }
    }

    /** Adds or replaces the child of {@code parent} at {@code level}. */
    public void put(final int parent, final int level, final int child)
    {
        final long key = key(parent, level);
        int slot = slot(key);
        for (; ; slot = (slot + 1) & mask)
        {
            final long k = keys[slot];
            if (k == key)
            {
                values[slot] = child;
                return;
            }
            if (k == EMPTY_KEY)
            {
                break;
            }
        }
        keys[slot] = key;
        values[slot] = child;
        if (++size > (keys.length >> 1))
        {
            rehash(keys.length << 1);
        }
    }

    /** Removes the entry; @return the child it held, or {@link #MISSING}. */
    public int remove(final int parent, final int level)
    {
        final long key = key(parent, level);
        int slot = slot(key);
        for (; ; slot = (slot + 1) & mask)
        {
            final long k = keys[slot];
            if (k == key)
            {
                break;
            }
            if (k == EMPTY_KEY)
            {
                return MISSING;
            }
        }
        final int removed = values[slot];
        int hole = slot;
        for (int next = (hole + 1) & mask; keys[next] != EMPTY_KEY; next = (next + 1) & mask)
        {
            final int home = slot(keys[next]);
            final boolean homeOutsideGap = hole <= next ? (home <= hole || home > next) : (home <= hole && home > next);
            if (homeOutsideGap)
            {
                keys[hole] = keys[next];
                values[hole] = values[next];
                hole = next;
            }
        }
        keys[hole] = EMPTY_KEY;
        size--;
        return removed;
    }

    public int size()
    {
        return size;
    }

    /** Bytes held by the table's arrays, for memory accounting. */
    public long capacityBytes()
    {
        return (long)keys.length * (Long.BYTES + Integer.BYTES);
    }

    private void rehash(final int capacity)
    {
        final long[] oldKeys = keys;
        final int[] oldValues = values;
        keys = new long[capacity];
        values = new int[capacity];
        Arrays.fill(keys, EMPTY_KEY);
        mask = capacity - 1;
        for (int i = 0; i < oldKeys.length; i++)
        {
            final long key = oldKeys[i];
            if (key != EMPTY_KEY)
            {
                int slot = slot(key);
                while (keys[slot] != EMPTY_KEY)
                {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = key;
                values[slot] = oldValues[i];
            }
        }
    }

    private static long key(final int parent, final int level)
    {
        return ((long)parent << 32) | (level & 0xFFFF_FFFFL);
    }

    private int slot(final long key)
    {
        long h = key * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        return (int)h & mask;
    }
}
