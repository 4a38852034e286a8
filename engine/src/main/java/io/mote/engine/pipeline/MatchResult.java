package io.mote.engine.pipeline;

import io.mote.engine.match.SubscriptionRecord;

import java.util.Arrays;

/**
 * What the matching thread decided for one ring event: the effective rows (expanded, de-duplicated
 * and applied), the messages each subscriber gets, the retained changes for the journal, and the
 * acknowledgements.
 *
 * <p>Ownership: written only by the matching thread while it holds the event; afterwards read by
 * the encoding, journal and acknowledgement threads, which run behind the matcher's sequence, so
 * the ring's memory barriers publish everything here. Nothing here refers to the retained tree or
 * the level table: row bytes are copied in, and subscription records are immutable.
 */
public final class MatchResult
{
    public static final int ROW_DELETE = 1;
    /** Superseded by a later row with the same topic in the same batch: last value wins. */
    public static final int ROW_DEAD = 2;
    public static final int ROW_RETAIN = 4;

    private final ByteStore bytes = new ByteStore(8192);

    int rows;
    int[] rowTopicOffset = new int[64];
    int[] rowTopicLength = new int[64];
    int[] rowPayloadOffset = new int[64];
    int[] rowPayloadLength = new int[64];
    int[] rowFlags = new int[64];
    byte[] rowQos = new byte[64];

    int deliveries;
    long[] deliverySubscriber = new long[16];
    SubscriptionRecord[] deliveryRecord = new SubscriptionRecord[16];
    boolean[] deliverySnapshot = new boolean[16];
    int[] deliveryRowStart = new int[16];
    int[] deliveryRowCount = new int[16];

    int deliveryRows;
    int[] deliveryRow = new int[64];
    byte[] deliveryRowQos = new byte[64];

    int changes;
    int[] changeRow = new int[64];

    int acks;
    long[] ackClient = new long[16];
    int[] ackPacketId = new int[16];
    byte[] ackQos = new byte[16];
    String[] ackRejection = new String[16];

    public void clear()
    {
        bytes.clear();
        rows = 0;
        Arrays.fill(deliveryRecord, 0, deliveries, null);
        deliveries = 0;
        deliveryRows = 0;
        changes = 0;
        Arrays.fill(ackRejection, 0, acks, null);
        acks = 0;
    }

    public int addRow(final byte[] topic, final int topicOffset, final int topicLength, final byte[] payload, final int payloadOffset, final int payloadLength, final int flags, final int qos)
    {
        final int r = rows;
        if (r == rowTopicOffset.length)
        {
            growRows(r << 1);
        }
        rowTopicOffset[r] = bytes.append(topic, topicOffset, topicLength);
        rowTopicLength[r] = topicLength;
        rowPayloadOffset[r] = bytes.append(payload, payloadOffset, payloadLength);
        rowPayloadLength[r] = payloadLength;
        rowFlags[r] = flags;
        rowQos[r] = (byte)qos;
        rows = r + 1;
        return r;
    }

    /** Starts a row whose topic the caller writes into {@link #bytes} itself; payload added later. */
    public int beginRow(final int topicLength)
    {
        final int r = rows;
        if (r == rowTopicOffset.length)
        {
            growRows(r << 1);
        }
        rowTopicOffset[r] = bytes.reserve(topicLength);
        rowTopicLength[r] = topicLength;
        rowPayloadOffset[r] = 0;
        rowPayloadLength[r] = 0;
        rowFlags[r] = 0;
        rowQos[r] = 0;
        rows = r + 1;
        return r;
    }

    public void rowPayload(final int row, final byte[] payload, final int offset, final int length, final int flags, final int qos)
    {
        rowPayloadOffset[row] = bytes.append(payload, offset, length);
        rowPayloadLength[row] = length;
        rowFlags[row] = flags;
        rowQos[row] = (byte)qos;
    }

    /** Forgets rows from {@code row} on: a publish refused after its rows were gathered. */
    public void truncateRows(final int row)
    {
        rows = row;
    }

    public boolean rowIsDead(final int row)
    {
        return (rowFlags[row] & ROW_DEAD) != 0;
    }

    public void markDead(final int row)
    {
        rowFlags[row] |= ROW_DEAD;
    }

    public void addChange(final int row)
    {
        if (changes == changeRow.length)
        {
            changeRow = Arrays.copyOf(changeRow, changes << 1);
        }
        changeRow[changes++] = row;
    }

