package io.mote.transport.codec;

import io.mote.engine.topic.Dialect;
import io.mote.engine.topic.TopicKind;
import io.mote.engine.topic.TopicSyntax;
import io.netty.buffer.ByteBuf;

/**
 * Decodes the body of a PUBLISH (MQTT 3.1.1 §3.3) into a {@link PublishPacket} over ranges of the
 * input: the payload is never copied, and a packet its consumer released is filled again for the
 * next PUBLISH instead of a new one. Owned by one {@link MqttDecoder}, so by one channel's event loop.
 */
final class PublishDecoder
{
    /** The last packet handed out; reused once its consumer has released it. */
    private PublishPacket spare;
    /** Direct buffers have no array for TopicSyntax; their topic is copied here, grown on demand up to 64 KiB. */
    private byte[] scratch = new byte[128];

    PublishPacket decode(final PacketReader in, final int flags, final Dialect dialect)
    {
        final boolean dup = (flags & 0x08) != 0;
        final int qos = (flags >> 1) & 0x03;
        final boolean retain = (flags & 0x01) != 0;
        final ByteBuf body = in.body();

        final int topicLength = in.readLengthPrefix("topic name");
        final int topicIndex = body.readerIndex();
        final TopicKind kind = classify(body, topicIndex, topicLength, dialect);
        if (!kind.isValid())
        {
            final byte[] topic = new byte[topicLength];
            body.getBytes(topicIndex, topic);
            throw in.error("topic " + DecodeException.quote(topic) + ": " + kind.problem());
        }
        body.skipBytes(topicLength);
        final int packetId = qos > 0 ? in.readPacketId() : 0;

        final int payloadIndex = body.readerIndex();
        final int payloadLength = in.remaining();
        body.skipBytes(payloadLength);
        if (spare == null || spare.refCnt() != 0)
        {
            spare = new PublishPacket();
        }
        return spare.decoded(dup, qos, retain, packetId, kind, body, topicIndex, topicLength, payloadIndex, payloadLength);
    }

    private TopicKind classify(final ByteBuf body, final int index, final int length, final Dialect dialect)
    {
        if (body.hasArray())
        {
            return TopicSyntax.classifyTopic(body.array(), body.arrayOffset() + index, length, dialect);
        }
        if (scratch.length < length)
        {
            scratch = new byte[Math.max(length, scratch.length * 2)];
        }
        body.getBytes(index, scratch, 0, length);
        return TopicSyntax.classifyTopic(scratch, 0, length, dialect);
    }
}
