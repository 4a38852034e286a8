package io.mote.transport.codec;

/**
 * CONNACK return codes of MQTT 3.1.1 §3.2.2.3.
 */
public enum ConnectReturnCode
{
    ACCEPTED(0x00),
    UNACCEPTABLE_PROTOCOL_VERSION(0x01),
    IDENTIFIER_REJECTED(0x02),
    SERVER_UNAVAILABLE(0x03),
    BAD_USERNAME_OR_PASSWORD(0x04),
    NOT_AUTHORIZED(0x05);

    private static final ConnectReturnCode[] VALUES = values();

    private final int value;

    ConnectReturnCode(final int value)
    {
        this.value = value;
    }

    /** The byte sent on the wire. */
    public int value()
    {
        return value;
    }

    /** @return the code for a wire byte, or null for the reserved values 6..255. */
    public static ConnectReturnCode fromValue(final int value)
    {
        return value >= 0 && value < VALUES.length ? VALUES[value] : null;
    }
}
