package io.mote.engine.pipeline;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Spins briefly, then parks the waiting ring thread until whoever it waits on moves: a producer
 * publishing (the sequencer calls {@link #signalAllWhenBlocking}) or a stage in front finishing a
 * run of events (its handler is wrapped by {@link #signalling}, which publishes the stage's
 * sequence and then signals). So a message at a low rate crosses each stage in one wake-up instead
 * of the remainder of a back-off sleep, and an idle broker's ring threads sleep.
 *
 * <p>Why not the Disruptor's blocking strategies: they block only on the ring's cursor and
 * busy-spin on the stage in front, which on two cores takes the core that stage needs.
 *
 * <p>No wake-up is lost: a waiter first publishes itself (with the sequence it waits on and the
 * value it wants) in a slot and then re-reads that sequence; a signaller first publishes its
 * sequence and then reads the slots (all volatile, so one of the two sees the other), and wakes
 * exactly the waiters whose sequence has reached what they want. Unparking a thread that has not parked yet makes its next
 * park return at once. Parks still time out after {@link #SAFETY_PARK_NANOS}, so a sequence moved
 * without a signal (a stage's exception path) costs latency, never a hang.
 *
 * <p>Signalling costs a read of each slot when nobody waits, and an unpark per parked thread
 * otherwise. Under load the stages always find work and never park.
 */
public final class ParkingWaitStrategy implements WaitStrategy
{
    /** How long a park lasts at most when no signal comes: the engine's default. */
    public static final long SAFETY_PARK_NANOS = 10_000_000;
    private static final int SPINS = 64;
    private static final int MAX_WAITERS = 16;

    private final AtomicReferenceArray<Waiter> waiters = new AtomicReferenceArray<>(MAX_WAITERS);
    /** Each ring thread's one waiter record, reused for every wait. */
    private final ThreadLocal<Waiter> ownWaiter = ThreadLocal.withInitial(Waiter::new);
    private final long safetyParkNanos;

    public ParkingWaitStrategy()
    {
        this(SAFETY_PARK_NANOS);
    }

    /** @param safetyParkNanos how long a park lasts at most without a signal */
    public ParkingWaitStrategy(final long safetyParkNanos)
    {
        if (safetyParkNanos < 1_000)
        {
            throw new IllegalArgumentException("safety park must be at least 1 µs, was " + safetyParkNanos + " ns");
        }
        this.safetyParkNanos = safetyParkNanos;
    }

    @Override
    public long waitFor(final long sequence, final Sequence cursor, final Sequence dependentSequence, final SequenceBarrier barrier)
        throws AlertException
    {
        long available;
        for (int spins = 0; spins < SPINS; spins++)
        {
            if ((available = dependentSequence.get()) >= sequence)
            {
                return available;
            }
            barrier.checkAlert();
            Thread.onSpinWait();
        }
        final Waiter self = ownWaiter.get();
        self.dependent = dependentSequence;
        self.wanted = sequence;
        final int slot = claimSlot(self);
        try
        {
            while ((available = dependentSequence.get()) < sequence)
            {
                barrier.checkAlert();
                LockSupport.parkNanos(this, safetyParkNanos);
            }
            return available;
        }
        finally
        {
            waiters.set(slot, null);
        }
    }

    @Override
    public void signalAllWhenBlocking()
    {
        for (int i = 0; i < MAX_WAITERS; i++)
        {
            final Waiter waiter = waiters.get(i);
            // Only a waiter whose wait is over is woken: on this kind of machine every needless
            // wake-up is two context switches, and they dominated the CPU of a lightly loaded ring.
            if (waiter != null && waiter.dependent.get() >= waiter.wanted)
            {
                LockSupport.unpark(waiter.thread);
            }
        }
    }

    /**
     * Wraps a stage's handler so that the stages waiting on it are woken at the end of each of its
     * runs, after its sequence has moved (through the Disruptor's sequence callback).
     */
    public <T> EventHandler<T> signalling(final EventHandler<T> handler)
    {
        return new SignallingHandler<>(handler, this);
    }

    private int claimSlot(final Waiter self)
    {
        while (true)
        {
            for (int i = 0; i < MAX_WAITERS; i++)
            {
                if (waiters.get(i) == null && waiters.compareAndSet(i, null, self))
                {
                    return i;
                }
            }
            // More waiting threads than slots: cannot happen with the engine's four stages; wait a while.
            LockSupport.parkNanos(safetyParkNanos);
        }
    }

    /**
     * A parked thread and what it waits for. Written by its thread before it is published in a slot
     * (the volatile slot write makes the fields visible to signallers), read by signallers.
     */
    private static final class Waiter
    {
        final Thread thread = Thread.currentThread();
        Sequence dependent;
        long wanted;
    }
}
