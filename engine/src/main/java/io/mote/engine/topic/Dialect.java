package io.mote.engine.topic;

/**
 * How one connection is spoken to, fixed at CONNECT.
 *
 * <p>{@link #MOTE} connections publish trees and receive one aggregated message per
 * subscription and batch; {@link #MQTT} connections get plain MQTT 3.1.1 behaviour.
 */
public enum Dialect
{
    MOTE,
    MQTT;

    private static final Dialect[] VALUES = values();

    public static Dialect fromOrdinal(final int ordinal)
    {
        return VALUES[ordinal];
    }
}
