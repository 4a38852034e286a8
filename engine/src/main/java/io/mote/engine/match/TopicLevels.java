package io.mote.engine.match;

import io.mote.engine.topic.LevelTable;

import java.util.Arrays;

/**
 * Scratch for one topic split into levels: byte bounds of each level and, when asked, its interned
 * id ({@link LevelTable#NO_LEVEL} for a level the table does not know, which can then only be
 * matched by a wildcard). Reused for every row; owned by the matching thread.
 */
final class TopicLevels
{
    int count;
    int[] start = new int[16];
    int[] end = new int[16];
    int[] ids = new int[16];
    boolean dollar;

    /** Splits the topic; @return the number of levels. */
    int split(final byte[] topic, final int offset, final int length)
    {
        int n = 0;
        int levelStart = offset;
        final int limit = offset + length;
        for (int i = offset; i <= limit; i++)
        {
            if (i == limit || topic[i] == '/')
            {
                if (n == start.length)
                {
                    grow(n << 1);
                }
                start[n] = levelStart;
                end[n] = i;
                n++;
                levelStart = i + 1;
            }
        }
        count = n;
        dollar = length > 0 && topic[offset] == '$';
        return n;
    }

    /** Splits and looks every level up without interning anything. */
    int resolve(final byte[] topic, final int offset, final int length, final LevelTable levels)
    {
        final int n = split(topic, offset, length);
        for (int i = 0; i < n; i++)
        {
            ids[i] = levels.find(topic, start[i], end[i] - start[i]);
        }
        return n;
    }

    boolean isSingle(final byte[] topic, final int level, final byte character)
    {
        return end[level] - start[level] == 1 && topic[start[level]] == character;
    }

    private void grow(final int capacity)
    {
        start = Arrays.copyOf(start, capacity);
        end = Arrays.copyOf(end, capacity);
        ids = Arrays.copyOf(ids, capacity);
    }
}
