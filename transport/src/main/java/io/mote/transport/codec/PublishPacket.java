package io.mote.transport.codec;

import io.mote.engine.topic.TopicKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.AbstractReferenceCounted;

import java.nio.charset.StandardCharsets;

/**
 * PUBLISH, holding its topic and payload in buffers without copying them.
 *
 * <p>Ownership: a packet owns one reference to each buffer it holds and is itself reference
 * counted (count 1 when created); when its count reaches zero it releases them. Whoever receives a
 * packet from the pipeline owns it and must {@link #release()} it (or pass it on, which passes the
 * duty on); Netty's pipeline tail releases a packet nobody handled. A consumer that keeps the
 * payload beyond that retains {@link #payload()} itself. Writing a packet to a channel through
 * {@link MqttEncoder} releases it once it is encoded.
 *
 * <p>Decoded packets hold one reference to the connection's input buffer, with the topic and the
 * payload as ranges of it, and are recycled by their decoder once released: the broker's read path
 * releases each PUBLISH before the next is decoded, so a connection decodes every PUBLISH into the
 * same object and allocates nothing per message. A consumer that keeps a packet simply holds on to
 * it; the decoder then makes a new one.
 *
 * <p>{@link #topic()} and {@link #payload()} return buffers positioned on the field: read them with
 * absolute getters or a {@code duplicate()} so that their indices stay put for other readers. On a
 * decoded packet they are slices made on first use; the hot path copies with {@link #getTopic} and
 * {@link #getPayload} instead.
 */
public final class PublishPacket extends AbstractReferenceCounted implements MqttPacket
{
    private boolean dup;
    private int qos;
    private boolean retain;
    private int packetId;
    private TopicKind topicKind;
    /** The buffer holding the topic; also the payload's when {@link #shared}. */
    private ByteBuf topicBuffer;
    private int topicIndex;
    private int topicLength;
    private ByteBuf payloadBuffer;
    private int payloadIndex;
    private int payloadLength;
    /** One reference held for both fields (decoded packets); else one per buffer. */
    private boolean shared;
    private ByteBuf topicSlice;
    private ByteBuf payloadSlice;

    /**
     * Takes ownership of {@code topic} and {@code payload}; their readable bytes are the fields.
     *
     * @param packetId  1..65535 when qos is above 0, else 0
     * @param topicKind the topic's classification for the connection's dialect, or null when not classified
     */
    public PublishPacket(final boolean dup, final int qos, final boolean retain, final int packetId,
                         final ByteBuf topic, final TopicKind topicKind, final ByteBuf payload)
    {
        header(dup, qos, retain, packetId, topicKind);
        topicBuffer = topic;
        topicIndex = topic.readerIndex();
        topicLength = topic.readableBytes();
        topicSlice = topic;
        payloadBuffer = payload;
        payloadIndex = payload.readerIndex();
        payloadLength = payload.readableBytes();
        payloadSlice = payload;
    }

    /** An empty packet for a decoder, which fills it with {@link #decoded} at once. */
    PublishPacket()
    {
    }

    /** A packet to send, wrapping (not copying) the arrays. */
    public static PublishPacket of(final byte[] topic, final byte[] payload, final int qos, final boolean retain,
                                   final boolean dup, final int packetId)
    {
        return new PublishPacket(dup, qos, retain, packetId, Unpooled.wrappedBuffer(topic), null, Unpooled.wrappedBuffer(payload));
    }

    /**
     * Decoder only, on a new or a released packet: makes it a live packet (count 1) over two
     * ranges of {@code input}, taking one reference to it.
     */
    PublishPacket decoded(final boolean dup, final int qos, final boolean retain, final int packetId, final TopicKind topicKind,
                          final ByteBuf input, final int topicIndex, final int topicLength, final int payloadIndex, final int payloadLength)
    {
        header(dup, qos, retain, packetId, topicKind);
        topicBuffer = input.retain();
        payloadBuffer = input;
        shared = true;
        this.topicIndex = topicIndex;
        this.topicLength = topicLength;
        this.payloadIndex = payloadIndex;
        this.payloadLength = payloadLength;
        setRefCnt(1);
        return this;
    }

    private void header(final boolean dup, final int qos, final boolean retain, final int packetId, final TopicKind topicKind)
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
        this.topicKind = topicKind;
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
        if (topicSlice == null)
        {
            topicSlice = topicBuffer.slice(topicIndex, topicLength);
        }
        return topicSlice;
    }

    public int topicLength()
    {
        return topicLength;
    }

    /** Copies the topic's bytes into {@code target} at {@code offset}. */
    public void getTopic(final byte[] target, final int offset)
    {
        topicBuffer.getBytes(topicIndex, target, offset, topicLength);
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
        if (payloadSlice == null)
        {
            payloadSlice = payloadBuffer.slice(payloadIndex, payloadLength);
        }
        return payloadSlice;
    }

    public int payloadLength()
    {
        return payloadLength;
    }

    /** Copies the payload's bytes into {@code target} at {@code offset}. */
    public void getPayload(final byte[] target, final int offset)
    {
        payloadBuffer.getBytes(payloadIndex, target, offset, payloadLength);
    }

    /** The topic decoded as UTF-8; allocates, so for logs and tests. */
    public String topicText()
    {
        return topicBuffer.toString(topicIndex, topicLength, StandardCharsets.UTF_8);
    }

    @Override
    protected void deallocate()
    {
        topicBuffer.release();
        if (!shared)
        {
            payloadBuffer.release();
        }
        topicBuffer = null;
        payloadBuffer = null;
        topicSlice = null;
        payloadSlice = null;
        shared = false;
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
        topicBuffer.touch(hint);
        if (!shared)
        {
            payloadBuffer.touch(hint);
        }
        return this;
    }

    @Override
    public String toString()
    {
        return "PublishPacket[topic=" + (refCnt() > 0 ? topicText() : "<released>") + ", payload="
            + (refCnt() > 0 ? payloadLength + " bytes" : "<released>") + ", qos=" + qos + ", retain=" + retain
            + ", dup=" + dup + ", packetId=" + packetId + "]";
    }
}
