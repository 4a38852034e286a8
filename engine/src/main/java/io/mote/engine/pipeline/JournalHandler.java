package io.mote.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.mote.engine.Journal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands retained changes to the {@link Journal} behind the matcher (only the matcher knows what a
 * wildcard or replace publish changed), with one flush decision per run of events.
 *
 * <p>A journal that fails (disk full, a failed force) puts the engine in a failed state instead of
 * letting acknowledgements go out for changes that are not durable: from then on every publish
 * that asks for an acknowledgement is refused, so clients keep their messages and retry elsewhere
 * or later. The failure is logged once with its cause.
 */
final class JournalHandler implements EventHandler<RingEvent>
{
    private static final Logger LOG = LoggerFactory.getLogger(JournalHandler.class);

    private final Journal journal;
    private volatile String failure;

    JournalHandler(final Journal journal)
    {
        this.journal = journal;
    }

    @Override
    public void onEvent(final RingEvent event, final long sequence, final boolean endOfBatch)
    {
        if (failure != null)
        {
            return;
        }
        try
        {
            if (event.result.changeCount() > 0)
            {
                journal.append(event.result, sequence);
            }
            if (endOfBatch)
            {
                journal.endOfBatch(sequence);
            }
        }
        catch (final RuntimeException | Error ex)
        {
            failure = "journal failed at event " + sequence + ": " + ex;
            LOG.error("journal failed at event {}; publishes are no longer acknowledged", sequence, ex);
        }
    }

    /** Why the journal stopped working, or null while it works. Any thread. */
    String failure()
    {
        return failure;
    }
}
