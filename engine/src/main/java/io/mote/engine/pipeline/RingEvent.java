package io.mote.engine.pipeline;

/**
 * One preallocated ring slot. The producer swaps its filled {@link CommandBatch} in (and takes the
 * slot's old, fully consumed batch back), the matcher fills {@link #result}, and the encoding,
 * journal and acknowledgement stages read it. Created once per slot by the ring's factory.
 */
public final class RingEvent
{
    CommandBatch commands = new CommandBatch();
    final MatchResult result = new MatchResult();

    public CommandBatch commands()
    {
        return commands;
    }

    public MatchResult result()
    {
        return result;
    }
}
