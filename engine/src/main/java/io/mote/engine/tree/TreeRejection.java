package io.mote.engine.tree;

/**
 * Why a tree publish (PROTOCOL.md §2.3) was rejected whole. The broker logs the reason and
 * closes the publishing connection (§6); no row of a rejected payload may be applied.
 */
public enum TreeRejection {
    /** The payload is not RFC 8259 JSON (syntax error, bad escape, bad number, raw control character, early end). */
    NOT_JSON,
    /** The payload is JSON but its top-level value is not an object. */
    NOT_AN_OBJECT,
    /** An array appears somewhere in the payload; tree publishes have no array form. */
    ARRAY_NOT_ALLOWED,
    /** A key is not a valid topic level: empty, or holds '/', '+', '#' or U+0000. */
    INVALID_KEY,
    /** A string holds bytes that are not UTF-8, or a \\u escape of a lone surrogate (not encodable as UTF-8). */
    INVALID_UTF8,
    /** The own-value key "/" appears in an object keyed by a '+' level that is not the pattern's last. */
    OWN_VALUE_KEY_BEFORE_PATTERN_END,
    /** The own-value key "/" holds an object; a node's own value must be a string, number, boolean or null. */
    OWN_VALUE_NOT_SCALAR,
    /** A value that a later '+' level of the pattern must spread is not an object. */
    NON_OBJECT_AT_WILDCARD_LEVEL,
    /** The pattern has a '#' level, which tree publishes do not allow. */
    HASH_IN_PATTERN,
    /** The top-level "/" directive has a value other than the string "+". */
    UNKNOWN_DIRECTIVE,
    /** The replace directive was sent without the retain flag. */
    REPLACE_WITHOUT_RETAIN,
    /** Objects nest deeper than {@link TreeLimits#maxDepth()}. */
    TOO_DEEP,
    /** The payload spreads into more than {@link TreeLimits#maxRows()} rows. */
    TOO_MANY_ROWS,
    /** The payload is longer than {@link TreeLimits#maxPayloadBytes()}. */
    TOO_LARGE,
    /** A row topic would be longer than the 65 535 bytes an MQTT topic can hold. */
    TOPIC_TOO_LONG,
    /** Something other than whitespace follows the top-level object. */
    TRAILING_DATA
}
