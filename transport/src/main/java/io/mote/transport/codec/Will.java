package io.mote.transport.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The will of a CONNECT: published by the broker when the connection ends abnormally.
 *
 * <p>A decoded will's topic is valid for the connection's dialect (it may be a wildcard or, in the
 * mote dialect, a tree publish, PROTOCOL.md §5). Arrays are not copied: callers must not modify them.
 *
 * @param topic   the will topic, UTF-8
 * @param payload the will message, any bytes
 * @param qos     0..2
 * @param retain  whether the will is published retained
 */
public record Will(byte[] topic, byte[] payload, int qos, boolean retain)
{
    public Will
    {
        if (qos < 0 || qos > 2)
        {
            throw new IllegalArgumentException("will QoS must be 0..2: " + qos);
        }
    }

    /** The topic decoded as UTF-8; for logs and tests. */
    public String topicText()
    {
        return new String(topic, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof Will that && qos == that.qos && retain == that.retain
            && Arrays.equals(topic, that.topic) && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode()
    {
        return (Arrays.hashCode(topic) * 31 + Arrays.hashCode(payload)) * 31 + qos * 2 + (retain ? 1 : 0);
    }

    @Override
    public String toString()
    {
        return "Will[topic=" + topicText() + ", payload=" + payload.length + " bytes, qos=" + qos + ", retain=" + retain + "]";
    }
}
