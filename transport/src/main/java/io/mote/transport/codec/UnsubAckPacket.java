package io.mote.transport.codec;

/**
 * UNSUBACK: acknowledges one UNSUBSCRIBE packet, whatever its filters matched.
 *
 * @param packetId the identifier of the packet being acknowledged, 1..65535
 */
public record UnsubAckPacket(int packetId) implements MqttPacket
{
    @Override
    public MqttMessageType type()
    {
        return MqttMessageType.UNSUBACK;
    }
}
