package io.mote.transport.codec;

/**
 * PINGREQ: client keep-alive probe. Has no variable header or payload, so one shared instance suffices.
 */
public enum PingReqPacket implements MqttPacket
{
    INSTANCE;

    @Override
    public MqttMessageType type()
    {
        return MqttMessageType.PINGREQ;
    }
}
