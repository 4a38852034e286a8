package io.mote.engine.pipeline;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;

import java.util.concurrent.locks.LockSupport;

/**
 * Waits by spinning, then yielding, then parking for exponentially longer spells up to a ceiling,
 * and never needs a signal, so publishers pay nothing to wake anyone.
 *
 * <p>Why not the Disruptor's blocking strategies: they block only on the ring's cursor and then
 * busy-spin on the sequence of the stage in front, so on a two-core machine the three stages behind
 * the matcher spin while it works and take the cores it needs. Here every wait, on the cursor or
 * on a stage in front, backs off the same way. Idle, each thread wakes at most every
 * {@code maxParkNanos}; under load it never parks.
 */
public final class BackoffWaitStrategy implements WaitStrategy
{
    private static final int SPINS = 100;
    private static final int YIELDS = 100;
    private static final long FIRST_PARK_NANOS = 1_000;

    private final long maxParkNanos;

    public BackoffWaitStrategy(final long maxParkNanos)
    {
        if (maxParkNanos < FIRST_PARK_NANOS)
        {
            throw new IllegalArgumentException("max park must be at least 1 µs, was " + maxParkNanos + " ns");
        }
        this.maxParkNanos = maxParkNanos;
    }

    @Override
    public long waitFor(final long sequence, final Sequence cursor, final Sequence dependentSequence, final SequenceBarrier barrier)
        throws AlertException
    {
        long available;
        int waits = 0;
        long park = FIRST_PARK_NANOS;
        while ((available = dependentSequence.get()) < sequence)
        {
            barrier.checkAlert();
            if (waits < SPINS)
            {
                Thread.onSpinWait();
            }
            else if (waits < SPINS + YIELDS)
            {
                Thread.yield();
            }
            else
            {
                LockSupport.parkNanos(park);
                park = Math.min(park << 1, maxParkNanos);
            }
            waits++;
        }
        return available;
    }

    @Override
    public void signalAllWhenBlocking()
    {
    }
}
