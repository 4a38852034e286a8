package io.mote.transport.codec;

/**
 * PUBCOMP: last step of a QoS 2 flow; the packet identifier is free again.
 *
 * @param packetId the identifier of the packet being acknowledged, 1..65535
 */
public record PubCompPacket(int packetId) implements MqttPacket
{
    @Override
    public MqttMessageType type()
    {
        return MqttMessageType.PUBCOMP;
    }
}
