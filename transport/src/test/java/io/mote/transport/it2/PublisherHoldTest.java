package io.mote.transport.it2;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * QoS 1/2 flow control: a subscriber whose backlog reaches half of max-pending holds the
 * connections that publish QoS 1/2 to it (acknowledgements withheld in order, socket not read)
 * until it drains to a quarter, or goes. Max-pending 40 here: held from 20 waiting, released at 10.
 */
class PublisherHoldTest extends BrokerTestSupport
{
    private static final int WINDOW = 5;
    private static final int COUNT = 60;
    /** With the subscriber's window of 5 and 20 waiting, at most 35 wait when the hold starts: under 40. */
    private static final int PUBLISHER_WINDOW = 10;

    @Test
    void shouldWithholdPubacksWhileSubscriberDoesNotAcknowledge() throws Exception
    {
        startHolding();
        subscriber("slow", "w/#");
        final WindowedPublisher publisher = new WindowedPublisher(raw(RawClient.connected(broker.port(), "pub", true)), "w/x", 1);

        final List<Integer> acked = publisher.runUntilHeld();

        assertThat(acked).hasSizeLessThan(COUNT).isEqualTo(ids(1, acked.size()));
    }

    @Test
    void shouldWithholdPubacksWhileSubscriberStopsReading() throws Exception
    {
        // A wide window: here the subscriber's full socket, not the window, is what holds messages back.
        start(config -> config.withQueueBounds(4, 40).withInflightWindow(10_000));
        final RawClient stalled = raw(RawClient.open(broker.port(), 4096));
        stalled.send(RawClient.connect("MQTT", 4, "stalled", true, 0, null));
        stalled.expect(RawClient.CONNACK);
        stalled.send(RawClient.subscribe(1, "w/#", 1));
        stalled.expect(RawClient.SUBACK);
        // From here on "stalled" never reads its socket again; 400 x 64 KiB is more than socket buffers take.
        final int count = 400;
        final WindowedPublisher publisher = new WindowedPublisher(raw(RawClient.connected(broker.port(), "pub", true)), "w/x", 1, count, 64 * 1024);

        final List<Integer> acked = publisher.runUntilHeld();

        assertThat(acked).hasSizeLessThan(count).isEqualTo(ids(1, acked.size()));
        assertThat(broker.server().connectionCount()).isEqualTo(2);
    }

    @Test
    void shouldSendEveryWithheldPubackInPublishOrderWhenSubscriberCatchesUp() throws Exception
    {
        startHolding();
        final RawClient slow = subscriber("slow", "w/#");
        final WindowedPublisher publisher = new WindowedPublisher(raw(RawClient.connected(broker.port(), "pub", true)), "w/x", 1);
        assertThat(publisher.runUntilHeld()).hasSizeLessThan(COUNT);

        final Future<?> publishing = publisher.finishInBackground();
        final List<String> received = new ArrayList<>();
        while (received.size() < COUNT)
        {
            received.add(receiveAndAcknowledge(slow));
        }
        publishing.get();

        assertThat(received).isEqualTo(payloads(1, COUNT));
        assertThat(publisher.acked).isEqualTo(ids(1, COUNT));
        publisher.client.expectNothingButPong();
        slow.expectNothingButPong();
    }

    @Test
    void shouldReleasePublisherWhenHoldingSubscriberDisconnects() throws Exception
    {
        startHolding();
        final RawClient slow = subscriber("slow", "w/#");
        final WindowedPublisher publisher = new WindowedPublisher(raw(RawClient.connected(broker.port(), "pub", true)), "w/x", 1);
        assertThat(publisher.runUntilHeld()).hasSizeLessThan(COUNT);

        slow.close();

        publisher.runToEnd();
        assertThat(publisher.acked).isEqualTo(ids(1, COUNT));
        publisher.client.expectNothingButPong();
    }

    @Test
    void shouldKeepReadingQos0PublisherWhenSubscriberIsCongested() throws Exception
    {
        startHolding();
        subscriber("slow", "w/#");
        final WindowedPublisher qos1 = new WindowedPublisher(raw(RawClient.connected(broker.port(), "pub1", true)), "w/x", 1);
        assertThat(qos1.runUntilHeld()).hasSizeLessThan(COUNT);

        final RawClient qos0 = raw(RawClient.connected(broker.port(), "pub0", true));
        final ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (int i = 0; i < COUNT; i++)
        {
            burst.write(RawClient.publish("w/y", bytes(Integer.toString(i)), 0, false, 0));
        }
        qos0.send(burst.toByteArray());

        qos0.expectNothingButPong();
    }

