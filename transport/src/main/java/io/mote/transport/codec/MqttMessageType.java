package io.mote.transport.codec;

/**
 * The fourteen MQTT 3.1.1 control packet types, by the value of the fixed header's upper nibble.
 */
public enum MqttMessageType
{
    CONNECT(1),
    CONNACK(2),
    PUBLISH(3),
    PUBACK(4),
    PUBREC(5),
    PUBREL(6),
    PUBCOMP(7),
    SUBSCRIBE(8),
    SUBACK(9),
    UNSUBSCRIBE(10),
    UNSUBACK(11),
    PINGREQ(12),
    PINGRESP(13),
    DISCONNECT(14);

    /** Indexed by nibble; 0 and 15 are reserved and stay null. Cached because values() copies. */
    private static final MqttMessageType[] BY_VALUE = new MqttMessageType[16];

    static
    {
        for (final MqttMessageType type : values())
        {
            BY_VALUE[type.value] = type;
        }
    }

    private final int value;

    MqttMessageType(final int value)
    {
        this.value = value;
    }

    /** The value carried in bits 7-4 of the fixed header. */
    public int value()
    {
        return value;
    }

    /** @return the type for a fixed-header nibble (0..15), or null for the reserved values 0 and 15. */
    public static MqttMessageType fromValue(final int value)
    {
        return BY_VALUE[value & 0x0F];
    }
}
