package io.mote.engine.topic;

import java.util.Arrays;

/**
 * Interns topic levels as small int ids, with a reference count per id so that levels nobody uses
 * any more (devices that came and went, ids inside topics) are released and their ids reused.
 *
 * <p>Owner: the matching thread only (the single writer of the retained tree and the subscription
 * trie, which hold the references). Not thread safe.
 *
 * <p>Layout: an open-addressing table of ids with linear probing and backward-shift deletion (no
 * tombstones, so churn cannot degrade lookups), and per-id arrays for the bytes, hash and count.
 * {@link #find} allocates nothing, so routing a row whose levels were never seen costs no memory.
 */
public final class LevelTable
{
    public static final int NO_LEVEL = -1;

    private static final int EMPTY_SLOT = -1;
    private static final byte[][] NO_BYTES = new byte[0][];

    private int[] slots;
    private int mask;
    private int size;

    private byte[][] bytesById = NO_BYTES;
    private int[] hashById = new int[0];
    private int[] refsById = new int[0];
    private int[] freeIds = new int[16];
    private int freeCount;
    private int nextId;

    public LevelTable()
    {
        this(1024);
    }

    public LevelTable(final int initialCapacity)
    {
        final int capacity = Integer.highestOneBit(Math.max(16, initialCapacity - 1) << 1);
        slots = new int[capacity];
        Arrays.fill(slots, EMPTY_SLOT);
        mask = capacity - 1;
        growIds(Math.max(16, initialCapacity / 2));
    }

    /** @return the id of the level, or {@link #NO_LEVEL} when it is not interned. */
    public int find(final byte[] text, final int offset, final int length)
    {
        final int hash = hash(text, offset, length);
        for (int slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            final int id = slots[slot];
            if (id == EMPTY_SLOT)
            {
                return NO_LEVEL;
            }
            if (hashById[id] == hash && equals(bytesById[id], text, offset, length))
            {
                return id;
            }
        }
    }

    /** Interns the level if needed and adds one reference to it. */
    public int acquire(final byte[] text, final int offset, final int length)
    {
        final int hash = hash(text, offset, length);
        int slot = hash & mask;
        for (; ; slot = (slot + 1) & mask)
        {
            final int id = slots[slot];
            if (id == EMPTY_SLOT)
            {
                break;
            }
            if (hashById[id] == hash && equals(bytesById[id], text, offset, length))
            {
                refsById[id]++;
                return id;
            }
        }
        final int id = newId();
        bytesById[id] = Arrays.copyOfRange(text, offset, offset + length);
        hashById[id] = hash;
        refsById[id] = 1;
        slots[slot] = id;
        if (++size > (slots.length >> 1))
        {
            rehash(slots.length << 1);
        }
        return id;
    }

    /** Adds one reference to a live id. */
    public void acquire(final int id)
    {
        if (refsById[id] <= 0)
        {
            throw new IllegalStateException("level id " + id + " is not live");
        }
        refsById[id]++;
    }

    /** Drops one reference; the id is freed (and may be reused) when none remain. */
    public void release(final int id)
    {
        final int refs = --refsById[id];
        if (refs > 0)
        {
            return;
        }
        if (refs < 0)
        {
            refsById[id] = 0;
            throw new IllegalStateException("level id " + id + " released more often than acquired");
        }
        removeSlotOf(id);
        bytesById[id] = null;
        if (freeCount == freeIds.length)
        {
            freeIds = Arrays.copyOf(freeIds, freeCount << 1);
        }
        freeIds[freeCount++] = id;
        size--;
    }

    /** The level's UTF-8 bytes; callers must not modify the array. */
    public byte[] bytes(final int id)
    {
        return bytesById[id];
    }

    public int references(final int id)
    {
        return id >= 0 && id < nextId ? refsById[id] : 0;
    }

    /** True when the level's text starts with {@code $} (MQTT's reserved topics). */
    public boolean isDollar(final int id)
    {
        final byte[] bytes = bytesById[id];
        return bytes.length > 0 && bytes[0] == '$';
    }

    /** Number of live levels. */
    public int size()
    {
        return size;
    }

    private int newId()
    {
        if (freeCount > 0)
        {
            return freeIds[--freeCount];
        }
        if (nextId == bytesById.length)
        {
            growIds(nextId << 1);
        }
        return nextId++;
    }

    private void growIds(final int capacity)
    {
        bytesById = Arrays.copyOf(bytesById, capacity);
        hashById = Arrays.copyOf(hashById, capacity);
        refsById = Arrays.copyOf(refsById, capacity);
    }

    private void removeSlotOf(final int id)
    {
        int slot = hashById[id] & mask;
        while (slots[slot] != id)
        {
            slot = (slot + 1) & mask;
        }
        // Backward-shift deletion keeps every probe chain unbroken without tombstones.
        int hole = slot;
        for (int next = (hole + 1) & mask; slots[next] != EMPTY_SLOT; next = (next + 1) & mask)
        {
            final int home = hashById[slots[next]] & mask;
            final boolean homeOutsideGap = hole <= next ? (home <= hole || home > next) : (home <= hole && home > next);
            if (homeOutsideGap)
            {
                slots[hole] = slots[next];
                hole = next;
            }
        }
        slots[hole] = EMPTY_SLOT;
    }

    private void rehash(final int capacity)
    {
        final int[] old = slots;
        slots = new int[capacity];
        Arrays.fill(slots, EMPTY_SLOT);
        mask = capacity - 1;
        for (final int id : old)
        {
            if (id != EMPTY_SLOT)
            {
                int slot = hashById[id] & mask;
                while (slots[slot] != EMPTY_SLOT)
                {
                    slot = (slot + 1) & mask;
                }
                slots[slot] = id;
            }
        }
    }

    static int hash(final byte[] text, final int offset, final int length)
    {
        int h = 0x9E3779B9 ^ length;
        for (int i = offset, end = offset + length; i < end; i++)
        {
            h = (h ^ text[i]) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    private static boolean equals(final byte[] level, final byte[] text, final int offset, final int length)
    {
        return level.length == length && Arrays.equals(level, 0, length, text, offset, offset + length);
    }
}
