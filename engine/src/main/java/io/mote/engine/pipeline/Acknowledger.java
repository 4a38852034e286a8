package io.mote.engine.pipeline;

import io.mote.engine.Outbound;

/**
 * Sends the publish verdicts of one ring event: PUBACK/PUBREC for accepted publishes, a refusal for
 * the rest, and a refusal for all of them once the journal has failed. Owned by the journal stage,
 * which calls it only after the event's rows are journaled (and flushed per the fsync mode) and the
 * encoder has handed the event's messages to the sessions.
 */
final class Acknowledger
{
    private final Outbound outbound;

    Acknowledger(final Outbound outbound)
    {
        this.outbound = outbound;
    }

    void acknowledge(final MatchResult result, final String journalFailure)
    {
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
