package io.mote.engine.topic;

/**
 * What a PUBLISH topic means, or why it is refused (PROTOCOL.md §1, §2, §6).
 */
public enum TopicKind
{
    /** One row on exactly this topic. */
    PLAIN(null),
    /** Fan-out against the retained tree: the topic holds {@code +} or {@code #} levels. */
    WILDCARD(null),
    /** Mote tree publish: the topic ends with {@code /}; the rest is the pattern. */
    TREE(null),

    EMPTY("topic is empty"),
    INVALID_UTF8("topic is not well-formed UTF-8 or contains U+0000"),
    WILDCARD_NOT_WHOLE_LEVEL("'+' or '#' is not a whole level"),
    HASH_NOT_LAST("'#' is not the last level"),
    EMPTY_LEVEL("topic has an empty level (not allowed in the mote dialect)"),
    HASH_IN_TREE_PATTERN("a tree publish pattern may not hold '#'"),
    EMPTY_TREE_PATTERN("a tree publish needs at least one pattern level");

    private final String problem;

    TopicKind(final String problem)
    {
        this.problem = problem;
    }

    public boolean isValid()
    {
        return problem == null;
    }

    /** Why the topic was refused, or null for a valid kind. */
    public String problem()
    {
        return problem;
    }
}
