package io.mote.transport.codec;

/**
 * One MQTT 3.1.1 control packet, as decoded by {@link MqttDecoder} or handed to {@link MqttEncoder}.
 *
 * <p>Each packet type has its own class. Only {@link PublishPacket} holds buffers and is reference
 * counted; every other packet is a plain immutable value.
 */
public interface MqttPacket
{
    /** The packet's type, which fixes its class. */
    MqttMessageType type();
}
