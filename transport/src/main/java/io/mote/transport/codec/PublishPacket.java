package io.mote.transport.codec;

import io.mote.engine.topic.TopicKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.AbstractReferenceCounted;

import java.nio.charset.StandardCharsets;

/**
 * PUBLISH, holding its topic and payload as buffers without copying them.
 *
 * <p>Ownership: a packet owns one reference to each of its two buffers and is itself reference
 * counted (count 1 when created); when its count reaches zero it releases both buffers. The
 * decoder's buffers are retained slices of the connection's input, so the payload is never copied
 * on the way in. Whoever receives a packet from the pipeline owns it and must
 * {@link #release()} it (or pass it on, which passes the duty on); Netty's pipeline tail releases a
 * packet nobody handled. A consumer that keeps the payload beyond that retains {@link #payload()}
 * itself. Writing a packet to a channel through {@link MqttEncoder} releases it once it is encoded.
 *
 * <p>{@link #topic()} and {@link #payload()} return the buffers themselves: read them with absolute
 * getters or a {@code duplicate()} so that their indices stay put for other readers.
 */
public final class PublishPacket extends AbstractReferenceCounted implements MqttPacket
{
    private final boolean dup;
    private final int qos;
    private final boolean retain;
    private final int packetId;
    private final ByteBuf topic;
    private final TopicKind topicKind;
    private final ByteBuf payload;

    /**
     * Takes ownership of {@code topic} and {@code payload}.
     *
     * @param packetId  1..65535 when qos is above 0, else 0
     * @param topicKind the topic's classification for the connection's dialect, or null when not classified
     */
    public PublishPacket(final boolean dup, final int qos, final boolean retain, final int packetId,
                         final ByteBuf topic, final TopicKind topicKind, final ByteBuf payload)
    {
        if (qos < 0 || qos > 2)
        {
            throw new IllegalArgumentException("QoS must be 0..2: " + qos);
        }
        if ((qos == 0) != (packetId == 0) || packetId < 0 || packetId > 0xFFFF)
        {
            throw new IllegalArgumentException("packet id " + packetId + " does not fit QoS " + qos);
        }
        this.dup = dup;
        this.qos = qos;
        this.retain = retain;
        this.packetId = packetId;
        this.topic = topic;
        this.topicKind = topicKind;
        this.payload = payload;
    }

    /** A packet to send, wrapping (not copying) the arrays. */
    public static PublishPacket of(final byte[] topic, final byte[] payload, final int qos, final boolean retain,
                                   final boolean dup, final int packetId)
    {
        return new PublishPacket(dup, qos, retain, packetId, Unpooled.wrappedBuffer(topic), null, Unpooled.wrappedBuffer(payload));
    }

    @Override
    public MqttMessageType type()
    {
        return MqttMessageType.PUBLISH;
    }

    public boolean dup()
    {
        return dup;
    }

    public int qos()
    {
        return qos;
    }

    /** The retain flag; named so because {@code retain()} is the reference-count operation. */
    public boolean retainFlag()
    {
        return retain;
    }

    /** 0 for QoS 0. */
    public int packetId()
    {
        return packetId;
    }

    /** The topic's UTF-8 bytes as readable bytes; valid while this packet is. */
    public ByteBuf topic()
    {
        return topic;
    }

    /**
     * Set by the decoder: what the topic means in the connection's dialect (always a valid kind there).
     * Null on packets built for sending.
     */
    public TopicKind topicKind()
    {
        return topicKind;
    }

    /** The application message as readable bytes; valid while this packet is. */
    public ByteBuf payload()
    {
        return payload;
    }

    /** The topic decoded as UTF-8; allocates, so for logs and tests. */
    public String topicText()
    {
        return topic.toString(topic.readerIndex(), topic.readableBytes(), StandardCharsets.UTF_8);
    }

    @Override
    protected void deallocate()
    {
        topic.release();
        payload.release();
    }

    @Override
    public PublishPacket retain()
    {
        super.retain();
        return this;
    }

    @Override
    public PublishPacket retain(final int increment)
    {
        super.retain(increment);
        return this;
    }

    @Override
    public PublishPacket touch()
    {
        return touch(null);
    }

    @Override
    public PublishPacket touch(final Object hint)
    {
        topic.touch(hint);
        payload.touch(hint);
        return this;
    }

    @Override
    public String toString()
    {
        return "PublishPacket[topic=" + (refCnt() > 0 ? topicText() : "<released>") + ", payload="
            + (refCnt() > 0 ? payload.readableBytes() + " bytes" : "<released>") + ", qos=" + qos + ", retain=" + retain
            + ", dup=" + dup + ", packetId=" + packetId + "]";
    }
}
