package io.mote.engine.match;

import io.mote.engine.Authorizer;
import io.mote.engine.pipeline.MatchResult;
import io.mote.engine.subscription.MatchConsumer;
import io.mote.engine.topic.Dialect;

import java.util.Arrays;

/**
 * Gathers, for one batch, which rows each subscriber gets: per mote subscription (one message per
 * subscription per batch), and per mqtt-dialect client (one message per row, once per client even
 * when several of its subscriptions overlap, at the highest QoS they grant).
 *
 * <p>Per-subscription and per-client row lists are intrusive linked lists in int arrays, stamped
 * with the batch number so nothing needs clearing between batches. Owner: the matching thread.
 */
final class DeliveryCollector implements MatchConsumer
{
    private final SubscriptionRegistry registry;
    private final Authorizer authorizer;

    private MatchResult result;
    private int row;
    private int rowQos;
    private int stamp;

    private int[] subStamp = new int[1024];
    private int[] subHead = new int[1024];
    private int[] subTail = new int[1024];
    private int[] touchedSubs = new int[64];
    private int touchedSubCount;

    private int[] clientStamp = new int[256];
    private int[] clientHead = new int[256];
    private int[] clientTail = new int[256];
    private int[] clientSubId = new int[256];
    private int[] touchedClients = new int[64];
    private int touchedClientCount;

    private int entries;
    private int[] entryRow = new int[256];
    private int[] entryQos = new int[256];
    private int[] entryNext = new int[256];

    DeliveryCollector(final SubscriptionRegistry registry, final Authorizer authorizer)
    {
        this.registry = registry;
        this.authorizer = authorizer;
    }

    void beginBatch(final MatchResult result)
    {
        this.result = result;
        stamp++;
        touchedSubCount = 0;
        touchedClientCount = 0;
        entries = 0;
        if (subStamp.length < registry.idCapacity())
        {
            final int capacity = registry.idCapacity();
            subStamp = Arrays.copyOf(subStamp, capacity);
            subHead = Arrays.copyOf(subHead, capacity);
            subTail = Arrays.copyOf(subTail, capacity);
        }
        if (clientStamp.length < registry.slotCapacity())
        {
            final int capacity = Math.max(registry.slotCapacity(), clientStamp.length << 1);
            clientStamp = Arrays.copyOf(clientStamp, capacity);
            clientHead = Arrays.copyOf(clientHead, capacity);
            clientTail = Arrays.copyOf(clientTail, capacity);
            clientSubId = Arrays.copyOf(clientSubId, capacity);
        }
    }

    /** The row the following {@link #onMatch} calls are about, with the QoS it was published at. */
    void row(final int row, final int publishQos)
    {
        this.row = row;
        this.rowQos = publishQos;
    }

    @Override
    public void onMatch(final int subscriptionId)
    {
        final SubscriptionRecord record = registry.record(subscriptionId);
        final byte[] bytes = result.bytes();
        if (!authorizer.mayRead(record.subscriberId(), bytes, result.rowTopicOffset(row), result.rowTopicLength(row)))
        {
            return;
        }
        if (record.dialect() == Dialect.MOTE)
        {
            final int entry = newEntry(row, record.qos());
            if (subStamp[subscriptionId] != stamp)
            {
                subStamp[subscriptionId] = stamp;
                subHead[subscriptionId] = entry;
                touchedSubs = push(touchedSubs, touchedSubCount++, subscriptionId);
            }
            else
            {
                entryNext[subTail[subscriptionId]] = entry;
            }
            subTail[subscriptionId] = entry;
            return;
        }
        final int slot = registry.clientSlot(subscriptionId);
        final int qos = Math.min(rowQos, record.qos());
        if (clientStamp[slot] != stamp)
        {
            clientStamp[slot] = stamp;
            clientSubId[slot] = subscriptionId;
            final int entry = newEntry(row, qos);
            clientHead[slot] = entry;
            clientTail[slot] = entry;
            touchedClients = push(touchedClients, touchedClientCount++, slot);
        }
        else if (entryRow[clientTail[slot]] == row)
        {
            final int tail = clientTail[slot];
            entryQos[tail] = Math.max(entryQos[tail], qos);
        }
        else
        {
            final int entry = newEntry(row, qos);
            entryNext[clientTail[slot]] = entry;
            clientTail[slot] = entry;
        }
    }

    /** Turns what was gathered into deliveries on the result, mote subscriptions first. */
    void endBatch()
    {
        for (int i = 0; i < touchedSubCount; i++)
        {
            final int subscriptionId = touchedSubs[i];
            final SubscriptionRecord record = registry.record(subscriptionId);
            final int delivery = result.beginDelivery(record.subscriberId(), record, false);
            for (int e = subHead[subscriptionId]; e != -1; e = entryNext[e])
            {
                result.addDeliveryRow(delivery, entryRow[e], entryQos[e]);
            }
        }
        for (int i = 0; i < touchedClientCount; i++)
        {
            final int slot = touchedClients[i];
            final SubscriptionRecord anyRecord = registry.record(clientSubId[slot]);
            final int delivery = result.beginDelivery(anyRecord.subscriberId(), null, false);
            for (int e = clientHead[slot]; e != -1; e = entryNext[e])
            {
                result.addDeliveryRow(delivery, entryRow[e], entryQos[e]);
            }
        }
        result = null;
    }

    private int newEntry(final int row, final int qos)
    {
        final int e = entries;
        if (e == entryRow.length)
        {
            entryRow = Arrays.copyOf(entryRow, e << 1);
            entryQos = Arrays.copyOf(entryQos, e << 1);
            entryNext = Arrays.copyOf(entryNext, e << 1);
        }
        entryRow[e] = row;
        entryQos[e] = qos;
        entryNext[e] = -1;
        entries = e + 1;
        return e;
    }

    private static int[] push(final int[] array, final int index, final int value)
    {
        final int[] target = index == array.length ? Arrays.copyOf(array, index << 1) : array;
        target[index] = value;
        return target;
    }
}