    @Test
    void shouldNotDeadlockWhenPublisherSubscribesToItsOwnTopic() throws Exception
    {
        startHolding();
        final WindowedPublisher self = new WindowedPublisher(subscriber("self", "s/#"), "s/x", 1);

        final List<String> received = new ArrayList<>();
        while (self.acked.size() < COUNT || received.size() < COUNT)
        {
            final RawClient.Packet packet = self.client.poll(WAIT);
            assertThat(packet).as("progress after %d PUBACKs and %d messages", self.acked.size(), received.size()).isNotNull();
            if (packet.type() == RawClient.PUBLISH)
            {
                received.add(packet.payloadText());
                self.client.send(RawClient.puback(packet.packetId()));
            }
            else
            {
                self.onAck(packet);
            }
        }

        assertThat(self.acked).isEqualTo(ids(1, COUNT));
        assertThat(received).isEqualTo(payloads(1, COUNT));
        self.client.expectNothingButPong();
    }

    @Test
    void shouldSendWithheldPubrecsInOrderWhenSubscriberCatchesUp() throws Exception
    {
        startHolding();
        final RawClient slow = subscriber("slow", "w/#");
        final WindowedPublisher publisher = new WindowedPublisher(raw(RawClient.connected(broker.port(), "pub", true)), "w/x", 2);
        assertThat(publisher.runUntilHeld()).hasSizeLessThan(COUNT);

        final Future<?> publishing = publisher.finishInBackground();
        for (int i = 0; i < COUNT; i++)
        {
            receiveAndAcknowledge(slow);
        }
        publishing.get();

        assertThat(publisher.acked).isEqualTo(ids(1, COUNT));
    }

    private void startHolding() throws Exception
    {
        start(config -> config.withQueueBounds(4, 40).withInflightWindow(WINDOW));
    }

    private RawClient subscriber(final String clientId, final String filter) throws IOException
    {
        final RawClient client = raw(RawClient.connected(broker.port(), clientId, true));
        client.send(RawClient.subscribe(1, filter, 1));
        client.expect(RawClient.SUBACK);
        return client;
    }

    /** Reads one QoS 1 message and acknowledges it: a subscriber catching up. */
    private static String receiveAndAcknowledge(final RawClient subscriber) throws IOException
    {
        final RawClient.Packet packet = subscriber.expect(RawClient.PUBLISH);
        subscriber.send(RawClient.puback(packet.packetId()));
        return packet.payloadText();
    }

    private static List<Integer> ids(final int from, final int to)
    {
        return IntStream.rangeClosed(from, to).boxed().toList();
    }

    private static List<String> payloads(final int from, final int to)
    {
        return IntStream.rangeClosed(from, to).mapToObj(Integer::toString).toList();
    }

    /**
     * A QoS 1/2 publisher of payloads and packet ids 1..count that keeps at most
     * {@link #PUBLISHER_WINDOW} unacknowledged, as real clients do: withheld acknowledgements stop it.
     */
    private static final class WindowedPublisher
    {
        final RawClient client;
        final List<Integer> acked = new ArrayList<>();
        private final String topic;
        private final int qos;
        private final int count;
        private final String padding;
        private int sent;

        WindowedPublisher(final RawClient client, final String topic, final int qos) throws IOException
        {
            this(client, topic, qos, COUNT, 0);
        }

        /** {@code count} messages, each payload its number followed by {@code padding} bytes. */
        WindowedPublisher(final RawClient client, final String topic, final int qos, final int count, final int padding) throws IOException
        {
            this.client = client;
            this.topic = topic;
            this.qos = qos;
            this.count = count;
            this.padding = " ".repeat(padding);
            while (sent < PUBLISHER_WINDOW)
            {
                sendNext();
            }
        }

        /** Publishes one more per acknowledgement until none comes for a while (held) or all are acknowledged. */
        List<Integer> runUntilHeld() throws IOException
        {
            for (RawClient.Packet packet; acked.size() < count && (packet = client.poll(QUIET)) != null; )
            {
                onAck(packet);
            }
            return acked;
        }

        void runToEnd() throws IOException
        {
            while (acked.size() < count)
            {
                onAck(client.expect(qos == 1 ? RawClient.PUBACK : RawClient.PUBREC));
            }
        }

        /** {@link #runToEnd} on another thread, while the test thread plays the subscriber. */
        Future<?> finishInBackground()
        {
            return CompletableFuture.runAsync(() ->
            {
                try
                {
                    runToEnd();
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            });
        }

        void onAck(final RawClient.Packet packet) throws IOException
        {
            assertThat(packet.type()).isEqualTo(qos == 1 ? RawClient.PUBACK : RawClient.PUBREC);
            acked.add(packet.packetId());
            if (sent < count)
            {
                sendNext();
            }
        }

        private void sendNext() throws IOException
        {
            sent++;
            client.send(RawClient.publish(topic, bytes(sent + padding), qos, false, sent));
        }
    }
}
