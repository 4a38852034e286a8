package io.mote.engine.pipeline;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.EventProcessorFactory;
import io.mote.engine.EngineStats;
import io.mote.engine.Journal;
import io.mote.engine.Outbound;
import io.mote.engine.match.Matcher;
import io.mote.engine.tree.TreeLimits;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Wires the stages onto the ring: match, then encode (persistent sessions record their messages
 * while being encoded for), then journal and acknowledge. Stats are published by the matching
 * thread once per run of events.
 */
public final class Pipeline
{
    private final Disruptor<RingEvent> disruptor;
    private final StatsPublisher stats;

    /**
     * Longest run of events a stage takes before its end-of-batch: that is when the encoder wakes
     * connections, the journal flushes, and a stage's sequence (which the next stage waits on)
     * moves. Unbounded, a saturated ring makes runs of a whole ring and starves all three.
     */
    static final int MAX_BATCH = 64;

    /**
     * @param waitStrategy the ring's; a {@link ParkingWaitStrategy} is signalled by each stage at the
     *                     end of its runs, so that the stages behind it wake
     */
    public Pipeline(final Disruptor<RingEvent> disruptor, final WaitStrategy waitStrategy, final Matcher matcher, final Outbound outbound,
        final Journal journal, final ExceptionHandler<RingEvent> exceptionHandler)
    {
        this.disruptor = disruptor;
        this.stats = new StatsPublisher(matcher);
        final JournalHandler journalStage = new JournalHandler(journal, new Acknowledger(outbound), disruptor.getRingBuffer());
        // A chain, not a fork: the journal stage also acknowledges, and an acknowledgement must
        // wait for the encoder (which hands QoS 1/2 messages to persistent sessions, which record
        // them) as much as for the journal. Stages still overlap across runs of events.
        disruptor.handleEventsWith(bounded(new MatchHandler(matcher, stats), waitStrategy, exceptionHandler))
            .then(bounded(new EncodeHandler(outbound), waitStrategy, exceptionHandler))
            .then(bounded(journalStage, waitStrategy, exceptionHandler));
    }

    private static EventProcessorFactory<RingEvent> bounded(final EventHandler<RingEvent> stage, final WaitStrategy waitStrategy,
        final ExceptionHandler<RingEvent> exceptionHandler)
    {
        final EventHandler<RingEvent> handler = waitStrategy instanceof ParkingWaitStrategy
            ? ((ParkingWaitStrategy)waitStrategy).signalling(stage)
            : stage;
        return (ring, barrierSequences) ->
        {
            final BatchEventProcessor<RingEvent> processor = new BatchEventProcessorBuilder()
                .setMaxBatchSize(MAX_BATCH)
                .build(ring, ring.newBarrier(barrierSequences), handler);
            processor.setExceptionHandler(exceptionHandler);
            return processor;
        };
    }

    public EngineProducer newProducer(final TreeLimits limits)
    {
        return new EngineProducer(disruptor.getRingBuffer(), limits);
    }

    /** Before the ring starts only: makes restored state visible in {@link #stats()}. */
    public void publishStats()
    {
        stats.publish();
    }

    public EngineStats stats()
    {
        return stats.current();
    }

    /**
     * Counters of the matching thread, republished at the end of each of its runs of events without
     * allocating: at 20 000 single-message runs a second, one record per run was a steady stream of
     * garbage, and its young collections were the broker's latency tail. A sequence lock keeps a
     * reading consistent: the matching thread is the only writer; readers retry while it writes.
     */
    static final class StatsPublisher
    {
        private static final int VERSION = 0;
        private static final int FIELDS = 7;

        private final Matcher matcher;
        /** [0] = version, odd while the writer is between its first and last store; then the counters. */
        private final AtomicLongArray slots = new AtomicLongArray(1 + FIELDS);

        StatsPublisher(final Matcher matcher)
        {
            this.matcher = matcher;
        }

        /** Matching thread only. */
        void publish()
        {
            final long version = slots.getPlain(VERSION);
            slots.setRelease(VERSION, version + 1);
            VarHandle.storeStoreFence();
            slots.setRelease(1, matcher.publishes());
            slots.setRelease(2, matcher.rowsRouted());
            slots.setRelease(3, matcher.deliveries());
            slots.setRelease(4, matcher.retainedTree().rowCount());
            slots.setRelease(5, matcher.subscriptions().size());
            slots.setRelease(6, matcher.levelTable().size());
            slots.setRelease(7, matcher.retainedTree().footprintBytes());
            slots.setRelease(VERSION, version + 2);
        }

        EngineStats current()
        {
            while (true)
            {
                final long before = slots.getAcquire(VERSION);
                final EngineStats reading = new EngineStats(
                    slots.getAcquire(1), slots.getAcquire(2), slots.getAcquire(3), slots.getAcquire(4),
                    slots.getAcquire(5), slots.getAcquire(6), slots.getAcquire(7));
                VarHandle.loadLoadFence();
                if ((before & 1) == 0 && slots.getAcquire(VERSION) == before)
                {
                    return reading;
                }
                Thread.onSpinWait();
            }
        }
    }
}
