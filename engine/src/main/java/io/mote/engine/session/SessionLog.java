package io.mote.engine.session;

import io.mote.engine.topic.Dialect;

/**
 * The durable record of persistent MQTT sessions (clean session 0): what the transport must find
 * again after a broker restart or crash. Records are keyed by a session number the log assigns
 * ({@link #opened}), never by the transport's volatile session id; numbers grow across restarts.
 *
 * <p>Acknowledgement rule, the same as for retained rows: whatever a PUBACK, PUBREC or SUBACK
 * promises is appended before that packet is written, and {@link #sync()} makes it durable per the
 * configured fsync mode before the packet is flushed. Only persistent sessions are recorded.
 *
 * <p>Threads: any. The transport's event loops, the engine's encoding thread (queued messages) and
 * its acknowledgement thread (inbound QoS 2 ids) append concurrently; the records of one session
 * number are appended in the order its owner decided them (the session's monitor or its single
 * producing thread), which is all recovery relies on. Byte arguments are copied before returning.
 */
public interface SessionLog
{
    /** Keeps nothing: no persistence (tests, benchmarks, an embedded engine). */
    SessionLog NONE = new SessionLog()
    {
        private final java.util.concurrent.atomic.AtomicLong numbers = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public long opened(final String clientId, final Dialect dialect)
        {
            return numbers.incrementAndGet();
        }

        @Override
        public void ended(final long session)
        {
        }

        @Override
        public void subscribed(final long session, final byte[] filter, final int offset, final int length, final int qos)
        {
        }

        @Override
        public void unsubscribed(final long session, final byte[] filter, final int offset, final int length)
        {
        }

        @Override
        public void queued(final long session, final long seq, final int qos, final boolean retain,
            final byte[] topic, final int topicOffset, final int topicLength, final byte[] payload, final int payloadOffset, final int payloadLength)
        {
        }

        @Override
        public void packetIdAssigned(final long session, final long seq, final int packetId)
        {
        }

        @Override
        public void received(final long session, final int packetId)
        {
        }

        @Override
        public void completed(final long session, final int packetId)
        {
        }

        @Override
        public void inboundHeld(final long session, final int packetId)
        {
        }

        @Override
        public void inboundReleased(final long session, final int packetId)
        {
        }

        @Override
        public void sync()
        {
        }

        @Override
        public boolean isDurable()
        {
            return false;
        }
    };

    /** A new persistent session. @return its number, greater than every number this log gave before */
    long opened(String clientId, Dialect dialect);

    /** The session is gone (replaced by a clean one or by another dialect); its records no longer count. */
    void ended(long session);

    /** A subscription, the filter as sent (a mote sync marker included); a second one of the same identity replaces the QoS. */
    void subscribed(long session, byte[] filter, int offset, int length, int qos);

    /** An unsubscription, the filter as sent. */
    void unsubscribed(long session, byte[] filter, int offset, int length);

    /**
     * A QoS 1/2 message waiting for the session, number {@code seq}: consecutive per session, in
     * the order the messages are offered to it.
     */
    void queued(long session, long seq, int qos, boolean retain,
        byte[] topic, int topicOffset, int topicLength, byte[] payload, int payloadOffset, int payloadLength);

    /** Message {@code seq} was sent with {@code packetId}; a resend after restart uses the same id. */
    void packetIdAssigned(long session, long seq, int packetId);

    /** The client sent PUBREC for the QoS 2 message with this packet id: PUBREL is what is in flight now. */
    void received(long session, int packetId);

    /** The client sent PUBACK (QoS 1) or PUBCOMP (QoS 2): the message with this packet id is done. */
    void completed(long session, int packetId);

    /** An inbound QoS 2 publish with this packet id was accepted (PUBREC about to go out). */
    void inboundHeld(long session, int packetId);

    /** The client released the inbound QoS 2 packet id (PUBREL). */
    void inboundReleased(long session, int packetId);

    /**
     * Makes everything appended so far, by any thread, as durable as the fsync mode promises;
     * cheap when nothing was appended since the last call. Call before flushing the acknowledgements
     * that depend on it.
     */
    void sync();

    /**
     * Why the log stopped recording (an append or a force failed), or null while it works. Once
     * failed, a log stays failed until the broker restarts, and whatever it would have made durable
     * must not be acknowledged: callers refuse PUBACK/PUBREC, SUBACK and the like instead. Any thread.
     */
    default String failure()
    {
        return null;
    }

    /** False for {@link #NONE}: nothing survives a restart, so there is nothing worth recording. */
    default boolean isDurable()
    {
        return true;
    }
}
