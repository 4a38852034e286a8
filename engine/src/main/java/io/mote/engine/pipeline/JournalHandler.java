package io.mote.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import io.mote.engine.Journal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last stage: hands retained changes to the {@link Journal} (behind the matcher, since only the
 * matcher knows what a wildcard or replace publish changed), makes one flush decision per run of
 * events, and then sends the verdicts of that run's publishes.
 *
 * <p>It runs behind the encoder, so by the time a PUBACK/PUBREC goes out the rows are journaled and
 * the messages are in the sessions (persistent ones record them): an acknowledgement never
 * precedes durability, and waiting for it costs a sequence check, not a lock. Acknowledging here
 * rather than on a stage of its own saves a thread hand-off per event, which is what a lightly
 * loaded ring mostly spends its time on.
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
    private final Acknowledger acknowledger;
    private final RingBuffer<RingEvent> ring;
    /** First event of the current run, whose verdicts wait for the run's flush. */
    private long runStart = -1;
    private volatile String failure;

    /** @param ring the ring this stage runs on: it reads back the run's events to acknowledge them */
    JournalHandler(final Journal journal, final Acknowledger acknowledger, final RingBuffer<RingEvent> ring)
    {
        this.journal = journal;
        this.acknowledger = acknowledger;
        this.ring = ring;
    }

    @Override
    public void onEvent(final RingEvent event, final long sequence, final boolean endOfBatch)
    {
        if (runStart < 0)
        {
            runStart = sequence;
        }
        if (failure == null)
        {
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
        if (endOfBatch)
        {
            // The events of this run stay in the ring until this stage's sequence moves past them.
            // The run is closed before acknowledging: should an acknowledgement throw, the next run
            // must not start from this one's events again (the processor moves on past them).
            final long first = runStart;
            runStart = -1;
            final String journalFailure = failure;
            for (long s = first; s <= sequence; s++)
            {
                acknowledger.acknowledge(ring.get(s).result, journalFailure);
            }
        }
    }

    /** Why the journal stopped working, or null while it works. Any thread. */
    String failure()
    {
        return failure;
    }
}
