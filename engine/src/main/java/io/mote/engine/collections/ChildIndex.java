package io.mote.engine.collections;

import java.util.function.IntPredicate;

/**
 * Maps (parent node, level id) to a child node for flat-array trees: one open-addressing table for
 * the whole tree instead of a map per node, so a node costs a few ints and no object.
 *
 * <p>Layout: one {@code long[]} of (key, value) pairs side by side, so a lookup touches one cache
 * line where separate key and value arrays would touch two; linear probing keeps a probe chain in
 * consecutive lines. Load factor at most 3/4 (probes stay short because of the line locality, and
 * memory stays under separate arrays at load 1/2). Backward-shift deletion: no tombstones, so
 * churn does not slow lookups. Not thread safe: it belongs to whoever owns the tree.
 */
public final class ChildIndex
{
    public static final int MISSING = -1;

    private static final long EMPTY_KEY = -1L;

    /**
     * [2i] = key (parent << 32 | level), [2i + 1] = child node in the low 32 bits and the owner's
     * auxiliary int ({@link #aux}) in the high 32 bits, 0 unless set.
     */
    private long[] entries;
    private int mask;
    private int size;

    public ChildIndex(final int initialCapacity)
    {
        final int capacity = Integer.highestOneBit(Math.max(16, initialCapacity - 1) << 1);
        entries = newEntries(capacity);
        mask = capacity - 1;
    }

    /** @return the child of {@code parent} at {@code level}, or {@link #MISSING}. */
    public int get(final int parent, final int level)
    {
        final long key = key(parent, level);
        final long[] entries = this.entries;
        for (int slot = slot(key); ; slot = (slot + 1) & mask)
        {
            final long k = entries[slot << 1];
            if (k == key)
            {
                return (int)entries[(slot << 1) + 1];
            }
            if (k == EMPTY_KEY)
            {
                return MISSING;
            }
        }
    }

    /** Adds or replaces the child of {@code parent} at {@code level}, with an auxiliary int of 0. */
    public void put(final int parent, final int level, final int child)
    {
        put(parent, level, child, 0);
    }

    /** Adds or replaces the child of {@code parent} at {@code level} and its auxiliary int. */
    public void put(final int parent, final int level, final int child, final int aux)
    {
        final long value = ((long)aux << 32) | (child & 0xFFFF_FFFFL);
        final long key = key(parent, level);
        int slot = slot(key);
        for (; ; slot = (slot + 1) & mask)
        {
            final long k = entries[slot << 1];
            if (k == key)
            {
                entries[(slot << 1) + 1] = value;
                return;
            }
            if (k == EMPTY_KEY)
            {
                break;
            }
        }
        entries[slot << 1] = key;
        entries[(slot << 1) + 1] = value;
        if (++size > ((mask + 1) >> 2) * 3)
        {
            rehash((mask + 1) << 1);
        }
    }

    /**
     * @return the auxiliary int stored with the child of {@code parent} at {@code level} (0 unless
     * set), or {@code missing} when there is no such child.
     */
    public int aux(final int parent, final int level, final int missing)
    {
        final int slot = find(key(parent, level));
        return slot < 0 ? missing : (int)(entries[(slot << 1) + 1] >>> 32);
    }

    /** Sets the auxiliary int of an existing entry; @return false, changing nothing, when there is none. */
    public boolean setAux(final int parent, final int level, final int aux)
    {
        final int slot = find(key(parent, level));
        if (slot < 0)
        {
            return false;
        }
        final int at = (slot << 1) + 1;
        entries[at] = ((long)aux << 32) | (entries[at] & 0xFFFF_FFFFL);
        return true;
    }

    /** Removes the entry; @return the child it held, or {@link #MISSING}. */
    public int remove(final int parent, final int level)
    {
        final long key = key(parent, level);
        int slot = slot(key);
        for (; ; slot = (slot + 1) & mask)
        {
            final long k = entries[slot << 1];
            if (k == key)
            {
                break;
            }
            if (k == EMPTY_KEY)
            {
                return MISSING;
            }
        }
        final int removed = (int)entries[(slot << 1) + 1];
        int hole = slot;
        for (int next = (hole + 1) & mask; entries[next << 1] != EMPTY_KEY; next = (next + 1) & mask)
        {
            final int home = slot(entries[next << 1]);
            final boolean homeOutsideGap = hole <= next ? (home <= hole || home > next) : (home <= hole && home > next);
            if (homeOutsideGap)
            {
                entries[hole << 1] = entries[next << 1];
                entries[(hole << 1) + 1] = entries[(next << 1) + 1];
                hole = next;
            }
        }
        entries[hole << 1] = EMPTY_KEY;
        size--;
        return removed;
    }

