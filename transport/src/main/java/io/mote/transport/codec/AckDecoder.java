package io.mote.transport.codec;

/**
 * Decodes the fixed-size packets and the server-to-client acknowledgements. Stateless.
 */
final class AckDecoder
{
    private AckDecoder()
    {
    }

    /** PUBACK, PUBREC, PUBREL, PUBCOMP and UNSUBACK: exactly a non-zero packet identifier. */
    static MqttPacket decodeIdOnly(final PacketReader in, final MqttMessageType type)
    {
        in.expectRemainingLength(2);
        final int packetId = in.readPacketId();
        return switch (type)
        {
            case PUBACK -> new PubAckPacket(packetId);
            case PUBREC -> new PubRecPacket(packetId);
            case PUBREL -> new PubRelPacket(packetId);
            case PUBCOMP -> new PubCompPacket(packetId);
            case UNSUBACK -> new UnsubAckPacket(packetId);
            default -> throw new IllegalArgumentException(type.name());
        };
    }

    /** PINGREQ, PINGRESP and DISCONNECT: remaining length 0. */
    static MqttPacket decodeEmpty(final PacketReader in, final MqttMessageType type)
    {
        in.expectRemainingLength(0);
        return switch (type)
        {
            case PINGREQ -> PingReqPacket.INSTANCE;
            case PINGRESP -> PingRespPacket.INSTANCE;
            case DISCONNECT -> DisconnectPacket.INSTANCE;
            default -> throw new IllegalArgumentException(type.name());
        };
    }

    static ConnAckPacket decodeConnAck(final PacketReader in)
    {
        in.expectRemainingLength(2);
        final int ackFlags = in.readUnsignedByte("connect acknowledge flags");
        if ((ackFlags & 0xFE) != 0)
        {
            throw in.error("reserved acknowledge flag bits set (MQTT-3.2.2-1)");
        }
        final int code = in.readUnsignedByte("return code");
        final ConnectReturnCode returnCode = ConnectReturnCode.fromValue(code);
        if (returnCode == null)
        {
            throw in.error("reserved return code " + code);
        }
        final boolean sessionPresent = ackFlags == 1;
        if (sessionPresent && returnCode != ConnectReturnCode.ACCEPTED)
        {
            throw in.error("session present with a refusing return code (MQTT-3.2.2-4)");
        }
        return new ConnAckPacket(sessionPresent, returnCode);
    }

    static SubAckPacket decodeSubAck(final PacketReader in)
    {
        final int packetId = in.readPacketId();
        if (!in.hasRemaining())
        {
            throw in.error("no return code");
        }
        final int[] codes = new int[in.remaining()];
        for (int i = 0; i < codes.length; i++)
        {
            codes[i] = in.readUnsignedByte("return code");
            if (!SubAckPacket.isValidReturnCode(codes[i]))
            {
                throw in.error("invalid return code " + codes[i] + " (MQTT-3.9.3)");
            }
        }
        return new SubAckPacket(packetId, codes);
    }
}
