package io.mote.transport.codec;

/**
 * Input that breaks MQTT 3.1.1 or the connection's dialect (PROTOCOL.md §6). MQTT answers it by
 * closing the connection without any reply; the will is published.
 *
 * @param type   the packet type from the fixed header, or null when that nibble is reserved
 * @param reason the rule broken, for the one log line
 */
public record MalformedPacket(MqttMessageType type, String reason) implements DecodeFailure
{
}
