package io.mote.transport.codec;

import io.mote.engine.topic.Utf8;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked reads of MQTT fields from one packet's body, each failure naming the field and
 * the packet. Reads are bounded by the packet's end index, not the buffer's, so a length prefix can
 * never read into the next packet; every read goes through {@link #require} for that reason.
 *
 * <p>One reader per decoder, re-aimed at each packet with {@link #wrap}: reading a packet allocates
 * nothing. Owned by the decoder's event loop.
 */
final class PacketReader
{
    private ByteBuf body;
    private int end;
    private MqttMessageType packet;

    /** Aims the reader at the packet whose body runs from {@code body}'s reader index to {@code end}. */
    PacketReader wrap(final ByteBuf body, final int end, final MqttMessageType type)
    {
        this.body = body;
        this.end = end;
        this.packet = type;
        return this;
    }

    /** The input buffer; the body starts at its reader index and ends at {@link #remaining()} bytes on. */
    ByteBuf body()
    {
        return body;
    }

    int remaining()
    {
        return end - body.readerIndex();
    }

    boolean hasRemaining()
    {
        return remaining() > 0;
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
        if (remaining() < 2)
        {
            // The field's name is joined only here: a PUBLISH must not build a string per packet.
            throw error("truncated " + field + " length (needs 2 bytes, " + remaining() + " left)");
        }
        final int length = body.readUnsignedShort();
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
        if (hasRemaining())
        {
            throw error(remaining() + " unexpected bytes after the last field");
        }
    }

    void expectRemainingLength(final int expected)
    {
        if (remaining() != expected)
        {
            throw error("remaining length must be " + expected + " but is " + remaining());
        }
    }

    private void require(final int length, final String field)
    {
        if (remaining() < length)
        {
            throw error("truncated " + field + " (needs " + length + " bytes, " + remaining() + " left)");
        }
    }
}
