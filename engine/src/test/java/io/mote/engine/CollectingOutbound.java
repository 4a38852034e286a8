package io.mote.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An {@link Outbound} that keeps everything it is given, for tests. Thread safe: the engine calls it
 * from its encoding and acknowledgement threads while the test thread reads.
 */
public final class CollectingOutbound implements Outbound
{
    /** One message as a subscriber would receive it, and whose QoS 1/2 publish it comes from (0: none). */
    public record Message(long subscriberId, String topic, byte[] payload, int qos, boolean retain, long publisherId)
    {
        public String payloadText()
        {
            return new String(payload, StandardCharsets.UTF_8);
        }

        @Override
        public String toString()
        {
            return "Message{" + subscriberId + " " + topic + " '" + payloadText() + "' qos" + qos + (retain ? " retain" : "") + "}";
        }
    }

    /** A verdict on a publish: rejection is null when it was accepted. */
    public record Verdict(long clientId, int packetId, int qos, String rejection)
    {
    }

    private final ConcurrentLinkedQueue<Message> messages = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Verdict> verdicts = new ConcurrentLinkedQueue<>();

    @Override
    public void deliver(final long subscriberId, final byte[] topic, final int topicOffset, final int topicLength,
        final byte[] payload, final int payloadOffset, final int payloadLength, final int qos, final boolean retain, final long publisherId)
    {
        messages.add(new Message(subscriberId, new String(topic, topicOffset, topicLength, StandardCharsets.UTF_8),
            Arrays.copyOfRange(payload, payloadOffset, payloadOffset + payloadLength), qos, retain, publisherId));
    }

    @Override
    public void flush()
    {
    }

    @Override
    public void publishAccepted(final long clientId, final int packetId, final int qos)
    {
        verdicts.add(new Verdict(clientId, packetId, qos, null));
    }

    @Override
    public void publishRejected(final long clientId, final int packetId, final String reason)
    {
        verdicts.add(new Verdict(clientId, packetId, 0, reason));
    }

    /** Everything received since the last call, in arrival order. */
    public List<Message> drainMessages()
    {
        final List<Message> drained = new ArrayList<>();
        for (Message m; (m = messages.poll()) != null; )
        {
            drained.add(m);
        }
        return drained;
    }

    public List<Verdict> drainVerdicts()
    {
        final List<Verdict> drained = new ArrayList<>();
        for (Verdict v; (v = verdicts.poll()) != null; )
        {
            drained.add(v);
        }
        return drained;
    }
}
