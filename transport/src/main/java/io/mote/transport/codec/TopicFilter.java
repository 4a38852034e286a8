package io.mote.transport.codec;

import io.mote.engine.topic.Dialect;
import io.mote.engine.topic.FilterKind;
import io.mote.engine.topic.TopicSyntax;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A SUBSCRIBE or UNSUBSCRIBE filter exactly as sent, with what it means in the connection's dialect.
 *
 * <p>In the mote dialect a leading {@code /} is the sync marker (PROTOCOL.md §3): {@link #bytes()}
 * still holds it, {@link #sync()} reports it, and {@link #kind()} classifies the filter without it,
 * which is also the subscription's identity ({@link #identityOffset()} onwards).
 *
 * <p>An invalid filter is a value, not a decode error: SUBACK answers it with 0x80. Only ill-formed
 * UTF-8 makes the whole packet malformed, because MQTT-1.5.3-1 requires closing the connection.
 */
public final class TopicFilter
{
    private final byte[] bytes;
    private final boolean sync;
    private final FilterKind kind;

    private TopicFilter(final byte[] bytes, final boolean sync, final FilterKind kind)
    {
        this.bytes = bytes;
        this.sync = sync;
        this.kind = kind;
    }

    /**
     * Classifies a filter for a dialect.
     *
     * @param bytes   the filter as sent, including any sync marker; kept, not copied
     * @param dialect the connection's dialect
     */
    public static TopicFilter parse(final byte[] bytes, final Dialect dialect)
    {
        final boolean sync = TopicSyntax.hasSyncMarker(bytes, 0, bytes.length, dialect);
        final int offset = sync ? 1 : 0;
        return new TopicFilter(bytes, sync, TopicSyntax.classifyFilter(bytes, offset, bytes.length - offset, dialect));
    }

    /** Same as {@link #parse(byte[], Dialect)} for the UTF-8 encoding of a string. */
    public static TopicFilter parse(final String filter, final Dialect dialect)
    {
        return parse(filter.getBytes(StandardCharsets.UTF_8), dialect);
    }

    /** The filter as sent, sync marker included. Not copied: callers must not modify it. */
    public byte[] bytes()
    {
        return bytes;
    }

    /** True when a mote-dialect filter carried the sync marker. */
    public boolean sync()
    {
        return sync;
    }

    /** What the filter is without the marker; {@link FilterKind#isValid()} false means SUBACK 0x80. */
    public FilterKind kind()
    {
        return kind;
    }

    /** Where the subscription's identity (the filter without sync marker) starts in {@link #bytes()}. */
    public int identityOffset()
    {
        return sync ? 1 : 0;
    }

    /** Length of the identity that starts at {@link #identityOffset()}. */
    public int identityLength()
    {
        return bytes.length - identityOffset();
    }

    /** The filter as sent, decoded as UTF-8; for logs and tests. */
    public String text()
    {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof TopicFilter that
            && sync == that.sync && kind == that.kind && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(bytes) * 31 + kind.hashCode();
    }

    @Override
    public String toString()
    {
        return "TopicFilter[" + text() + ", " + kind + (sync ? ", sync]" : "]");
    }
}
