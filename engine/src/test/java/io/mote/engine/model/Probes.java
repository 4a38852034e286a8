package io.mote.engine.model;

import io.mote.engine.CollectingOutbound;
import io.mote.engine.EngineHarness;
import io.mote.engine.Json;
import io.mote.engine.topic.Dialect;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading an engine's state the way a client would, for the model properties. */
final class Probes
{
    private static final String PROBE = "\u0000model-probe";

    private Probes()
    {
    }

    /**
     * Every retained row, '$' rows included: {@link EngineHarness#retainedRows()} reads {@code /#},
     * which by the '$' rule leaves out topics starting with '$', so each '$' level of the alphabet
     * is read apart. Drops any message waiting in the harness.
     */
    static TreeMap<String, String> allRetained(final EngineHarness harness)
    {
        final TreeMap<String, String> rows = new TreeMap<>(snapshot(harness, "#"));
        for (final String level : Ops.LEVELS)
        {
            if (level.startsWith("$"))
            {
                rows.putAll(snapshot(harness, level + "/#"));
                rows.putAll(snapshot(harness, level));
            }
        }
        return rows;
    }

    /** The rows of a sync subscription's snapshot to the filter, by topic; the probe leaves after. */
    static Map<String, String> snapshot(final EngineHarness harness, final String filter)
    {
        harness.messages();
        harness.connect(PROBE, Dialect.MOTE);
        assertThat(harness.subscribe(PROBE, "/" + filter, 0).isValid()).as("filter %s", filter).isTrue();
        final List<CollectingOutbound.Message> messages = harness.messages();
        harness.disconnect(PROBE);
        harness.disconnectedClients().remove(PROBE);
        assertThat(messages).as("snapshot of %s", filter).hasSize(1);
        final CollectingOutbound.Message m = messages.get(0);
        final Map<String, String> rows = new TreeMap<>();
        if (!filter.contains("+") && !filter.contains("#"))
        {
            if (m.payload().length > 0)
            {
                rows.put(filter, m.payloadText());
            }
            return rows;
        }
        final Object json = Json.parse(m.payload());
        for (final Map.Entry<String, String> row : Json.flatten("", json).entrySet())
        {
            rows.put(topicOf(filter, row.getKey()), row.getValue());
        }
        return rows;
    }

    /** The topic a row of a wildcard filter's JSON stands for, from its key path (§3.1). */
    static String topicOf(final String filter, final String keyPath)
    {
        final List<String> f = MoteModel.levels(filter);
        final List<String> keys = MoteModel.levels(keyPath);
        final StringBuilder topic = new StringBuilder();
        int k = 0;
        for (final String level : f)
        {
            final String part = level.equals("+") ? keys.get(k++) : level.equals("#") ? String.join("/", keys.subList(k, keys.size())) : level;
            topic.append(topic.length() == 0 ? "" : "/").append(part);
        }
        return topic.toString();
    }
}
