package io.mote.engine.tree;

import java.util.Arrays;

/**
 * The levels of a tree publish pattern, split once per parse into reusable arrays.
 * Owned by the thread that owns its {@link TreePublishParser}.
 */
final class PatternLevels {
    private byte[] bytes;
    private int count;
    private int[] start = new int[8];
    private int[] end = new int[8];
    /** nextWildcard[i] = the first '+' level at or after i, or count; one extra slot for i == count. */
    private int[] nextWildcard = new int[9];

    /**
     * Splits {@code pattern[offset, offset + length)} at '/'. An empty pattern has no levels, so
     * the payload's top-level keys are the first levels of the row topics.
     *
     * @return false when a level is '#'
     */
    boolean split(byte[] pattern, int offset, int length) {
        bytes = pattern;
        count = 0;
        if (length == 0) {
            nextWildcard[0] = 0;
            return true;
        }
        final int limit = offset + length;
        int levelStart = offset;
        for (int i = offset; i <= limit; i++) {
            if (i == limit || pattern[i] == '/') {
                if (i - levelStart == 1 && pattern[levelStart] == '#') {
                    return false;
                }
                add(levelStart, i);
                levelStart = i + 1;
            }
        }
        int next = count;
        nextWildcard[count] = count;
        for (int i = count - 1; i >= 0; i--) {
            if (isWildcard(i)) {
                next = i;
            }
            nextWildcard[i] = next;
        }
        return true;
    }

    private void add(int from, int to) {
        if (count == start.length) {
            start = Arrays.copyOf(start, count * 2);
            end = Arrays.copyOf(end, count * 2);
            nextWildcard = Arrays.copyOf(nextWildcard, count * 2 + 1);
        }
        start[count] = from;
        end[count] = to;
        count++;
    }

    /** Drops the reference to the caller's pattern array once a parse is over. */
    void release() {
        bytes = null;
    }

    int count() {
        return count;
    }

    boolean isWildcard(int level) {
        return end[level] - start[level] == 1 && bytes[start[level]] == '+';
    }

    int nextWildcard(int level) {
        return nextWildcard[level];
    }

    /**
     * Appends static levels [from, to) to {@code topic} at {@code topicLength}, each preceded by
     * '/' unless it is level 0.
     *
     * @return the new topic length, or -1 when it would pass {@code limit}
     */
    int appendStatic(int from, int to, byte[] topic, int topicLength, int limit) {
        int t = topicLength;
        for (int level = from; level < to; level++) {
            final int n = end[level] - start[level];
            final int sep = level == 0 ? 0 : 1;
            if (t + sep + n > limit) {
                return -1;
            }
            if (sep == 1) {
                topic[t++] = '/';
            }
            System.arraycopy(bytes, start[level], topic, t, n);
            t += n;
        }
        return t;
    }
}
