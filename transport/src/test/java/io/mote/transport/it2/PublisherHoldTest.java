package io.mote.transport.it2;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * QoS 1/2 flow control: a subscriber whose backlog reaches a twentieth of max-pending holds the
 * connections that publish QoS 1/2 to it (acknowledgements withheld in order, socket not read)
 * until it drains to a fortieth, or goes. Max-pending 40 here: held from 2 waiting, released at 1.
 */
class PublisherHoldTest extends BrokerTestSupport
{
    private static final int WINDOW = 5;
    private static final int COUNT = 60;
    /** With the subscriber's window of 5 and 2 waiting, at most 17 wait when the hold starts: under 40. */
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
        final WindowedPublisher publisher = new WindowedPublisher(raw(RawClient.connected(broker.port(), "pub", true)), "w/x", 1, count, 64 * 1024, PUBLISHER_WINDOW);

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

    @Test
    void shouldKeepPublisherHeldUntilTheLastOfTwoCongestedSubscribersDrains() throws Exception
    {
        startHolding();
        final RawClient first = subscriber("first", "w/#");
        final RawClient last = subscriber("last", "w/#");
        final WindowedPublisher publisher = new WindowedPublisher(raw(RawClient.connected(broker.port(), "pub", true)), "w/x", 1);
        final int heldAt = publisher.runUntilHeld().size();
        assertThat(heldAt).isLessThan(COUNT);

        final List<String> firstReceived = catchUp(first);
        publisher.ping();

        // Still held by "last": no acknowledgement, and its PINGREQ is not even read.
        assertThat(publisher.client.poll(QUIET)).isNull();

        final Future<?> publishing = publisher.finishInBackground();
        final Future<List<String>> firstReceives = receiveInBackground(first, firstReceived, COUNT);
        final List<String> lastReceived = receiveAll(last, new ArrayList<>(), COUNT);
        publishing.get();

        assertThat(publisher.acked).isEqualTo(ids(1, COUNT));
        assertThat(publisher.pongs).isEqualTo(1);
        assertThat(lastReceived).isEqualTo(payloads(1, COUNT));
        assertThat(firstReceives.get()).isEqualTo(payloads(1, COUNT));
    }

    @Test
    void shouldNotDeadlockWhenTwoCongestedClientsPublishToEachOther() throws Exception
    {
        startHolding();
        final RawClient leftClient = subscriber("left", "left/#");
        final RawClient rightClient = subscriber("right", "right/#");
        // Each sends all its messages at once and acknowledges none it receives: 25 is enough for
        // each to find the other's session past its 2 waiting (5 being in flight), so each holds the other.
        final int count = 25;
        final WindowedPublisher left = new WindowedPublisher(leftClient, "right/x", 1, count, 0, count);
        final WindowedPublisher right = new WindowedPublisher(rightClient, "left/x", 1, count, 0, count);
        final List<RawClient.Packet> leftUnacknowledged = left.runUntilHeldIgnoringMessages();
        final List<RawClient.Packet> rightUnacknowledged = right.runUntilHeldIgnoringMessages();
        assertThat(left.acked).hasSizeLessThan(count);
        assertThat(right.acked).hasSizeLessThan(count);

        final Future<List<String>> leftReceives = CompletableFuture.supplyAsync(() -> left.runToEndAcknowledging(leftUnacknowledged));
        final List<String> rightReceived = right.runToEndAcknowledging(rightUnacknowledged);

        assertThat(leftReceives.get()).isEqualTo(payloads(1, count));
        assertThat(rightReceived).isEqualTo(payloads(1, count));
        assertThat(left.acked).isEqualTo(ids(1, count));
        assertThat(right.acked).isEqualTo(ids(1, count));
        left.client.expectNothingButPong();
        right.client.expectNothingButPong();
    }

