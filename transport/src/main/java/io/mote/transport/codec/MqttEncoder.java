package io.mote.transport.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

/**
 * Encodes {@link MqttPacket}s: every packet a server sends and, for tests and the load generator,
 * every packet a client sends.
 *
 * <p>As a handler it sizes each packet exactly first, then makes one allocation from the channel's
 * allocator and writes the packet into it; the packet is released once encoded (it matters for
 * {@link PublishPacket} only). A packet that cannot be encoded (a field too long, a bad packet
 * identifier) fails its write promise instead of throwing. Other messages pass through untouched.
 *
 * <p>The static methods encode into a caller's buffer, so that several packets can share one
 * buffer (write coalescing) and so that a PUBLISH can be written straight from stored bytes
 * without building a packet object. They throw {@link IllegalArgumentException} for packets MQTT
 * cannot carry and never modify their inputs. Stateless and sharable.
 */
@Sharable
public final class MqttEncoder extends ChannelOutboundHandlerAdapter
{
    /** The one instance every pipeline can share. */
    public static final MqttEncoder INSTANCE = new MqttEncoder();

    private static final int MAX_FIELD_LENGTH = 0xFFFF;

    private MqttEncoder()
    {
    }

    @Override
    public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise)
    {
        if (!(msg instanceof MqttPacket packet))
        {
            ctx.write(msg, promise);
            return;
        }
        ByteBuf buf = null;
        try
        {
            final int size = encodedSize(packet);
            buf = ctx.alloc().ioBuffer(size, size);
            encode(packet, buf);
        }
        catch (final RuntimeException e)
        {
            if (buf != null)
            {
                buf.release();
            }
            promise.tryFailure(e);
            return;
        }
        finally
        {
            ReferenceCountUtil.release(msg);
        }
        ctx.write(buf, promise);
    }

    /** The exact number of bytes {@link #encode} writes for this packet, fixed header included. */
    public static int encodedSize(final MqttPacket packet)
    {
        return switch (packet.type())
        {
            case CONNECT -> frameSize(ConnectEncoding.remainingLength((ConnectPacket) packet));
            case CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK -> 4;
            case PUBLISH ->
            {
                final PublishPacket publish = (PublishPacket) packet;
                yield publishSize(publish.topicLength(), publish.payloadLength(), publish.qos());
            }
            case SUBSCRIBE -> frameSize(subscribeRemainingLength((SubscribePacket) packet));
            case SUBACK -> frameSize(2 + ((SubAckPacket) packet).returnCodes().length);
            case UNSUBSCRIBE -> frameSize(unsubscribeRemainingLength((UnsubscribePacket) packet));
            case PINGREQ, PINGRESP, DISCONNECT -> 2;
        };
    }

    /** Writes the whole packet at the buffer's writer index; the buffer grows as needed within its maximum. */
    public static void encode(final MqttPacket packet, final ByteBuf out)
    {
        switch (packet.type())
        {
            case CONNECT -> ConnectEncoding.encode((ConnectPacket) packet, out);
            case CONNACK ->
            {
                final ConnAckPacket connAck = (ConnAckPacket) packet;
                out.writeByte(0x20).writeByte(2).writeByte(connAck.sessionPresent() ? 1 : 0).writeByte(connAck.returnCode().value());
            }
            case PUBLISH ->
            {
                final PublishPacket publish = (PublishPacket) packet;
                encodePublish(out, publish.qos(), publish.retainFlag(), publish.dup(), publish.packetId(), publish.topic(), publish.payload());
            }
            case PUBACK -> encodeIdOnly(out, 0x40, ((PubAckPacket) packet).packetId());
            case PUBREC -> encodeIdOnly(out, 0x50, ((PubRecPacket) packet).packetId());
            case PUBREL -> encodeIdOnly(out, 0x62, ((PubRelPacket) packet).packetId());
            case PUBCOMP -> encodeIdOnly(out, 0x70, ((PubCompPacket) packet).packetId());
            case SUBSCRIBE -> encodeSubscribe((SubscribePacket) packet, out);
            case SUBACK -> encodeSubAck((SubAckPacket) packet, out);
            case UNSUBSCRIBE -> encodeUnsubscribe((UnsubscribePacket) packet, out);
            case UNSUBACK -> encodeIdOnly(out, 0xB0, ((UnsubAckPacket) packet).packetId());
            case PINGREQ -> out.writeByte(0xC0).writeByte(0);
            case PINGRESP -> out.writeByte(0xD0).writeByte(0);
            case DISCONNECT -> out.writeByte(0xE0).writeByte(0);
        }
    }

    /** The exact size of a PUBLISH with these field lengths, fixed header included. */
    public static int publishSize(final int topicLength, final int payloadLength, final int qos)
    {
        return frameSize(publishRemainingLength(topicLength, payloadLength, qos));
    }

    private static int publishRemainingLength(final int topicLength, final int payloadLength, final int qos)
    {
        checkFieldLength(topicLength, "topic");
        return checkRemainingLength(2L + topicLength + (qos > 0 ? 2 : 0) + payloadLength);
    }

    /** Writes a PUBLISH from array slices. */
    public static void encodePublish(final ByteBuf out, final int qos, final boolean retain, final boolean dup, final int packetId,
                                     final byte[] topic, final int topicOffset, final int topicLength,
                                     final byte[] payload, final int payloadOffset, final int payloadLength)
    {
        writePublishHeader(out, qos, retain, dup, publishRemainingLength(topicLength, payloadLength, qos), topicLength);
        out.writeBytes(topic, topicOffset, topicLength);
        if (qos > 0)
        {
            out.writeShort(checkPacketId(packetId));
        }
        out.writeBytes(payload, payloadOffset, payloadLength);
    }

    /** Writes a PUBLISH from the readable bytes of two buffers, leaving their indices unchanged. */
    public static void encodePublish(final ByteBuf out, final int qos, final boolean retain, final boolean dup, final int packetId,
                                     final ByteBuf topic, final ByteBuf payload)
    {
        final int topicLength = topic.readableBytes();
        writePublishHeader(out, qos, retain, dup, publishRemainingLength(topicLength, payload.readableBytes(), qos), topicLength);
        out.writeBytes(topic, topic.readerIndex(), topicLength);
        if (qos > 0)
        {
            out.writeShort(checkPacketId(packetId));
        }
        out.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
    }

    private static void writePublishHeader(final ByteBuf out, final int qos, final boolean retain, final boolean dup,
                                           final int remainingLength, final int topicLength)
    {
        if (qos < 0 || qos > 2 || (dup && qos == 0))
        {
            throw new IllegalArgumentException("PUBLISH with QoS " + qos + (dup ? " and DUP" : ""));
        }
        out.writeByte(0x30 | (dup ? 0x08 : 0) | qos << 1 | (retain ? 1 : 0));
        writeRemainingLength(out, remainingLength);
        out.writeShort(topicLength);
    }

    private static int subscribeRemainingLength(final SubscribePacket packet)
    {
        long length = 2;
        for (final Subscription subscription : packet.subscriptions())
        {
            length += 3 + checkFieldLength(subscription.filter().bytes().length, "topic filter");
        }
        return checkRemainingLength(length);
    }

    private static void encodeSubscribe(final SubscribePacket packet, final ByteBuf out)
    {
        out.writeByte(0x82);
        writeRemainingLength(out, subscribeRemainingLength(packet));
        out.writeShort(checkPacketId(packet.packetId()));
        for (final Subscription subscription : packet.subscriptions())
        {
            writeBinary(out, subscription.filter().bytes());
            out.writeByte(subscription.requestedQos());
        }
    }

    private static int unsubscribeRemainingLength(final UnsubscribePacket packet)
    {
        long length = 2;
        for (final TopicFilter filter : packet.filters())
        {
            length += 2 + checkFieldLength(filter.bytes().length, "topic filter");
        }
        return checkRemainingLength(length);
    }

    private static void encodeUnsubscribe(final UnsubscribePacket packet, final ByteBuf out)
    {
        out.writeByte(0xA2);
        writeRemainingLength(out, unsubscribeRemainingLength(packet));
        out.writeShort(checkPacketId(packet.packetId()));
        for (final TopicFilter filter : packet.filters())
        {
            writeBinary(out, filter.bytes());
        }
    }

    private static void encodeSubAck(final SubAckPacket packet, final ByteBuf out)
    {
        out.writeByte(0x90);
        writeRemainingLength(out, 2 + packet.returnCodes().length);
        out.writeShort(checkPacketId(packet.packetId()));
        for (final int code : packet.returnCodes())
        {
            out.writeByte(code);
        }
    }

    private static void encodeIdOnly(final ByteBuf out, final int header, final int packetId)
    {
        out.writeByte(header).writeByte(2).writeShort(checkPacketId(packetId));
    }

    static int frameSize(final long remainingLength)
    {
        final int checked = checkRemainingLength(remainingLength);
        return 1 + remainingLengthBytes(checked) + checked;
    }

    static int checkRemainingLength(final long remainingLength)
    {
        if (remainingLength > MqttDecoder.MAX_REMAINING_LENGTH)
        {
            throw new IllegalArgumentException("remaining length " + remainingLength + " exceeds " + MqttDecoder.MAX_REMAINING_LENGTH);
        }
        return (int) remainingLength;
    }

    private static int remainingLengthBytes(final int value)
    {
        return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
    }

    static void writeRemainingLength(final ByteBuf out, final int value)
    {
        int rest = value;
        do
        {
            final int digit = rest & 0x7F;
            rest >>>= 7;
            out.writeByte(rest > 0 ? digit | 0x80 : digit);
        }
        while (rest > 0);
    }

    static int checkFieldLength(final int length, final String field)
    {
        if (length > MAX_FIELD_LENGTH)
        {
            throw new IllegalArgumentException(field + " of " + length + " bytes exceeds " + MAX_FIELD_LENGTH);
        }
        return length;
    }

    static int checkPacketId(final int packetId)
    {
        if (packetId < 1 || packetId > 0xFFFF)
        {
            throw new IllegalArgumentException("packet identifier must be 1..65535: " + packetId);
        }
        return packetId;
    }

    static void writeBinary(final ByteBuf out, final byte[] bytes)
    {
        out.writeShort(bytes.length).writeBytes(bytes);
    }

    static int utf8Length(final String text)
    {
        return checkFieldLength(ByteBufUtil.utf8Bytes(text), "string");
    }

    static void writeUtf8(final ByteBuf out, final String text)
    {
        final int length = ByteBufUtil.utf8Bytes(text);
        out.writeShort(length);
        // Reserve the exact length: writeUtf8 reserves the worst case (3 bytes a char), which does
        // not fit the exactly sized buffer the handler allocates.
        ByteBufUtil.reserveAndWriteUtf8(out, text, length);
    }
}
