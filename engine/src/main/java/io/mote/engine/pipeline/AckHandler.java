package io.mote.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.mote.engine.Outbound;

/**
 * Sends publish verdicts once the journal has the rows and the encoder has handed the messages to
 * the sessions (persistent ones record them): it runs behind both stages, so a PUBACK/PUBREC never
 * precedes durability, and waiting costs a sequence check, not a lock.
 */
final class AckHandler implements EventHandler<RingEvent>
{
    private final Outbound outbound;
    private final JournalHandler journal;

    AckHandler(final Outbound outbound, final JournalHandler journal)
    {
        this.outbound = outbound;
        this.journal = journal;
    }

    @Override
    public void onEvent(final RingEvent event, final long sequence, final boolean endOfBatch)
    {
        final MatchResult result = event.result;
        final String journalFailure = journal.failure();
        for (int i = 0, n = result.ackCount(); i < n; i++)
        {
            final String rejection = journalFailure != null ? journalFailure : result.ackRejection(i);
            if (rejection == null)
            {
                outbound.publishAccepted(result.ackClient(i), result.ackPacketId(i), result.ackQos(i));
            }
            else
            {
                outbound.publishRejected(result.ackClient(i), result.ackPacketId(i), rejection);
            }
        }
    }
}
