package io.mote.persistence;

import io.mote.engine.pipeline.MatchResult;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** One retained row change in a test: a set, or a delete when {@code payload} is null. */
record Change(String topic, String payload, int qos)
{
    static Change set(final String topic, final String payload, final int qos)
    {
        return new Change(topic, payload, qos);
    }

    static Change delete(final String topic)
    {
        return new Change(topic, null, 0);
    }

    /** The MatchResult the engine would hand the journal for these changes, in order. */
    static MatchResult event(final List<Change> changes)
    {
        final MatchResult result = new MatchResult();
        for (final Change change : changes)
        {
            final byte[] topic = change.topic.getBytes(StandardCharsets.UTF_8);
            final byte[] payload = change.payload == null ? new byte[0] : change.payload.getBytes(StandardCharsets.UTF_8);
            final int row = result.addRow(topic, 0, topic.length, payload, 0, payload.length,
                change.payload == null ? MatchResult.ROW_DELETE : MatchResult.ROW_RETAIN, change.qos);
            result.addChange(row);
        }
        return result;
    }

    /** Applies the change to a model of the retained rows: topic to "qos:payload". */
    void applyTo(final Map<String, String> model)
    {
        if (payload == null)
        {
            model.remove(topic);
        }
        else
        {
            model.put(topic, qos + ":" + payload);
        }
    }
}
