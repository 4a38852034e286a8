package io.mote.engine.match;

import io.mote.engine.subscription.SubscriptionTrie;
import io.mote.engine.topic.Dialect;
import org.agrona.collections.IntArrayList;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Who is subscribed to what: subscription identities (subscriber, filter without sync marker) to
 * records, kept in step with the {@link SubscriptionTrie} that does the matching.
 *
 * <p>Owner: the matching thread. Subscribes are not the hot path, so identities are plain objects;
 * the per-row path only reads {@link #record(int)} and {@link #clientSlot(int)}.
 */
public final class SubscriptionRegistry
{
    private final SubscriptionTrie trie;
    private final Long2ObjectHashMap<Client> clients = new Long2ObjectHashMap<>();
    private final IntArrayList freeIds = new IntArrayList();
    private final IntArrayList freeSlots = new IntArrayList();
    private SubscriptionRecord[] records = new SubscriptionRecord[1024];
    private int[] slotOfRecord = new int[1024];
    private int nextId;
    private int nextSlot;
    private int size;

    public SubscriptionRegistry(final SubscriptionTrie trie)
    {
        this.trie = trie;
    }

    /**
     * Adds the subscription, or replaces the QoS of an existing one with the same identity.
     *
     * @param filter the filter without sync marker, already validated for the dialect; kept by reference
     */
    public SubscriptionRecord subscribe(final long subscriberId, final byte[] filter, final Dialect dialect, final int qos)
    {
        Client client = clients.get(subscriberId);
        if (client == null)
        {
            client = new Client(freeSlots.isEmpty() ? nextSlot++ : freeSlots.popInt());
            clients.put(subscriberId, client);
        }
        final FilterKey key = new FilterKey(filter);
        final SubscriptionRecord existing = client.byFilter.get(key);
        if (existing != null)
        {
            final SubscriptionRecord updated = existing.withQos(qos);
            records[existing.id()] = updated;
            client.byFilter.put(key, updated);
            return updated;
        }
        final int id = freeIds.isEmpty() ? nextId++ : freeIds.popInt();
        if (id >= records.length)
        {
            records = Arrays.copyOf(records, records.length << 1);
            slotOfRecord = Arrays.copyOf(slotOfRecord, records.length);
        }
        final SubscriptionRecord record = new SubscriptionRecord(id, subscriberId, filter, dialect, qos);
        records[id] = record;
        slotOfRecord[id] = client.slot;
        client.byFilter.put(key, record);
        trie.add(id, filter, 0, filter.length, dialect);
        size++;
        return record;
    }

    /** Removes the subscription with this identity; @return it, or null when there was none. */
    public SubscriptionRecord unsubscribe(final long subscriberId, final byte[] filter, final int offset, final int length)
    {
        final Client client = clients.get(subscriberId);
        if (client == null)
        {
            return null;
        }
        final SubscriptionRecord record = client.byFilter.remove(new FilterKey(Arrays.copyOfRange(filter, offset, offset + length)));
        if (record != null)
        {
            release(record);
            if (client.byFilter.isEmpty())
            {
                dropClient(subscriberId, client);
            }
        }
        return record;
    }

    /** Removes every subscription of the subscriber; @return how many there were. */
    public int unsubscribeAll(final long subscriberId)
    {
        final Client client = clients.get(subscriberId);
        if (client == null)
        {
            return 0;
        }
        final int removed = client.byFilter.size();
        for (final SubscriptionRecord record : client.byFilter.values())
        {
            release(record);
        }
        dropClient(subscriberId, client);
        return removed;
    }

    public SubscriptionRecord record(final int id)
    {
        return records[id];
    }

    /** Dense per-subscriber slot of the subscription's owner, for per-client scratch arrays. */
    public int clientSlot(final int id)
    {
        return slotOfRecord[id];
    }

    /** Upper bound (exclusive) of subscription ids in use, for sizing scratch arrays. */
    public int idCapacity()
    {
        return records.length;
    }

    /** Upper bound (exclusive) of client slots in use. */
    public int slotCapacity()
    {
        return nextSlot;
    }

    public int size()
    {
        return size;
    }

    public int subscriberCount()
    {
        return clients.size();
    }

    private void release(final SubscriptionRecord record)
    {
        trie.remove(record.id());
        records[record.id()] = null;
        freeIds.addInt(record.id());
        size--;
    }

    private void dropClient(final long subscriberId, final Client client)
    {
        clients.remove(subscriberId);
        freeSlots.addInt(client.slot);
    }

    private static final class Client
    {
        final int slot;
        final Map<FilterKey, SubscriptionRecord> byFilter = new HashMap<>(4);

        Client(final int slot)
        {
            this.slot = slot;
        }
    }

    private static final class FilterKey
    {
        private final byte[] filter;
        private final int hash;

        FilterKey(final byte[] filter)
        {
            this.filter = filter;
            this.hash = Arrays.hashCode(filter);
        }

        @Override
        public boolean equals(final Object other)
        {
            return other instanceof FilterKey && Arrays.equals(filter, ((FilterKey)other).filter);
        }

        @Override
        public int hashCode()
        {
            return hash;
        }
    }
}
