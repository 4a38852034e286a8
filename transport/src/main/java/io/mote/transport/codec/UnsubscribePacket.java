package io.mote.transport.codec;

import java.util.List;

/**
 * UNSUBSCRIBE: one or more filters to drop. A filter that is invalid or not subscribed simply
 * removes nothing; MQTT 3.1.1 has no per-filter result.
 *
 * @param packetId 1..65535
 * @param filters  at least one; immutable
 */
public record UnsubscribePacket(int packetId, List<TopicFilter> filters) implements MqttPacket
{
    public UnsubscribePacket
    {
        filters = List.copyOf(filters);
    }

    @Override
    public MqttMessageType type()
    {
        return MqttMessageType.UNSUBSCRIBE;
    }
}
