package io.mote.persistence;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Retained rows in memory, keyed by topic bytes: what the compactor folds a snapshot and the journal
 * into, without the engine. Applying a row with an empty payload deletes it, as the engine does.
 *
 * <p>Not thread-safe: owned by the compactor thread (or by recovery while it repairs).
 */
public final class RetainedRows implements RowSink, RowSource
{
    private final Map<Key, Value> rows = new HashMap<>();

    private record Value(byte[] payload, byte qos)
    {
    }

    /** A topic as a map key; equality by content. */
    private static final class Key
    {
        private final byte[] topic;
        private final int hash;

        Key(final byte[] topic)
        {
            this.topic = topic;
            this.hash = Arrays.hashCode(topic);
        }

        @Override
        public boolean equals(final Object other)
        {
            return other instanceof Key key && Arrays.equals(topic, key.topic);
        }

        @Override
        public int hashCode()
        {
            return hash;
        }
    }

    @Override
    public void accept(final byte[] topic, final int topicOffset, final int topicLength, final byte[] payload, final int payloadOffset, final int payloadLength, final int qos)
    {
        final Key key = new Key(Arrays.copyOfRange(topic, topicOffset, topicOffset + topicLength));
        if (payloadLength == 0)
        {
            rows.remove(key);
        }
        else
        {
            rows.put(key, new Value(Arrays.copyOfRange(payload, payloadOffset, payloadOffset + payloadLength), (byte)qos));
        }
    }

    /**
     * Hands the rows out in ascending unsigned byte order of their topics, which is tree order: the
     * engine restores a sorted snapshot without child-index lookups (see the engine's
     * {@code RetainedRestorer}), so the compactor pays for the sort once in the background instead
     * of every restart paying random lookups.
     */
    @Override
    public void forEachRow(final RowSink sink)
    {
        @SuppressWarnings("unchecked")
        final Map.Entry<Key, Value>[] sorted = rows.entrySet().toArray(new Map.Entry[0]);
        Arrays.sort(sorted, (a, b) -> Arrays.compareUnsigned(a.getKey().topic, b.getKey().topic));
        for (final Map.Entry<Key, Value> row : sorted)
        {
            final byte[] topic = row.getKey().topic;
            final Value value = row.getValue();
            sink.accept(topic, 0, topic.length, value.payload, 0, value.payload.length, value.qos);
        }
    }

    /** Rows held now. */
    public int size()
    {
        return rows.size();
    }
}
