package io.mote.transport.codec;

import io.mote.engine.topic.Dialect;

import java.util.ArrayList;
import java.util.List;

/**
 * Decodes SUBSCRIBE (MQTT 3.1.1 §3.8) and UNSUBSCRIBE (§3.10) bodies. Stateless.
 *
 * <p>A filter with bad syntax stays in the packet with its {@link TopicFilter#kind()} so that the
 * handler can answer 0x80 for it alone; only rules about the packet's shape make it malformed.
 */
final class SubscribeDecoder
{
    /** Bits 7-2 of the options byte are reserved in MQTT 3.1.1 (MQTT-3.8.3-4). */
    private static final int MQTT_RESERVED_OPTIONS = 0xFC;
    /** The mote app reserves bit 2 for a future retain option, so the mote dialect ignores it (PROTOCOL.md §5.1). */
    private static final int MOTE_RESERVED_OPTIONS = 0xF8;

    private SubscribeDecoder()
    {
    }

    static SubscribePacket decodeSubscribe(final PacketReader in, final Dialect dialect)
    {
        final int packetId = in.readPacketId();
        final int reserved = dialect == Dialect.MOTE ? MOTE_RESERVED_OPTIONS : MQTT_RESERVED_OPTIONS;
        final List<Subscription> subscriptions = new ArrayList<>(2);
        while (in.hasRemaining())
        {
            final byte[] filter = in.readUtf8Bytes("topic filter");
            final int options = in.readUnsignedByte("subscription options");
            if ((options & reserved) != 0)
            {
                throw in.error(String.format("reserved subscription option bits set (0x%02X) (MQTT-3.8.3-4)", options));
            }
            final int qos = options & 0x03;
            if (qos == 3)
            {
                throw in.error("requested QoS 3 is invalid (MQTT-3.8.3-4)");
            }
            subscriptions.add(new Subscription(TopicFilter.parse(filter, dialect), qos));
        }
        if (subscriptions.isEmpty())
        {
            throw in.error("no topic filter (MQTT-3.8.3-3)");
        }
        return new SubscribePacket(packetId, subscriptions);
    }

    static UnsubscribePacket decodeUnsubscribe(final PacketReader in, final Dialect dialect)
    {
        final int packetId = in.readPacketId();
        final List<TopicFilter> filters = new ArrayList<>(2);
        while (in.hasRemaining())
        {
            filters.add(TopicFilter.parse(in.readUtf8Bytes("topic filter"), dialect));
        }
        if (filters.isEmpty())
        {
            throw in.error("no topic filter (MQTT-3.10.3-2)");
        }
        return new UnsubscribePacket(packetId, filters);
    }
}
