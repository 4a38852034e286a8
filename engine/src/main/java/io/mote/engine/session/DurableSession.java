package io.mote.engine.session;

import io.mote.engine.topic.Dialect;

import java.util.List;

/**
 * A persistent session as recovered from the {@link SessionLog}, for the transport to recreate
 * before the listeners open. Plain data, built and read by the starting thread.
 *
 * @param number        the session's durable number in the log
 * @param clientId      the MQTT client id
 * @param dialect       the dialect it connected with
 * @param subscriptions its subscriptions, in the order they were first made
 * @param messages      QoS 1/2 messages not yet completed by the client, by ascending {@code seq}
 * @param inboundQos2   inbound QoS 2 packet ids accepted (PUBREC sent or due) and not yet released
 */
public record DurableSession(long number, String clientId, Dialect dialect, List<Subscription> subscriptions,
    List<Message> messages, int[] inboundQos2)
{
    /** One subscription: the filter as sent (sync marker included) and the granted QoS. */
    public record Subscription(byte[] filter, int qos)
    {
    }

    /**
     * One outbound message.
     *
     * @param packetId 0 when never sent; otherwise the id it was sent with
     * @param released the client sent PUBREC (QoS 2): what is owed is a PUBREL, not the PUBLISH
     */
    public record Message(long seq, int qos, boolean retain, byte[] topic, byte[] payload, int packetId, boolean released)
    {
    }
}
