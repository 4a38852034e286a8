package io.mote.transport.codec;

/**
 * PUBREC: first answer to a QoS 2 PUBLISH (received, not yet released).
 *
 * @param packetId the identifier of the packet being acknowledged, 1..65535
 */
public record PubRecPacket(int packetId) implements MqttPacket
{
    @Override
    public MqttMessageType type()
    {
        return MqttMessageType.PUBREC;
    }
}
