package io.mote.transport.codec;

import io.mote.engine.topic.Dialect;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Shared helpers: channels with a decoder, encoded bytes, and hand-built raw packets for bad input. */
final class CodecFixtures
{
    static final int MAX = 4 * 1024 * 1024;

    private CodecFixtures()
    {
    }

    static EmbeddedChannel server()
    {
        return new EmbeddedChannel(MqttDecoder.forServer(MAX, false));
    }

    /** A server channel that has already decoded (and drained) a valid CONNECT in the given dialect. */
    static EmbeddedChannel connected(final Dialect dialect)
    {
        final EmbeddedChannel channel = server();
        channel.writeInbound(Unpooled.wrappedBuffer(bytes(connect(dialect))));
        final List<Object> out = drain(channel);
        if (out.size() != 1 || !(out.get(0) instanceof ConnectPacket))
        {
            throw new AssertionError("CONNECT not accepted: " + out);
        }
        return channel;
    }

    static EmbeddedChannel client(final Dialect dialect)
    {
        final EmbeddedChannel channel = new EmbeddedChannel(MqttDecoder.forClient(dialect, MAX));
        channel.writeInbound(Unpooled.wrappedBuffer(bytes(new ConnAckPacket(false, ConnectReturnCode.ACCEPTED))));
        drain(channel);
        return channel;
    }

    static ConnectPacket connect(final Dialect dialect)
    {
        return dialect == Dialect.MOTE
            ? new ConnectPacket("mote", 0, Dialect.MOTE, true, 20000, "app-1", null, null, null)
            : new ConnectPacket("MQTT", 4, Dialect.MQTT, true, 60, "device-1", null, null, null);
    }

    static byte[] bytes(final MqttPacket... packets)
    {
        final ByteBuf buf = Unpooled.buffer();
        for (final MqttPacket packet : packets)
        {
            final int before = buf.writerIndex();
            MqttEncoder.encode(packet, buf);
            if (buf.writerIndex() - before != MqttEncoder.encodedSize(packet))
            {
                throw new AssertionError("encodedSize disagrees with encode for " + packet);
            }
        }
        return ByteBufUtil.getBytes(buf);
    }

    static List<Object> drain(final EmbeddedChannel channel)
    {
        final List<Object> out = new ArrayList<>();
        for (Object message = channel.readInbound(); message != null; message = channel.readInbound())
        {
            out.add(message);
        }
        return out;
    }

    static List<Object> feed(final EmbeddedChannel channel, final byte[] bytes)
    {
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        return drain(channel);
    }

    static void releaseAll(final List<Object> messages)
    {
        messages.forEach(ReferenceCountUtil::release);
    }

    static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Two-byte big-endian value. */
    static byte[] u16(final int value)
    {
        return new byte[] {(byte) (value >> 8), (byte) value};
    }

    /** A length-prefixed field holding the given bytes. */
    static byte[] field(final byte[] content)
    {
        return concat(u16(content.length), content);
    }

    static byte[] field(final String content)
    {
        return field(utf8(content));
    }

    /** Unsigned bytes given as ints. */
    static byte[] octets(final int... values)
    {
        final byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    static byte[] concat(final byte[]... parts)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] part : parts)
        {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A packet with this first byte and body; the remaining length is computed. */
    static byte[] packet(final int header, final byte[]... body)
    {
        final byte[] content = concat(body);
        final ByteBuf buf = Unpooled.buffer();
        buf.writeByte(header);
        MqttEncoder.writeRemainingLength(buf, content.length);
        buf.writeBytes(content);
        return ByteBufUtil.getBytes(buf);
    }

    /** A CONNECT body with the given protocol fields, flags and payload fields. */
    static byte[] connectPacket(final String name, final int level, final int flags, final byte[]... payload)
    {
        return packet(0x10, field(name), octets(level, flags), u16(60), concat(payload));
    }
}
