package io.mote.engine;

import io.mote.engine.pipeline.MatchResult;

/**
 * The durability stage: sees every retained row change, after the matcher applied it and before any
 * acknowledgement of the publish that caused it is sent.
 *
 * <p>Called by the journal thread only. {@link #endOfBatch} is the one place to flush or force to
 * disk, once per run of ring events rather than once per row.
 */
public interface Journal
{
    /** A journal that keeps nothing: the engine alone, as in tests and benchmarks. */
    Journal NONE = new Journal()
    {
        @Override
        public void append(final MatchResult changes, final long sequence)
        {
        }

        @Override
        public void endOfBatch(final long sequence)
        {
        }
    };

    /** Appends the event's retained changes ({@link MatchResult#changeCount()} rows, in order). */
    void append(MatchResult changes, long sequence);

    /** Everything up to {@code sequence} has been appended: flush per the durability setting. */
    void endOfBatch(long sequence);
}
