package io.mote.broker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Makes SIGTERM and SIGINT end the JVM with exit status 0.
 *
 * <p>Why: the JVM's own handler runs the shutdown hooks and then exits with 128 + the signal number
 * (143 for SIGTERM) even when every hook finished cleanly, so a service manager or a test would see a
 * clean stop as a failure. {@code System.exit(0)} from our handler runs the same shutdown hooks (which
 * close the broker) and reports success. {@code sun.misc.Signal} is the only way to do this in the JDK;
 * it lives in {@code jdk.unsupported}, which stays exported to every application.
 */
final class TerminationSignals
{
    private static final Logger LOG = LoggerFactory.getLogger(TerminationSignals.class);

    private TerminationSignals()
    {
    }

    /** Installs the handler for TERM and INT; where a signal cannot be handled (-Xrs), the JVM default stays. */
    static void exitNormallyOnTerminate()
    {
        for (final String name : new String[] {"TERM", "INT"})
        {
            try
            {
                Signal.handle(new Signal(name), signal -> System.exit(0));
            }
            catch (final IllegalArgumentException | UnsupportedOperationException ex)
            {
                LOG.debug("cannot handle SIG{}; it will stop the broker with the JVM's exit status", name, ex);
            }
        }
    }
}
