package io.mote.persistence;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Compacts the session log in the background each time a given number of record bytes was
 * appended since the last compaction, so disk use stays at the live sessions plus that much.
 *
 * <p>Threads: its own ({@code mote-sessions-compactor}); it reads the log's appended-bytes counter
 * and calls {@link SessionStore#compactNow()}. {@link #close()} from the closing thread.
 */
final class SessionCompactor implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(SessionCompactor.class);
    private static final long POLL_MS = 200;

    private final SessionStore store;
    private final ChronicleSessionLog log;
    private final long thresholdBytes;
    private final Thread thread;
    private volatile boolean closed;

    SessionCompactor(final SessionStore store, final ChronicleSessionLog log, final long thresholdBytes)
    {
        if (thresholdBytes <= 0)
        {
            throw new IllegalArgumentException("session log compaction needs a positive size, was " + thresholdBytes);
        }
        this.store = store;
        this.log = log;
        this.thresholdBytes = thresholdBytes;
        // The baseline is taken here, not on the new thread, so appends made right after the
        // constructor returns count towards the first compaction.
        final long bytesAtStart = log.appendedBytes();
        this.thread = new Thread(() -> run(bytesAtStart), "mote-sessions-compactor");
        thread.setDaemon(true);
    }

    void start()
    {
        thread.start();
    }

    private void run(final long bytesAtStart)
    {
        long bytesAtLast = bytesAtStart;
        while (!closed)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MS));
            final long bytes = log.appendedBytes();
            // A failed log appends nothing more; its segments stay as they are for the next start.
            if (closed || bytes - bytesAtLast < thresholdBytes || log.failure() != null)
            {
                continue;
            }
            // Counted from the start of this run: what is appended during it is in the new segment.
            bytesAtLast = bytes;
            try
            {
                final long startNs = System.nanoTime();
                store.compactNow();
                LOG.info("session log compacted in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
            }
            catch (final RuntimeException ex)
            {
                LOG.error("session log compaction failed; the log stays as it was and the next compaction starts over", ex);
            }
        }
    }

    /** Stops the thread, waiting for a compaction in progress to finish. */
    @Override
    public void close()
    {
        closed = true;
        LockSupport.unpark(thread);
        try
        {
            thread.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
