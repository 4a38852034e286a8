package io.mote.transport.codec;

/**
 * PUBREL: second step of a QoS 2 flow; the sender releases the packet identifier for delivery.
 *
 * @param packetId the identifier of the packet being acknowledged, 1..65535
 */
public record PubRelPacket(int packetId) implements MqttPacket
{
    @Override
    public MqttMessageType type()
    {
        return MqttMessageType.PUBREL;
    }
}
