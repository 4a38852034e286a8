package io.mote.transport.codec;

/**
 * PUBACK: acknowledges a QoS 1 PUBLISH.
 *
 * @param packetId the identifier of the packet being acknowledged, 1..65535
 */
public record PubAckPacket(int packetId) implements MqttPacket
{
    @Override
    public MqttMessageType type()
    {
        return MqttMessageType.PUBACK;
    }
}
