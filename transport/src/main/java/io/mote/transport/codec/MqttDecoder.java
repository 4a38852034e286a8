package io.mote.transport.codec;

import io.mote.engine.topic.Dialect;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Turns one connection's bytes into {@link MqttPacket}s, checking every rule of MQTT 3.1.1 that a
 * receiver must check, in the connection's dialect (PROTOCOL.md §1, §5.1, §6).
 *
 * <p>Contract: it never throws into the pipeline and never buffers more than the configured maximum
 * packet size of one packet. Bad input becomes one {@link DecodeFailure} value
 * ({@link MalformedPacket}, or {@link ConnectRejected} for a CONNECT refused with a CONNACK code);
 * after it every further byte is discarded, so the handler logs once and closes. Several packets in
 * one read are all emitted; a packet split over many reads is emitted once complete.
 *
 * <p>State: one instance per channel (not sharable), used by its event loop only. A server-side
 * decoder learns its dialect from the CONNECT it decodes and applies it to every later packet,
 * including those already in the same read. A client-side decoder (tests, load generator) is given
 * its dialect and expects CONNACK first.
 */
public final class MqttDecoder extends ByteToMessageDecoder
{
    /** Largest value the four-byte remaining-length field can carry. */
    public static final int MAX_REMAINING_LENGTH = 268_435_455;
    /** Largest possible packet: one type byte, four length bytes and the largest remaining length. */
    public static final int MAX_PACKET_SIZE = MAX_REMAINING_LENGTH + 5;

    private final boolean serverSide;
    private final int maxPacketSize;
    private final boolean mqttNamesSpeakMote;
    private final PublishDecoder publishDecoder = new PublishDecoder();
    private final PacketReader reader = new PacketReader();
    /** Server side: null until CONNECT, which is when the strict rules become dialect-dependent. */
    private Dialect dialect;
    /** Server side: CONNECT seen. Client side: CONNACK seen. */
    private boolean opened;
    private boolean failed;

    private MqttDecoder(final boolean serverSide, final Dialect dialect, final int maxPacketSize,
                        final boolean mqttNamesSpeakMote)
    {
        if (maxPacketSize < 2 || maxPacketSize > MAX_PACKET_SIZE)
        {
            throw new IllegalArgumentException("maxPacketSize must be 2.." + MAX_PACKET_SIZE + ": " + maxPacketSize);
        }
        this.serverSide = serverSide;
        this.dialect = dialect;
        this.maxPacketSize = maxPacketSize;
        this.mqttNamesSpeakMote = mqttNamesSpeakMote;
    }

    /**
     * A decoder for a connection accepted by the broker.
     *
     * @param maxPacketSize      the largest whole packet (fixed header included) accepted, in bytes
     * @param mqttNamesSpeakMote the broker setting that gives {@code MQTT}/{@code MQIsdp} connections the mote dialect
     */
    public static MqttDecoder forServer(final int maxPacketSize, final boolean mqttNamesSpeakMote)
    {
        return new MqttDecoder(true, null, maxPacketSize, mqttNamesSpeakMote);
    }

    /**
     * A decoder for a client's side of a connection, for tests and the load generator.
     *
     * @param dialect       the dialect the client asked for in its CONNECT
     * @param maxPacketSize the largest whole packet accepted, in bytes
     */
    public static MqttDecoder forClient(final Dialect dialect, final int maxPacketSize)
    {
        return new MqttDecoder(false, dialect, maxPacketSize, false);
    }

    /** The connection's dialect; null on the server side until a CONNECT was decoded. */
    public Dialect dialect()
    {
        return dialect;
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf in, final List<Object> out)
    {
        if (failed)
        {
            in.skipBytes(in.readableBytes());
            return;
        }
        MqttMessageType type = null;
        try
        {
            if (!in.isReadable())
            {
                return;
            }
            final int start = in.readerIndex();
            final int header = in.getUnsignedByte(start);
            type = MqttMessageType.fromValue(header >>> 4);
            checkFixedHeader(type, header);

            // The remaining length is read without consuming, so an incomplete packet is re-read from its start.
            int remainingLength = 0;
            int headerLength = 0;
            for (int i = 0; headerLength == 0; i++)
            {
                if (in.readableBytes() < i + 2)
                {
                    return;
                }
                final int digit = in.getUnsignedByte(start + 1 + i);
                remainingLength |= (digit & 0x7F) << (7 * i);
                if ((digit & 0x80) == 0)
                {
                    headerLength = i + 2;
                }
                else if (i == 3)
                {
                    throw new DecodeException(type + ": remaining length longer than 4 bytes");
                }
            }
            final int packetSize = headerLength + remainingLength;
            if (packetSize > maxPacketSize)
            {
                throw new DecodeException(type + ": packet of " + packetSize + " bytes exceeds the maximum of " + maxPacketSize);
            }
            if (in.readableBytes() < packetSize)
            {
                return;
            }
            in.skipBytes(headerLength);
            final int end = in.readerIndex() + remainingLength;
            final Object decoded = decodeBody(reader.wrap(in, end, type), type, header & 0x0F);
            // A body decoder may stop before the end (it checks trailing bytes where the rules forbid them).
            in.readerIndex(end);
            if (decoded instanceof DecodeFailure)
            {
                failed = true;
                in.skipBytes(in.readableBytes());
            }
            out.add(decoded);
        }
        catch (final DecodeException e)
        {
            fail(in, out, type, e.getMessage());
        }
        catch (final RuntimeException e)
        {
            // A decoder bug must still end as one value on this connection rather than an exception in the pipeline.
            fail(in, out, type, (type == null ? "" : type + ": ") + "decoder fault " + e);
        }
    }

