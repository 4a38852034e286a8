package io.mote.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.mote.engine.Journal;

/**
 * Hands retained changes to the {@link Journal} behind the matcher (only the matcher knows what a
 * wildcard or replace publish changed), with one flush decision per run of events.
 */
final class JournalHandler implements EventHandler<RingEvent>
{
    private final Journal journal;

    JournalHandler(final Journal journal)
    {
        this.journal = journal;
    }

    @Override
    public void onEvent(final RingEvent event, final long sequence, final boolean endOfBatch)
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
}
