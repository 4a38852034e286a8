package io.mote.engine.topic;

/**
 * Syntax of topic names and filters in both dialects (PROTOCOL.md §1, §6).
 *
 * <p>Stateless and allocation free; any thread may call it. In the mote dialect no level may be
 * empty, which frees a leading {@code /} on a filter to mean "sync" and a trailing {@code /} on a
 * topic to mean "tree publish". The mqtt dialect allows empty levels, as MQTT 3.1.1 does.
 */
public final class TopicSyntax
{
    public static final byte SEPARATOR = '/';
    public static final byte PLUS = '+';
    public static final byte HASH = '#';

    private TopicSyntax()
    {
    }

    /** Classifies a PUBLISH topic; a {@link TopicKind#TREE} topic's pattern is all but its last byte. */
    public static TopicKind classifyTopic(final byte[] topic, final int offset, final int length, final Dialect dialect)
    {
        if (length == 0)
        {
            return TopicKind.EMPTY;
        }
        if (!Utf8.isValidMqttString(topic, offset, length))
        {
            return TopicKind.INVALID_UTF8;
        }
        final int end = offset + length;
        final boolean tree = dialect == Dialect.MOTE && topic[end - 1] == SEPARATOR;
        final int patternEnd = tree ? end - 1 : end;
        if (tree && patternEnd == offset)
        {
            return TopicKind.EMPTY_TREE_PATTERN;
        }
        final int problems = scanLevels(topic, offset, patternEnd, dialect);
        if ((problems & EMPTY_LEVEL_SEEN) != 0)
        {
            return TopicKind.EMPTY_LEVEL;
        }
        if ((problems & PARTIAL_WILDCARD_SEEN) != 0)
        {
            return TopicKind.WILDCARD_NOT_WHOLE_LEVEL;
        }
        if ((problems & HASH_NOT_LAST_SEEN) != 0)
        {
            return TopicKind.HASH_NOT_LAST;
        }
        if (tree)
        {
            return (problems & HASH_SEEN) != 0 ? TopicKind.HASH_IN_TREE_PATTERN : TopicKind.TREE;
        }
        return (problems & (PLUS_SEEN | HASH_SEEN)) != 0 ? TopicKind.WILDCARD : TopicKind.PLAIN;
    }

    /**
     * True when a mote-dialect filter starts with the sync marker. The marker is stripped before
     * {@link #classifyFilter} is called; the subscription's identity is the filter without it.
     */
    public static boolean hasSyncMarker(final byte[] filter, final int offset, final int length, final Dialect dialect)
    {
        return dialect == Dialect.MOTE && length > 0 && filter[offset] == SEPARATOR;
    }

    /** Classifies a filter that no longer carries a sync marker. */
    public static FilterKind classifyFilter(final byte[] filter, final int offset, final int length, final Dialect dialect)
    {
        if (length == 0)
        {
            return FilterKind.EMPTY;
        }
        if (!Utf8.isValidMqttString(filter, offset, length))
        {
            return FilterKind.INVALID_UTF8;
        }
        final int problems = scanLevels(filter, offset, offset + length, dialect);
        if ((problems & EMPTY_LEVEL_SEEN) != 0)
        {
            return FilterKind.EMPTY_LEVEL;
        }
        if ((problems & PARTIAL_WILDCARD_SEEN) != 0)
        {
            return FilterKind.WILDCARD_NOT_WHOLE_LEVEL;
        }
        if ((problems & HASH_NOT_LAST_SEEN) != 0)
        {
            return FilterKind.HASH_NOT_LAST;
        }
        return (problems & (PLUS_SEEN | HASH_SEEN)) != 0 ? FilterKind.WILDCARD : FilterKind.EXACT;
    }

    /** Number of levels in a topic or filter: separators plus one. */
    public static int levelCount(final byte[] topic, final int offset, final int length)
    {
        int count = 1;
        for (int i = offset, end = offset + length; i < end; i++)
        {
            if (topic[i] == SEPARATOR)
            {
                count++;
            }
        }
        return count;
    }

    private static final int PLUS_SEEN = 1;
    private static final int HASH_SEEN = 2;
    private static final int EMPTY_LEVEL_SEEN = 4;
    private static final int PARTIAL_WILDCARD_SEEN = 8;
    private static final int HASH_NOT_LAST_SEEN = 16;

    private static int scanLevels(final byte[] text, final int offset, final int end, final Dialect dialect)
    {
        int flags = 0;
        int levelStart = offset;
        for (int i = offset; i <= end; i++)
        {
            if (i == end || text[i] == SEPARATOR)
            {
                final int levelLength = i - levelStart;
                if (levelLength == 0 && dialect == Dialect.MOTE)
                {
                    flags |= EMPTY_LEVEL_SEEN;
                }
                if (levelLength == 1 && text[levelStart] == PLUS)
                {
                    flags |= PLUS_SEEN;
                }
                else if (levelLength == 1 && text[levelStart] == HASH)
                {
                    flags |= HASH_SEEN;
                    if (i != end)
                    {
                        flags |= HASH_NOT_LAST_SEEN;
                    }
                }
                else
                {
                    for (int k = levelStart; k < i; k++)
                    {
                        if (text[k] == PLUS || text[k] == HASH)
                        {
                            flags |= PARTIAL_WILDCARD_SEEN;
                        }
                    }
                }
                levelStart = i + 1;
            }
        }
        return flags;
    }
}