    private void fail(final ByteBuf in, final List<Object> out, final MqttMessageType type, final String reason)
    {
        failed = true;
        in.skipBytes(in.readableBytes());
        out.add(new MalformedPacket(type, reason));
    }

    /** Checks what the first byte alone tells, so a bad packet is refused before its body is buffered. */
    private void checkFixedHeader(final MqttMessageType type, final int header)
    {
        if (type == null)
        {
            throw new DecodeException("reserved packet type " + (header >>> 4) + " (MQTT-2.2.1)");
        }
        final int flags = header & 0x0F;
        checkOrder(type);
        switch (type)
        {
            case PUBLISH ->
            {
                final int qos = (flags >> 1) & 0x03;
                if (qos == 3)
                {
                    throw new DecodeException("PUBLISH: QoS 3 is invalid (MQTT-3.3.1-4)");
                }
                // MQTT-3.3.1-2 binds the sender; receiving it anyway is a protocol violation, which closes (MQTT-4.8.0-1).
                if (qos == 0 && (flags & 0x08) != 0)
                {
                    throw new DecodeException("PUBLISH: DUP set at QoS 0 (MQTT-3.3.1-2)");
                }
            }
            case PUBREL, SUBSCRIBE, UNSUBSCRIBE ->
            {
                // The mote app sends 0000 here (PROTOCOL.md §5.1); nothing else is tolerated.
                if (flags != 0x02 && !(flags == 0 && dialect == Dialect.MOTE))
                {
                    throw new DecodeException(type + ": fixed header flags must be 0010, not "
                        + Integer.toBinaryString(flags | 0x10).substring(1) + " (MQTT-2.2.2-2)");
                }
            }
            default ->
            {
                if (flags != 0)
                {
                    throw new DecodeException(type + ": fixed header flags must be 0000, not "
                        + Integer.toBinaryString(flags | 0x10).substring(1) + " (MQTT-2.2.2-2)");
                }
            }
        }
    }

    private void checkOrder(final MqttMessageType type)
    {
        final MqttMessageType opening = serverSide ? MqttMessageType.CONNECT : MqttMessageType.CONNACK;
        if (!opened && type != opening)
        {
            throw new DecodeException(type + ": first packet must be " + opening + " (MQTT-3.1.0-1)");
        }
        if (opened && type == opening)
        {
            throw new DecodeException(type + ": second " + opening + " on one connection (MQTT-3.1.0-2)");
        }
        if (!isAccepted(type))
        {
            throw new DecodeException(type + ": not sent " + (serverSide ? "by a client" : "by a server"));
        }
    }

    private boolean isAccepted(final MqttMessageType type)
    {
        return switch (type)
        {
            case PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP -> true;
            case CONNECT, SUBSCRIBE, UNSUBSCRIBE, PINGREQ, DISCONNECT -> serverSide;
            case CONNACK, SUBACK, UNSUBACK, PINGRESP -> !serverSide;
        };
    }

    private Object decodeBody(final PacketReader body, final MqttMessageType type, final int flags)
    {
        return switch (type)
        {
            case CONNECT -> opened(ConnectDecoder.decode(body, mqttNamesSpeakMote));
            case CONNACK -> opened(AckDecoder.decodeConnAck(body));
            case PUBLISH -> publishDecoder.decode(body, flags, dialect);
            case PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK -> AckDecoder.decodeIdOnly(body, type);
            case SUBSCRIBE -> SubscribeDecoder.decodeSubscribe(body, dialect);
            case SUBACK -> AckDecoder.decodeSubAck(body);
            case UNSUBSCRIBE -> SubscribeDecoder.decodeUnsubscribe(body, dialect);
            case PINGREQ, PINGRESP, DISCONNECT -> AckDecoder.decodeEmpty(body, type);
        };
    }

    private Object opened(final Object packet)
    {
        opened = true;
        if (packet instanceof ConnectPacket connect)
        {
            dialect = connect.dialect();
        }
        return packet;
    }
}
