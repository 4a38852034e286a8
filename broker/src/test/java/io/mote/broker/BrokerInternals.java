package io.mote.broker;

import io.mote.persistence.Persistence;

/** What tests in other packages may reach inside a running in-process broker. */
public final class BrokerInternals
{
    private BrokerInternals()
    {
    }

    public static Persistence persistence(final MoteBroker broker)
    {
        return broker.persistence();
    }
}
