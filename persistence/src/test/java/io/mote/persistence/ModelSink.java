package io.mote.persistence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Collects what a reader hands over: every row change in order, and the resulting rows. */
final class ModelSink implements RowSink
{
    final List<Change> changes = new ArrayList<>();
    final TreeMap<String, String> rows = new TreeMap<>();

    @Override
    public void accept(final byte[] topic, final int topicOffset, final int topicLength, final byte[] payload, final int payloadOffset, final int payloadLength, final int qos)
    {
        final String t = new String(topic, topicOffset, topicLength, StandardCharsets.UTF_8);
        final Change change = payloadLength == 0 ? Change.delete(t) : Change.set(t, new String(payload, payloadOffset, payloadLength, StandardCharsets.UTF_8), qos);
        changes.add(change);
        change.applyTo(rows);
    }
}
