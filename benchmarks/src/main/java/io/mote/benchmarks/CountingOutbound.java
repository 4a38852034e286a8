package io.mote.benchmarks;

import io.mote.engine.Outbound;

/**
 * An {@link Outbound} that only counts, so benchmarks measure the engine and not a consumer.
 * Each counter has one writing thread (the engine's encoding or acknowledgement thread); readers
 * see them through volatile writes.
 */
public final class CountingOutbound implements Outbound
{
    private volatile long messages;
    private volatile long payloadBytes;
    private volatile long acks;

    @Override
    public void deliver(final long subscriberId, final byte[] topic, final int topicOffset, final int topicLength,
        final byte[] payload, final int payloadOffset, final int payloadLength, final int qos, final boolean retain, final long publisherId)
    {
        payloadBytes = payloadBytes + payloadLength;
        messages = messages + 1;
    }

    @Override
    public void flush()
    {
    }

    @Override
    public void publishAccepted(final long clientId, final int packetId, final int qos)
    {
        acks = acks + 1;
    }

    @Override
    public void publishRejected(final long clientId, final int packetId, final String reason)
    {
        throw new IllegalStateException("benchmark publish rejected: " + reason);
    }

    public long messages()
    {
        return messages;
    }

    public long payloadBytes()
    {
        return payloadBytes;
    }

    public long acks()
    {
        return acks;
    }
}
