package io.mote.transport.it;

import io.mote.engine.topic.Dialect;
import io.mote.transport.codec.ConnectPacket;
import io.mote.transport.codec.Will;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Hand-built packet bytes, for input the project's encoder would refuse to produce. */
final class Packets
{
    private Packets()
    {
    }

    /** A packet with this first byte and body, the remaining length encoded correctly. */
    static byte[] packet(final int firstByte, final byte[]... body)
    {
        final byte[] content = RawMqttClient.concat(body);
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        int rest = content.length;
        do
        {
            final int digit = rest & 0x7F;
            rest >>>= 7;
            out.write(rest > 0 ? digit | 0x80 : digit);
        }
        while (rest > 0);
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** A length-prefixed field holding the UTF-8 of {@code text}. */
    static byte[] str(final String text)
    {
        return bin(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A length-prefixed field holding these bytes as they are. */
    static byte[] bin(final byte[] bytes)
    {
        return RawMqttClient.concat(u16(bytes.length), bytes);
    }

    static byte[] u16(final int value)
    {
        return new byte[] {(byte)(value >>> 8), (byte)value};
    }

    static byte[] bytes(final int... values)
    {
        final byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++)
        {
            bytes[i] = (byte)values[i];
        }
        return bytes;
    }

    static byte[] utf8(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A valid CONNECT (clean session, no keep-alive) in the dialect's protocol name. */
    static byte[] connect(final Dialect dialect, final String clientId, final Will will)
    {
        return RawMqttClient.encode(dialect == Dialect.MOTE
            ? new ConnectPacket("mote", 0, dialect, true, 0, clientId, will, null, null)
            : new ConnectPacket("MQTT", 4, dialect, true, 0, clientId, will, null, null));
    }

    /** A QoS 0 PUBLISH with an arbitrary topic field. */
    static byte[] publish(final byte[] topic, final byte[] payload, final boolean retain)
    {
        return packet(retain ? 0x31 : 0x30, bin(topic), payload);
    }

    /** A QoS 1 PUBLISH, packet id 1. */
    static byte[] publishQos1(final String topic, final String payload, final boolean retain)
    {
        return packet(retain ? 0x33 : 0x32, str(topic), u16(1), utf8(payload));
    }

    /** A SUBSCRIBE (flags 0010) of one filter field at QoS 0, packet id 1. */
    static byte[] subscribe(final byte[] filter)
    {
        return packet(0x82, u16(1), bin(filter), bytes(0));
    }
}