    public int beginDelivery(final long subscriber, final SubscriptionRecord record, final boolean snapshot)
    {
        final int d = deliveries;
        if (d == deliverySubscriber.length)
        {
            final int capacity = d << 1;
            deliverySubscriber = Arrays.copyOf(deliverySubscriber, capacity);
            deliveryRecord = Arrays.copyOf(deliveryRecord, capacity);
            deliverySnapshot = Arrays.copyOf(deliverySnapshot, capacity);
            deliveryRowStart = Arrays.copyOf(deliveryRowStart, capacity);
            deliveryRowCount = Arrays.copyOf(deliveryRowCount, capacity);
        }
        deliverySubscriber[d] = subscriber;
        deliveryRecord[d] = record;
        deliverySnapshot[d] = snapshot;
        deliveryRowStart[d] = deliveryRows;
        deliveryRowCount[d] = 0;
        deliveries = d + 1;
        return d;
    }

    public void addDeliveryRow(final int delivery, final int row, final int qos)
    {
        final int i = deliveryRows;
        if (i == deliveryRow.length)
        {
            deliveryRow = Arrays.copyOf(deliveryRow, i << 1);
            deliveryRowQos = Arrays.copyOf(deliveryRowQos, i << 1);
        }
        deliveryRow[i] = row;
        deliveryRowQos[i] = (byte)qos;
        deliveryRows = i + 1;
        deliveryRowCount[delivery]++;
    }

    public void addAck(final long client, final int packetId, final int qos, final String rejection)
    {
        final int a = acks;
        if (a == ackClient.length)
        {
            final int capacity = a << 1;
            ackClient = Arrays.copyOf(ackClient, capacity);
            ackPacketId = Arrays.copyOf(ackPacketId, capacity);
            ackQos = Arrays.copyOf(ackQos, capacity);
            ackRejection = Arrays.copyOf(ackRejection, capacity);
        }
        ackClient[a] = client;
        ackPacketId[a] = packetId;
        ackQos[a] = (byte)qos;
        ackRejection[a] = rejection;
        acks = a + 1;
    }

    private void growRows(final int capacity)
    {
        rowTopicOffset = Arrays.copyOf(rowTopicOffset, capacity);
        rowTopicLength = Arrays.copyOf(rowTopicLength, capacity);
        rowPayloadOffset = Arrays.copyOf(rowPayloadOffset, capacity);
        rowPayloadLength = Arrays.copyOf(rowPayloadLength, capacity);
        rowFlags = Arrays.copyOf(rowFlags, capacity);
        rowQos = Arrays.copyOf(rowQos, capacity);
    }

    /** The byte area rows live in; the matching thread writes topics into it after {@link #beginRow}. */
    public ByteStore store()
    {
        return bytes;
    }

    // Read side, for the encoding, journal and acknowledgement stages.

    public byte[] bytes()
    {
        return bytes.array();
    }

    public int rowCount()
    {
        return rows;
    }

    public int rowTopicOffset(final int row)
    {
        return rowTopicOffset[row];
    }

    public int rowTopicLength(final int row)
    {
        return rowTopicLength[row];
    }

    public int rowPayloadOffset(final int row)
    {
        return rowPayloadOffset[row];
    }

    public int rowPayloadLength(final int row)
    {
        return rowPayloadLength[row];
    }

    public boolean rowIsDelete(final int row)
    {
        return (rowFlags[row] & ROW_DELETE) != 0;
    }

    public int rowQos(final int row)
    {
        return rowQos[row];
    }

    public int deliveryCount()
    {
        return deliveries;
    }

    public long deliverySubscriber(final int delivery)
    {
        return deliverySubscriber[delivery];
    }

    /** The mote subscription the message is for; null for an mqtt-dialect delivery of plain rows. */
    public SubscriptionRecord deliveryRecord(final int delivery)
    {
        return deliveryRecord[delivery];
    }

    public boolean deliveryIsSnapshot(final int delivery)
    {
        return deliverySnapshot[delivery];
    }

    public int deliveryRowStart(final int delivery)
    {
        return deliveryRowStart[delivery];
    }

    public int deliveryRowCount(final int delivery)
    {
        return deliveryRowCount[delivery];
    }

    public int deliveryRow(final int index)
    {
        return deliveryRow[index];
    }

    public int deliveryRowQos(final int index)
    {
        return deliveryRowQos[index];
    }

    /** Number of retained row changes, in the order they were applied. */
    public int changeCount()
    {
        return changes;
    }

    public int changeRow(final int index)
    {
        return changeRow[index];
    }

    public int ackCount()
    {
        return acks;
    }

    public long ackClient(final int index)
    {
        return ackClient[index];
    }

    public int ackPacketId(final int index)
    {
        return ackPacketId[index];
    }

    public int ackQos(final int index)
    {
        return ackQos[index];
    }

    /** Why the publish was refused (the connection should be closed), or null when accepted. */
    public String ackRejection(final int index)
    {
        return ackRejection[index];
    }
}
