package io.mote.engine.match;

import io.mote.engine.pipeline.MatchResult;

import java.util.Arrays;

/**
 * The topics written by one batch, so that a topic appearing twice keeps only its last value and a
 * replace directive can tell which retained rows the payload wrote. Open addressing over row
 * indexes of the event's {@link MatchResult}; cleared per batch in time proportional to its use.
 * Owned by the matching thread.
 */
final class BatchTopics
{
    private static final int EMPTY = -1;

    private int[] slots = new int[64];
    private int[] hashes = new int[64];
    private int mask = 63;
    private int[] used = new int[32];
    private int usedCount;

    void clear()
    {
        for (int i = 0; i < usedCount; i++)
        {
            slots[used[i]] = EMPTY;
        }
        usedCount = 0;
    }

    BatchTopics()
    {
        Arrays.fill(slots, EMPTY);
    }

    /** Records the row's topic; @return the earlier row with the same topic, or -1. */
    int put(final MatchResult rows, final int row)
    {
        if ((usedCount + 1) * 2 > slots.length)
        {
            rehash(rows, slots.length << 1);
        }
        final byte[] bytes = rows.bytes();
        final int offset = rows.rowTopicOffset(row);
        final int length = rows.rowTopicLength(row);
        final int hash = hash(bytes, offset, length);
        int slot = hash & mask;
        for (; slots[slot] != EMPTY; slot = (slot + 1) & mask)
        {
            final int other = slots[slot];
            if (hashes[slot] == hash && sameTopic(rows, other, bytes, offset, length))
            {
                slots[slot] = row;
                return other;
            }
        }
        slots[slot] = row;
        hashes[slot] = hash;
        used[usedCount++] = slot;
        return -1;
    }

    boolean contains(final MatchResult rows, final byte[] topic, final int offset, final int length)
    {
        final int hash = hash(topic, offset, length);
        for (int slot = hash & mask; slots[slot] != EMPTY; slot = (slot + 1) & mask)
        {
            if (hashes[slot] == hash && sameTopic(rows, slots[slot], topic, offset, length))
            {
                return true;
            }
        }
        return false;
    }

    private static boolean sameTopic(final MatchResult rows, final int row, final byte[] topic, final int offset, final int length)
    {
        final int otherOffset = rows.rowTopicOffset(row);
        return rows.rowTopicLength(row) == length &&
            Arrays.equals(rows.bytes(), otherOffset, otherOffset + length, topic, offset, offset + length);
    }

    private void rehash(final MatchResult rows, final int capacity)
    {
        final int[] oldSlots = slots;
        final int[] oldUsed = used;
        final int oldUsedCount = usedCount;
        slots = new int[capacity];
        hashes = new int[capacity];
        Arrays.fill(slots, EMPTY);
        mask = capacity - 1;
        used = new int[capacity];
        usedCount = 0;
        final byte[] bytes = rows.bytes();
        for (int i = 0; i < oldUsedCount; i++)
        {
            final int row = oldSlots[oldUsed[i]];
            final int hash = hash(bytes, rows.rowTopicOffset(row), rows.rowTopicLength(row));
            int slot = hash & mask;
            while (slots[slot] != EMPTY)
            {
                slot = (slot + 1) & mask;
            }
            slots[slot] = row;
            hashes[slot] = hash;
            used[usedCount++] = slot;
        }
    }

    private static int hash(final byte[] bytes, final int offset, final int length)
    {
        int h = length;
        for (int i = offset, end = offset + length; i < end; i++)
        {
            h = 31 * h + bytes[i];
        }
        return h ^ (h >>> 15) ^ (h >>> 7);
    }
}
