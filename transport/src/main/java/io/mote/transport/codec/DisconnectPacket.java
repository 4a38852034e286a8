package io.mote.transport.codec;

/**
 * DISCONNECT: the client closes cleanly, so its will is discarded. Has no variable header or payload, so one shared instance suffices.
 */
public enum DisconnectPacket implements MqttPacket
{
    INSTANCE;

    @Override
    public MqttMessageType type()
    {
        return MqttMessageType.DISCONNECT;
    }
}
