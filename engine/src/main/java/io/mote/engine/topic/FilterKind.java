package io.mote.engine.topic;

/**
 * What a SUBSCRIBE or UNSUBSCRIBE filter is, once any sync marker is stripped, or why it is refused.
 */
public enum FilterKind
{
    /** No wildcard: matches one topic. */
    EXACT(null),
    /** Holds {@code +} and/or a trailing {@code #}. */
    WILDCARD(null),

    EMPTY("filter is empty"),
    INVALID_UTF8("filter is not well-formed UTF-8 or contains U+0000"),
    WILDCARD_NOT_WHOLE_LEVEL("'+' or '#' is not a whole level"),
    HASH_NOT_LAST("'#' is not the last level"),
    EMPTY_LEVEL("filter has an empty level (not allowed in the mote dialect)");

    private final String problem;

    FilterKind(final String problem)
    {
        this.problem = problem;
    }

    public boolean isValid()
    {
        return problem == null;
    }

    /** Why the filter was refused, or null for a valid kind. */
    public String problem()
    {
        return problem;
    }
}
