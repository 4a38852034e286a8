package io.mote.engine.pipeline;

import com.lmax.disruptor.dsl.Disruptor;
import io.mote.engine.EngineStats;
import io.mote.engine.Journal;
import io.mote.engine.Outbound;
import io.mote.engine.match.Matcher;
import io.mote.engine.tree.TreeLimits;

/**
 * Wires the stages onto the ring: match, then encode and journal side by side, then acknowledge
 * behind the journal. Stats are published by the matching thread once per run of events.
 */
public final class Pipeline
{
    private final Disruptor<RingEvent> disruptor;
    private final StatsPublisher stats;

    public Pipeline(final Disruptor<RingEvent> disruptor, final Matcher matcher, final Outbound outbound, final Journal journal)
    {
        this.disruptor = disruptor;
        this.stats = new StatsPublisher(matcher);
        final MatchHandler match = new MatchHandler(matcher, stats);
        final JournalHandler journalStage = new JournalHandler(journal);
        disruptor.handleEventsWith(match);
        disruptor.after(match).handleEventsWith(new EncodeHandler(outbound), journalStage);
        disruptor.after(journalStage).handleEventsWith(new AckHandler(outbound));
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

    /** Counters of the matching thread, republished as one immutable reading per run of events. */
    static final class StatsPublisher
    {
        private final Matcher matcher;
        private volatile EngineStats current = new EngineStats(0, 0, 0, 0, 0, 0, 0);

        StatsPublisher(final Matcher matcher)
        {
            this.matcher = matcher;
        }

        /** Matching thread only. */
        void publish()
        {
            current = new EngineStats(
                matcher.publishes(),
                matcher.rowsRouted(),
                matcher.deliveries(),
                matcher.retainedTree().rowCount(),
                matcher.subscriptions().size(),
                matcher.levelTable().size(),
                matcher.retainedTree().footprintBytes());
        }

        EngineStats current()
        {
            return current;
        }
    }
}
