package io.mote.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.WaitStrategy;

/**
 * A stage's handler that, at the end of each run of events, moves the stage's sequence itself and
 * then signals the wait strategy, so that the stages behind it (parked in a
 * {@link ParkingWaitStrategy}) wake at once. The processor sets the same sequence again
 * afterwards, which changes nothing.
 */
final class SignallingHandler<T> implements EventHandler<T>
{
    private final EventHandler<T> delegate;
    private final WaitStrategy waitStrategy;
    private Sequence sequence;

    SignallingHandler(final EventHandler<T> delegate, final WaitStrategy waitStrategy)
    {
        this.delegate = delegate;
        this.waitStrategy = waitStrategy;
    }

    @Override
    public void onEvent(final T event, final long eventSequence, final boolean endOfBatch) throws Exception
    {
        delegate.onEvent(event, eventSequence, endOfBatch);
        if (endOfBatch)
        {
            sequence.set(eventSequence);
            waitStrategy.signalAllWhenBlocking();
        }
    }

    @Override
    public void onBatchStart(final long batchSize, final long queueDepth)
    {
        delegate.onBatchStart(batchSize, queueDepth);
    }

    @Override
    public void onStart()
    {
        delegate.onStart();
    }

    @Override
    public void onShutdown()
    {
        delegate.onShutdown();
    }

    @Override
    public void onTimeout(final long timeoutSequence) throws Exception
    {
        delegate.onTimeout(timeoutSequence);
    }

    @Override
    public void setSequenceCallback(final Sequence sequenceCallback)
    {
        this.sequence = sequenceCallback;
        delegate.setSequenceCallback(sequenceCallback);
    }
}