    @Test
    void shouldNotExpireKeepAliveOfPublisherWhileItIsHeld() throws Exception
    {
        startHolding();
        final RawClient slow = subscriber("slow", "w/#");
        final RawClient client = raw(RawClient.open(broker.port()));
        client.send(RawClient.connect("MQTT", 4, "pub", true, 1, null));
        client.expect(RawClient.CONNACK);
        final WindowedPublisher publisher = new WindowedPublisher(client, "w/x", 1);
        assertThat(publisher.runUntilHeld()).hasSizeLessThan(COUNT);

        // Held twice as long as the 1.5 x 1 s its keep-alive would allow a silent client.
        assertThat(client.closedWithin(Duration.ofSeconds(3))).isFalse();

        final Future<?> publishing = publisher.finishInBackground();
        receiveAll(slow, new ArrayList<>(), COUNT);
        publishing.get();
        assertThat(publisher.acked).isEqualTo(ids(1, COUNT));
        client.expectNothingButPong();
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

    /** Reads and acknowledges what a congested subscriber has waiting, until nothing more comes: @return the payloads */
    private static List<String> catchUp(final RawClient subscriber) throws IOException
    {
        final List<String> received = new ArrayList<>();
        for (RawClient.Packet packet; (packet = subscriber.poll(QUIET)) != null; )
        {
            assertThat(packet.type()).isEqualTo(RawClient.PUBLISH);
            subscriber.send(RawClient.puback(packet.packetId()));
            received.add(packet.payloadText());
        }
        return received;
    }

    /** Reads and acknowledges QoS 1 messages, adding their payloads to {@code received}, until it holds {@code count}. */
    private static List<String> receiveAll(final RawClient subscriber, final List<String> received, final int count) throws IOException
    {
        while (received.size() < count)
        {
            received.add(receiveAndAcknowledge(subscriber));
        }
        return received;
    }

    private static Future<List<String>> receiveInBackground(final RawClient subscriber, final List<String> received, final int count)
    {
        return CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return receiveAll(subscriber, received, count);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        });
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
     * a window of them unacknowledged ({@link #PUBLISHER_WINDOW} unless told), as real clients do: withheld acknowledgements stop it.
     */
    private static final class WindowedPublisher
    {
        final RawClient client;
        final List<Integer> acked = new ArrayList<>();
        /** PINGRESPs received for {@link #ping}s. */
        int pongs;
        private final String topic;
        private final int qos;
        private final int count;
        private final String padding;
        private int sent;
        private int pings;

        WindowedPublisher(final RawClient client, final String topic, final int qos) throws IOException
        {
            this(client, topic, qos, COUNT, 0, PUBLISHER_WINDOW);
        }

        /** {@code count} messages, each payload its number followed by {@code padding} bytes, at most {@code window} unacknowledged. */
        WindowedPublisher(final RawClient client, final String topic, final int qos, final int count, final int padding, final int window)
            throws IOException
        {
            this.client = client;
            this.topic = topic;
            this.qos = qos;
            this.count = count;
            this.padding = " ".repeat(padding);
            while (sent < window)
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
            while (acked.size() < count || pongs < pings)
            {
                final RawClient.Packet packet = client.poll(WAIT);
                assertThat(packet).as("progress after %d acknowledgements", acked.size()).isNotNull();
                onAck(packet);
            }
        }

        /**
         * Publishes one more per acknowledgement, and reads but does not acknowledge the messages it
         * receives, until nothing comes for a while: @return those messages
         */
        List<RawClient.Packet> runUntilHeldIgnoringMessages() throws IOException
        {
            final List<RawClient.Packet> unacknowledged = new ArrayList<>();
            for (RawClient.Packet packet; (packet = client.poll(QUIET)) != null; )
            {
                if (packet.type() == RawClient.PUBLISH)
                {
                    unacknowledged.add(packet);
                }
                else
                {
                    onAck(packet);
                }
            }
            return unacknowledged;
        }

        /**
         * Acknowledges {@code unacknowledged}, then goes on publishing, and receiving and acknowledging
         * QoS 1 messages, until all its own are acknowledged and {@code count} have arrived: @return their payloads
         */
        List<String> runToEndAcknowledging(final List<RawClient.Packet> unacknowledged)
        {
            try
            {
                final List<String> received = new ArrayList<>();
                for (final RawClient.Packet packet : unacknowledged)
                {
                    received.add(packet.payloadText());
                    client.send(RawClient.puback(packet.packetId()));
                }
                while (acked.size() < count || received.size() < count)
                {
                    final RawClient.Packet packet = client.poll(WAIT);
                    assertThat(packet).as("progress after %d acknowledgements and %d messages", acked.size(), received.size()).isNotNull();
                    if (packet.type() == RawClient.PUBLISH)
                    {
                        received.add(packet.payloadText());
                        client.send(RawClient.puback(packet.packetId()));
                    }
                    else
                    {
                        onAck(packet);
                    }
                }
                return received;
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        /** Sends PINGREQ; its PINGRESP is counted in {@link #pongs}. */
        void ping() throws IOException
        {
            pings++;
            client.send(RawClient.pingreq());
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
            if (packet.type() == RawClient.PINGRESP && pongs < pings)
            {
                pongs++;
                return;
            }
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
