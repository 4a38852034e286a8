package io.mote.transport.codec;

import java.util.Objects;

/**
 * One entry of a SUBSCRIBE payload.
 *
 * @param filter       the filter as sent, with its classification
 * @param requestedQos the maximum QoS asked for, 0..2 (the decoder refuses 3 and reserved option bits)
 */
public record Subscription(TopicFilter filter, int requestedQos)
{
    public Subscription
    {
        Objects.requireNonNull(filter, "filter");
        if (requestedQos < 0 || requestedQos > 2)
        {
            throw new IllegalArgumentException("requested QoS must be 0..2: " + requestedQos);
        }
    }
}
