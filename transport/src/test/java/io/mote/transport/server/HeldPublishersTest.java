package io.mote.transport.server;

import io.mote.engine.topic.Dialect;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a publisher is queued by the congested subscribers that hold it. Max-pending 8: a subscriber
 * is congested from 4 waiting.
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

    private HeldPublishers congested(final String clientId)
    {
        final HeldPublishers holders = attachedSession(clientId).holders();
        assertThat(holders.congested(4)).isTrue();
        return holders;
    }

    private PublisherHold attached(final String clientId)
    {
        return attachedSession(clientId).publisherHold();
    }

    private Session attachedSession(final String clientId)
    {
        final Session session = registry.open(clientId, Dialect.MQTT, true).session();
        final EmbeddedChannel channel = new EmbeddedChannel();
        channels.add(channel);
        session.attach(channel, new PublisherHold(channel, session));
        return session;
    }
}
