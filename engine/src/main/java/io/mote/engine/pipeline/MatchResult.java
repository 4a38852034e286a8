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
    public static final int ROW_DELETE = RowTable.DELETE;
    public static final int ROW_DEAD = RowTable.DEAD;
    public static final int ROW_RETAIN = RowTable.RETAIN;

    private final ByteStore bytes = new ByteStore(8192);

    private final RowTable rows = new RowTable();

    /** Like {@link CommandBatch}'s start: one result per ring slot, each growing on its own. */
    private static final int INITIAL_DELIVERIES = 64;

    int deliveries;
    long[] deliverySubscriber = new long[INITIAL_DELIVERIES];
    long[] deliveryPublisher = new long[INITIAL_DELIVERIES];
    SubscriptionRecord[] deliveryRecord = new SubscriptionRecord[INITIAL_DELIVERIES];
    boolean[] deliverySnapshot = new boolean[INITIAL_DELIVERIES];
    int[] deliveryRowStart = new int[INITIAL_DELIVERIES];
    int[] deliveryRowCount = new int[INITIAL_DELIVERIES];

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
        rows.clear();
        Arrays.fill(deliveryRecord, 0, deliveries, null);
        deliveries = 0;
        deliveryRows = 0;
        changes = 0;
        Arrays.fill(ackRejection, 0, acks, null);
        acks = 0;
        if (deliveryRow.length > RowTable.RETAINED_ROWS)
        {
            deliveryRow = new int[64];
            deliveryRowQos = new byte[64];
        }
    }

    /** Makes room for a snapshot of {@code rows} rows holding about {@code bytes} bytes, in one step. */
    public void ensureSpare(final int rows, final int bytes)
    {
        this.rows.ensureSpare(rows);
        this.bytes.ensureSpare(bytes);
        if (deliveryRows + rows > deliveryRow.length)
        {
            deliveryRow = Arrays.copyOf(deliveryRow, deliveryRows + rows);
            deliveryRowQos = Arrays.copyOf(deliveryRowQos, deliveryRows + rows);
        }
    }

    public int addRow(final byte[] topic, final int topicOffset, final int topicLength, final byte[] payload, final int payloadOffset, final int payloadLength, final int flags, final int qos)
    {
        return rows.add(bytes, topic, topicOffset, topicLength, payload, payloadOffset, payloadLength, flags, qos);
    }

    /** Starts a row whose topic the caller writes into {@link #bytes} itself; payload added later. */
    public int beginRow(final int topicLength)
    {
        return rows.begin(bytes, topicLength);
    }

    public void rowPayload(final int row, final byte[] payload, final int offset, final int length, final int flags, final int qos)
    {
        rows.payload(row, bytes, payload, offset, length, flags, qos);
    }

    /** Forgets rows from {@code row} on: a publish refused after its rows were gathered. */
    public void truncateRows(final int row)
    {
        rows.truncate(row);
    }

    public boolean rowIsDead(final int row)
    {
        return rows.hasFlag(row, ROW_DEAD);
    }

    public void markDead(final int row)
    {
        rows.addFlag(row, ROW_DEAD);
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
            deliveryPublisher = Arrays.copyOf(deliveryPublisher, capacity);
            deliveryRecord = Arrays.copyOf(deliveryRecord, capacity);
            deliverySnapshot = Arrays.copyOf(deliverySnapshot, capacity);
            deliveryRowStart = Arrays.copyOf(deliveryRowStart, capacity);
            deliveryRowCount = Arrays.copyOf(deliveryRowCount, capacity);
        }
        deliverySubscriber[d] = subscriber;
        deliveryPublisher[d] = 0;
        deliveryRecord[d] = record;
        deliverySnapshot[d] = snapshot;
        deliveryRowStart[d] = deliveryRows;
        deliveryRowCount[d] = 0;
        deliveries = d + 1;
        return d;
    }

    /**
     * The deliveries from {@code fromDelivery} on carry the rows of one QoS 1/2 publish by
     * {@code publisher}: the transport may hold that publisher's acknowledgements while a
     * subscriber is congested.
     */
    public void deliveriesPublishedBy(final int fromDelivery, final long publisher)
    {
        Arrays.fill(deliveryPublisher, fromDelivery, deliveries, publisher);
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
        return rows.size();
    }

    public int rowTopicOffset(final int row)
    {
        return rows.topicOffset(row);
    }

    public int rowTopicLength(final int row)
    {
        return rows.topicLength(row);
    }

    public int rowPayloadOffset(final int row)
    {
        return rows.payloadOffset(row);
    }

    public int rowPayloadLength(final int row)
    {
        return rows.payloadLength(row);
    }

    public boolean rowIsDelete(final int row)
    {
        return rows.hasFlag(row, ROW_DELETE);
    }

    public int rowQos(final int row)
    {
        return rows.qos(row);
    }

    public int deliveryCount()
    {
        return deliveries;
    }

    public long deliverySubscriber(final int delivery)
    {
        return deliverySubscriber[delivery];
    }

    /** The client whose QoS 1/2 publish the delivery's rows come from; 0 for a QoS 0 publish or a retained snapshot. */
    public long deliveryPublisher(final int delivery)
    {
        return deliveryPublisher[delivery];
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
