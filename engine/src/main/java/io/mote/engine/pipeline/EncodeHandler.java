package io.mote.engine.pipeline;

import com.dslplatform.json.JsonWriter;
import com.lmax.disruptor.EventHandler;
import io.mote.engine.Outbound;
import io.mote.engine.json.TreePayloadWriter;
import io.mote.engine.match.SubscriptionRecord;

/**
 * Turns the matcher's deliveries into messages: one JSON tree (or raw payload, for a filter without
 * wildcards) per mote subscription, one message per row for the mqtt dialect. Flushes the
 * {@link Outbound} once per run of events so writes coalesce. Owner of its scratch: this thread.
 */
final class EncodeHandler implements EventHandler<RingEvent>
{
    private static final byte[] EMPTY = new byte[0];

    private final Outbound outbound;
    private final TreePayloadWriter treeWriter = new TreePayloadWriter();
    private long messages;

    EncodeHandler(final Outbound outbound)
    {
        this.outbound = outbound;
    }

    @Override
    public void onEvent(final RingEvent event, final long sequence, final boolean endOfBatch)
    {
        final MatchResult result = event.result;
        for (int d = 0, n = result.deliveryCount(); d < n; d++)
        {
            final SubscriptionRecord record = result.deliveryRecord(d);
            if (record == null)
            {
                deliverRows(result, d);
            }
            else
            {
                deliverTree(result, d, record);
            }
        }
        if (endOfBatch)
        {
            outbound.flush();
        }
    }

    private void deliverRows(final MatchResult result, final int delivery)
    {
        final byte[] bytes = result.bytes();
        final long subscriber = result.deliverySubscriber(delivery);
        final long publisher = result.deliveryPublisher(delivery);
        final boolean retain = result.deliveryIsSnapshot(delivery);
        for (int i = result.deliveryRowStart(delivery), end = i + result.deliveryRowCount(delivery); i < end; i++)
        {
            final int row = result.deliveryRow(i);
            outbound.deliver(subscriber, bytes, result.rowTopicOffset(row), result.rowTopicLength(row),
                bytes, result.rowPayloadOffset(row), result.rowPayloadLength(row), result.deliveryRowQos(i), retain, publisher);
            messages++;
        }
    }

    private void deliverTree(final MatchResult result, final int delivery, final SubscriptionRecord record)
    {
        final byte[] filter = record.filter();
        final long subscriber = result.deliverySubscriber(delivery);
        final long publisher = result.deliveryPublisher(delivery);
        final boolean snapshot = result.deliveryIsSnapshot(delivery);
        if (record.isWildcard())
        {
            final JsonWriter json = treeWriter.write(result, delivery, record, snapshot);
            outbound.deliver(subscriber, filter, 0, filter.length, json.getByteBuffer(), 0, json.size(), record.qos(), snapshot, publisher);
        }
        else
        {
            final int count = result.deliveryRowCount(delivery);
            if (count == 0)
            {
                outbound.deliver(subscriber, filter, 0, filter.length, EMPTY, 0, 0, record.qos(), snapshot, publisher);
            }
            else
            {
                final int row = result.deliveryRow(result.deliveryRowStart(delivery) + count - 1);
                outbound.deliver(subscriber, filter, 0, filter.length,
                    result.bytes(), result.rowPayloadOffset(row), result.rowPayloadLength(row), record.qos(), snapshot, publisher);
            }
        }
        messages++;
    }

    long messages()
    {
        return messages;
    }
}
