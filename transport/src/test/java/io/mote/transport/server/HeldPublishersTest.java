package io.mote.transport.server;

import io.mote.engine.topic.Dialect;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a publisher is queued by the congested subscribers that hold it, and what its connection
 * does when let go. Max-pending 8: a subscriber is congested from 1 waiting (a twentieth, at least 1).
 */
class HeldPublishersTest
{
    private final SessionRegistry registry = new SessionRegistry(TransportConfig.defaults().withQueueBounds(4, 8));
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeChannels()
    {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void shouldQueuePublisherOncePerSubscriberWhenItAlternatesBetweenCongestedSubscribers()
    {
        final HeldPublishers first = congested("first");
        final HeldPublishers second = congested("second");
        final PublisherHold publisher = attached("pub");

        for (int i = 0; i < 10; i++)
        {
            first.hold(publisher);
            second.hold(publisher);
        }

        assertThat(publisher.holdCount()).isEqualTo(2);
    }

    @Test
    void shouldQueuePublisherAgainWhenSubscriberCongestsAgainAfterReleasing()
    {
        final HeldPublishers subscriber = congested("sub");
        final PublisherHold publisher = attached("pub");
        subscriber.hold(publisher);
        subscriber.release();

        assertThat(subscriber.congested(4)).isTrue();
        subscriber.hold(publisher);

        assertThat(publisher.holdCount()).isEqualTo(1);
    }

    @Test
    void shouldGiveReleasedPublisherAFullKeepAlivePeriodFromTheMomentReadingResumes()
    {
        final HeldPublishers subscriber = congested("sub");
        final EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        final List<IdleStateEvent> idle = new ArrayList<>();
        channel.pipeline().addLast(new IdleStateHandler(1500, 0, 0, TimeUnit.MILLISECONDS), new ChannelInboundHandlerAdapter()
        {
            @Override
            public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
            {
                if (evt instanceof IdleStateEvent event)
                {
                    idle.add(event);
                }
            }
        });
        final PublisherHold publisher = attached("pub", channel);
        subscriber.hold(publisher);
        channel.runPendingTasks();
        assertThat(channel.config().isAutoRead()).isFalse();
        elapse(channel, 3700);
        idle.clear();

        subscriber.release();
        channel.runPendingTasks();
        // Silent for 0.9 s since reading resumed: within its keep-alive, though 4.6 s since its last read.
        elapse(channel, 900);

        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(idle).isEmpty();
    }

    /** Lets frozen time pass in small steps, running the keep-alive checks as they come due. */
    private static void elapse(final EmbeddedChannel channel, final long millis)
    {
        for (long step = 0; step < millis; step += 100)
        {
            channel.advanceTimeBy(100, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
        }
    }

    private HeldPublishers congested(final String clientId)
    {
        final HeldPublishers holders = attachedSession(clientId).holders();
        assertThat(holders.congested(4)).isTrue();
        return holders;
    }

    private PublisherHold attached(final String clientId)
    {
        return attached(clientId, new EmbeddedChannel());
    }

    private PublisherHold attached(final String clientId, final EmbeddedChannel channel)
    {
        return attachedSession(clientId, channel).publisherHold();
    }

    private Session attachedSession(final String clientId)
    {
        return attachedSession(clientId, new EmbeddedChannel());
    }

    private Session attachedSession(final String clientId, final EmbeddedChannel channel)
    {
        final Session session = registry.open(clientId, Dialect.MQTT, true).session();
        channels.add(channel);
        session.attach(channel, new PublisherHold(channel, session));
        return session;
    }
}
