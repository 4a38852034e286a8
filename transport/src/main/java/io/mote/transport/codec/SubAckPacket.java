package io.mote.transport.codec;

import java.util.Arrays;

/**
 * SUBACK: one return code per requested filter, in SUBSCRIBE order.
 *
 * @param packetId    the SUBSCRIBE's identifier
 * @param returnCodes granted QoS 0..2, or {@link #FAILURE}; not copied, so callers must not modify it
 */
public record SubAckPacket(int packetId, int[] returnCodes) implements MqttPacket
{
    /** Return code for a refused filter. */
    public static final int FAILURE = 0x80;

    public SubAckPacket
    {
        if (returnCodes.length == 0)
        {
            throw new IllegalArgumentException("SUBACK needs at least one return code");
        }
        for (final int code : returnCodes)
        {
            if (!isValidReturnCode(code))
            {
                throw new IllegalArgumentException("invalid SUBACK return code: " + code);
            }
        }
    }

    /** True for 0, 1, 2 and {@link #FAILURE}, the only codes MQTT 3.1.1 allows. */
    public static boolean isValidReturnCode(final int code)
    {
        return (code >= 0 && code <= 2) || code == FAILURE;
    }

    @Override
    public MqttMessageType type()
    {
        return MqttMessageType.SUBACK;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof SubAckPacket that && packetId == that.packetId && Arrays.equals(returnCodes, that.returnCodes);
    }

    @Override
    public int hashCode()
    {
        return packetId * 31 + Arrays.hashCode(returnCodes);
    }

    @Override
    public String toString()
    {
        return "SubAckPacket[packetId=" + packetId + ", returnCodes=" + Arrays.toString(returnCodes) + "]";
    }
}
