package io.mote.transport.codec;

import io.mote.engine.topic.Utf8;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked reads of MQTT fields from one packet's body, each failure naming the field and
 * the packet. The body is a slice ending exactly at the packet's end, so a length prefix can never
 * read into the next packet.
 */
final class PacketReader
{
    private final ByteBuf body;
    private final String packet;

    PacketReader(final ByteBuf body, final MqttMessageType type)
    {
        this.body = body;
        this.packet = type.name();
    }

    ByteBuf body()
    {
        return body;
    }

    boolean hasRemaining()
    {
        return body.isReadable();
    }

    DecodeException error(final String rule)
    {
        return new DecodeException(packet + ": " + rule);
    }

    int readUnsignedByte(final String field)
    {
        require(1, field);
        return body.readUnsignedByte();
    }

    int readUnsignedShort(final String field)
    {
        require(2, field);
        return body.readUnsignedShort();
    }

    /** MQTT-2.3.1-1: packets that carry an identifier never carry 0. */
    int readPacketId()
    {
        final int id = readUnsignedShort("packet identifier");
        if (id == 0)
        {
            throw error("packet identifier is 0 (MQTT-2.3.1-1)");
        }
        return id;
    }

    /** Reads a two-byte length prefix and checks that many bytes follow, leaving them unread. */
    int readLengthPrefix(final String field)
    {
        final int length = readUnsignedShort(field + " length");
        require(length, field);
        return length;
    }

    /** A length-prefixed binary field, copied. */
    byte[] readBinary(final String field)
    {
        final byte[] bytes = new byte[readLengthPrefix(field)];
        body.readBytes(bytes);
        return bytes;
    }

    /** A length-prefixed UTF-8 string as bytes; ill-formed UTF-8 or U+0000 is malformed (MQTT-1.5.3-1, -2). */
    byte[] readUtf8Bytes(final String field)
    {
        final byte[] bytes = readBinary(field);
        if (!Utf8.isValidMqttString(bytes, 0, bytes.length))
        {
            throw error(field + " is not well-formed UTF-8 or contains U+0000 (MQTT-1.5.3)");
        }
        return bytes;
    }

    String readUtf8(final String field)
    {
        return new String(readUtf8Bytes(field), StandardCharsets.UTF_8);
    }

    /** Fixed-size packets and CONNECT must end where their last field ends. */
    void expectEnd()
    {
        if (body.isReadable())
        {
            throw error(body.readableBytes() + " unexpected bytes after the last field");
        }
    }

    void expectRemainingLength(final int expected)
    {
        if (body.readableBytes() != expected)
        {
            throw error("remaining length must be " + expected + " but is " + body.readableBytes());
        }
    }

    private void require(final int length, final String field)
    {
        if (body.readableBytes() < length)
        {
            throw error("truncated " + field + " (needs " + length + " bytes, " + body.readableBytes() + " left)");
        }
    }
}
