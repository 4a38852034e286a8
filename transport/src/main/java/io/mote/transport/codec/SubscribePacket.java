package io.mote.transport.codec;

import java.util.List;

/**
 * SUBSCRIBE: one or more filters, each answered by one SUBACK return code in the same order.
 *
 * @param packetId      1..65535
 * @param subscriptions at least one; immutable
 */
public record SubscribePacket(int packetId, List<Subscription> subscriptions) implements MqttPacket
{
    public SubscribePacket
    {
        subscriptions = List.copyOf(subscriptions);
    }

    @Override
    public MqttMessageType type()
    {
        return MqttMessageType.SUBSCRIBE;
    }
}
