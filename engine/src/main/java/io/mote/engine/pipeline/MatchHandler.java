package io.mote.engine.pipeline;

import com.lmax.disruptor.EventHandler;
import io.mote.engine.match.Matcher;

/** Runs the {@link Matcher}, the single writer of retained state and subscriptions, on the ring. */
final class MatchHandler implements EventHandler<RingEvent>
{
    private final Matcher matcher;
    private final Pipeline.StatsPublisher stats;

    MatchHandler(final Matcher matcher, final Pipeline.StatsPublisher stats)
    {
        this.matcher = matcher;
        this.stats = stats;
    }

    @Override
    public void onEvent(final RingEvent event, final long sequence, final boolean endOfBatch)
    {
        event.result.clear();
        matcher.apply(event.commands, event.result);
        if (endOfBatch)
        {
            stats.publish();
        }
    }
}