    /** Grows the table once so that {@code entries} entries fit without a rehash. */
    public void ensureCapacity(final int entries)
    {
        int capacity = mask + 1;
        while (entries > (capacity >> 2) * 3)
        {
            capacity <<= 1;
        }
        if (capacity != mask + 1)
        {
            rehash(capacity);
        }
    }

    /**
     * Adds the entries (parentOf[c], levelOf[c]) -> c for every child id c in [from, to) whose parent
     * is not negative and passes {@code parentIndexed}; none may be present yet. For building the
     * index of a tree restored in bulk: one {@link #put} per entry lands on a random slot, a cache and
     * TLB miss each, which dominated restarts. Here each chunk of entries is first bucketed by home
     * slot (a counting sort), then inserted in slot order, so the table is written in one forward
     * sweep per chunk. The entries are counted first, so the table grows once to its final size.
     */
    public void putAllAbsent(final int[] parentOf, final int[] levelOf, final int from, final int to, final IntPredicate parentIndexed)
    {
        int added = 0;
        for (int c = from; c < to; c++)
        {
            if (parentOf[c] >= 0 && parentIndexed.test(parentOf[c]))
            {
                added++;
            }
        }
        if (added == 0)
        {
            return;
        }
        ensureCapacity(size + added);
        final int buckets = Math.min(mask + 1, 1 << 16);
        final int shift = Integer.numberOfTrailingZeros(mask + 1) - Integer.numberOfTrailingZeros(buckets);
        final int chunk = Math.min(to - from, 1 << 22);
        final int[] bucketStart = new int[buckets + 1];
        final long[] keys = new long[Math.min(chunk, added)];
        final int[] values = new int[Math.min(chunk, added)];
        for (int start = from; start < to; start += chunk)
        {
            final int end = Math.min(to, start + chunk);
            java.util.Arrays.fill(bucketStart, 0);
            for (int c = start; c < end; c++)
            {
                if (parentOf[c] >= 0 && parentIndexed.test(parentOf[c]))
                {
                    bucketStart[(slot(key(parentOf[c], levelOf[c])) >>> shift) + 1]++;
                }
            }
            for (int b = 0; b < buckets; b++)
            {
                bucketStart[b + 1] += bucketStart[b];
            }
            final int count = bucketStart[buckets];
            for (int c = start; c < end; c++)
            {
                if (parentOf[c] >= 0 && parentIndexed.test(parentOf[c]))
                {
                    final long key = key(parentOf[c], levelOf[c]);
                    final int at = bucketStart[slot(key) >>> shift]++;
                    keys[at] = key;
                    values[at] = c;
                }
            }
            for (int i = 0; i < count; i++)
            {
                insertAbsent(keys[i], values[i]);
            }
        }
    }

    /** @return the slot holding {@code key}, or -1. */
    private int find(final long key)
    {
        for (int slot = slot(key); ; slot = (slot + 1) & mask)
        {
            final long k = entries[slot << 1];
            if (k == key)
            {
                return slot;
            }
            if (k == EMPTY_KEY)
            {
                return -1;
            }
        }
    }

    private void insertAbsent(final long key, final int value)
    {
        int slot = slot(key);
        while (entries[slot << 1] != EMPTY_KEY)
        {
            slot = (slot + 1) & mask;
        }
        entries[slot << 1] = key;
        entries[(slot << 1) + 1] = value;
        size++;
    }

    public int size()
    {
        return size;
    }

    /** Bytes held by the table, for memory accounting. */
    public long capacityBytes()
    {
        return (long)entries.length * Long.BYTES;
    }

    private void rehash(final int capacity)
    {
        final long[] old = entries;
        entries = newEntries(capacity);
        mask = capacity - 1;
        for (int i = 0; i < old.length; i += 2)
        {
            final long key = old[i];
            if (key != EMPTY_KEY)
            {
                int slot = slot(key);
                while (entries[slot << 1] != EMPTY_KEY)
                {
                    slot = (slot + 1) & mask;
                }
                entries[slot << 1] = key;
                entries[(slot << 1) + 1] = old[i + 1];
            }
        }
    }

    private static long[] newEntries(final int capacity)
    {
        final long[] entries = new long[capacity << 1];
        for (int i = 0; i < entries.length; i += 2)
        {
            entries[i] = EMPTY_KEY;
        }
        return entries;
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
