package io.mote.transport.codec;

import io.netty.buffer.ByteBuf;

/**
 * CONNECT's layout for {@link MqttEncoder}: the one packet whose size depends on optional fields.
 */
final class ConnectEncoding
{
    private ConnectEncoding()
    {
    }

    static int remainingLength(final ConnectPacket packet)
    {
        long length = 2L + MqttEncoder.utf8Length(packet.protocolName()) + 1 + 1 + 2;
        length += 2 + MqttEncoder.utf8Length(packet.clientId());
        final Will will = packet.will();
        if (will != null)
        {
            length += 2 + MqttEncoder.checkFieldLength(will.topic().length, "will topic");
            length += 2 + MqttEncoder.checkFieldLength(will.payload().length, "will message");
        }
        if (packet.username() != null)
        {
            length += 2 + MqttEncoder.utf8Length(packet.username());
        }
        if (packet.password() != null)
        {
            length += 2 + MqttEncoder.checkFieldLength(packet.password().length, "password");
        }
        return MqttEncoder.checkRemainingLength(length);
    }

    static void encode(final ConnectPacket packet, final ByteBuf out)
    {
        if (packet.keepAliveSeconds() < 0 || packet.keepAliveSeconds() > 0xFFFF)
        {
            throw new IllegalArgumentException("keep alive must be 0..65535: " + packet.keepAliveSeconds());
        }
        final int remainingLength = remainingLength(packet);
        out.writeByte(0x10);
        MqttEncoder.writeRemainingLength(out, remainingLength);
        MqttEncoder.writeUtf8(out, packet.protocolName());
        out.writeByte(packet.protocolLevel());
        out.writeByte(flags(packet));
        out.writeShort(packet.keepAliveSeconds());
        MqttEncoder.writeUtf8(out, packet.clientId());
        final Will will = packet.will();
        if (will != null)
        {
            MqttEncoder.writeBinary(out, will.topic());
            MqttEncoder.writeBinary(out, will.payload());
        }
        if (packet.username() != null)
        {
            MqttEncoder.writeUtf8(out, packet.username());
        }
        if (packet.password() != null)
        {
            MqttEncoder.writeBinary(out, packet.password());
        }
    }

    private static int flags(final ConnectPacket packet)
    {
        int flags = packet.cleanSession() ? 0x02 : 0;
        final Will will = packet.will();
        if (will != null)
        {
            flags |= 0x04 | will.qos() << 3 | (will.retain() ? 0x20 : 0);
        }
        if (packet.password() != null)
        {
            flags |= 0x40;
        }
        if (packet.username() != null)
        {
            flags |= 0x80;
        }
        return flags;
    }
}
