package io.mote.transport.codec;

/**
 * PINGRESP: server answer to PINGREQ. Has no variable header or payload, so one shared instance suffices.
 */
public enum PingRespPacket implements MqttPacket
{
    INSTANCE;

    @Override
    public MqttMessageType type()
    {
        return MqttMessageType.PINGRESP;
    }
}
