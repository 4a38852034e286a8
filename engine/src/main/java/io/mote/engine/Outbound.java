package io.mote.engine;

/**
 * Where the engine's decisions leave it: messages for subscribers and verdicts on publishes. The
 * transport implements it; tests use a collecting one.
 *
 * <p>Threads: {@link #deliver} and {@link #flush} are called by the encoding thread only;
 * {@link #publishAccepted} and {@link #publishRejected} by the journal thread only, which
 * acknowledges after journaling. Byte
 * arguments are valid only during the call (they point into reused buffers): copy what you keep.
 * Implementations must not block; a slow connection is the transport's to bound.
 */
public interface Outbound
{
    /**
     * One message for a subscriber: on its own filter topic (mote dialect) or on the row's topic
     * (mqtt dialect), at the QoS to deliver with.
     *
     * @param publisherId the client whose QoS 1/2 publish the message comes from, 0 when none waits
     *                    for an acknowledgement (a QoS 0 publish, a retained snapshot). Its
     *                    {@link #publishAccepted} comes after this call, so the transport may decide
     *                    here to hold that acknowledgement back while the subscriber is congested.
     */
    void deliver(long subscriberId, byte[] topic, int topicOffset, int topicLength, byte[] payload, int payloadOffset, int payloadLength, int qos,
        boolean retain, long publisherId);

    /** End of a run of events: a good moment to flush coalesced writes to sockets. */
    void flush();

    /** A QoS 1 or 2 publish is applied (and journaled, when retained): PUBACK or PUBREC may go out. */
    void publishAccepted(long clientId, int packetId, int qos);

    /** A publish was refused whole after it entered the ring; the client's connection should close. */
    void publishRejected(long clientId, int packetId, String reason);

    /**
     * Makes one of the ring's threads, the threads that call this interface. A transport whose buffer
     * pools cache objects only for threads of its own kind (Netty recycles a pooled buffer's object
     * only on its FastThreadLocalThread) overrides this, so that frames encoded on the ring are
     * pooled instead of allocated per message. The default is a plain thread.
     */
    default Thread newRingThread(final Runnable task, final String name, final long stackBytes)
    {
        return new Thread(null, task, name, stackBytes);
    }
}
