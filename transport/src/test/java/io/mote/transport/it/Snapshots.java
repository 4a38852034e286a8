package io.mote.transport.it;

import io.mote.engine.Json;
import io.mote.engine.topic.Dialect;
import io.mote.transport.server.BrokerFixture;

import java.util.Map;

/** What the broker has retained, as a client sees it. */
final class Snapshots
{
    private Snapshots()
    {
    }

    /**
     * Every retained row (topic to payload text), read the way PROTOCOL.md §3 offers it: a fresh
     * mote-dialect client's sync subscription to {@code /#}, whose one snapshot message is flattened.
     */
    static Map<String, String> retainedRows(final BrokerFixture broker) throws Exception
    {
        try (RawMqttClient reader = RawMqttClient.connected(broker.port(), Dialect.MOTE, "it-snapshot-reader"))
        {
            final int[] codes = reader.subscribe(0, "/#");
            if (codes[0] != 0)
            {
                throw new AssertionError("sync subscription to /# refused: " + codes[0]);
            }
            final RawMqttClient.Received snapshot = reader.take();
            if (!snapshot.topic().equals("#") || !snapshot.retain())
            {
                throw new AssertionError("expected the retained snapshot on topic #, got " + snapshot);
            }
            reader.disconnect();
            return Json.flatten("", Json.parse(snapshot.payload()));
        }
    }
}
