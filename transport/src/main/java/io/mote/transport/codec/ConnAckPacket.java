package io.mote.transport.codec;

import java.util.Objects;

/**
 * CONNACK: the server's answer to CONNECT.
 *
 * @param sessionPresent whether a persistent session was resumed; must be false unless accepted
 * @param returnCode     the outcome; anything but {@link ConnectReturnCode#ACCEPTED} is followed by a close
 */
public record ConnAckPacket(boolean sessionPresent, ConnectReturnCode returnCode) implements MqttPacket
{
    public ConnAckPacket
    {
        Objects.requireNonNull(returnCode, "returnCode");
    }

    @Override
    public MqttMessageType type()
    {
        return MqttMessageType.CONNACK;
    }
}
