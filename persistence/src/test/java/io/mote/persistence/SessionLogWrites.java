package io.mote.persistence;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/** What the session store tests write to a log, and how their writer threads wait, in one place. */
final class SessionLogWrites
{
    private SessionLogWrites()
    {
    }

    static void subscribe(final SessionStore store, final long number, final String filter, final int qos)
    {
        final byte[] bytes = filter.getBytes(StandardCharsets.UTF_8);
        store.log().subscribed(number, bytes, 0, bytes.length, qos);
    }

    /** For writer threads started together: waits, keeping the interrupt for the thread. */
    static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
