package io.mote.transport.it2;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The inflight window and the slow-consumer bounds of TransportConfig. */
class FlowControlTest extends BrokerTestSupport
{
    @Test
    void shouldSendOnlyWindowOfQos1MessagesWhenClientDoesNotAcknowledge() throws Exception
    {
        start(config -> config.withInflightWindow(2));
        final RawClient slow = raw(RawClient.connected(broker.port(), "slow", true));
        slow.send(RawClient.subscribe(1, "w/#", 1));
        slow.expect(RawClient.SUBACK);

        publishAndAwaitFence("w", 5);

        final RawClient.Packet first = slow.expect(RawClient.PUBLISH);
        final RawClient.Packet second = slow.expect(RawClient.PUBLISH);
        assertThat(List.of(first.payloadText(), second.payloadText())).containsExactly("0", "1");
        slow.expectNothingButPong();
    }

    @Test
    void shouldSendOneMoreMessagePerPubackWhenWindowIsFull() throws Exception
    {
        start(config -> config.withInflightWindow(2));
        final RawClient slow = raw(RawClient.connected(broker.port(), "slow", true));
        slow.send(RawClient.subscribe(1, "w/#", 1));
        slow.expect(RawClient.SUBACK);
        publishAndAwaitFence("w", 5);
        final List<RawClient.Packet> inflight = new ArrayList<>(List.of(slow.expect(RawClient.PUBLISH), slow.expect(RawClient.PUBLISH)));
        slow.expectNothingButPong();

        final List<String> received = new ArrayList<>();
        for (int next = 2; next < 5; next++)
        {
            final RawClient.Packet acked = inflight.remove(0);
            received.add(acked.payloadText());
            slow.send(RawClient.puback(acked.packetId()));
            final RawClient.Packet released = slow.expect(RawClient.PUBLISH);
            assertThat(released.payloadText()).isEqualTo(Integer.toString(next));
            inflight.add(released);
            slow.expectNothingButPong();
        }
        for (final RawClient.Packet packet : inflight)
        {
            received.add(packet.payloadText());
            slow.send(RawClient.puback(packet.packetId()));
        }
        slow.expectNothingButPong();
        assertThat(received).containsExactly("0", "1", "2", "3", "4");
    }

    @Test
    void shouldCountQos2InWindowUntilPubcompWhenClientIsSlow() throws Exception
    {
        start(config -> config.withInflightWindow(1));
        final RawClient slow = raw(RawClient.connected(broker.port(), "slow", true));
        slow.send(RawClient.subscribe(1, "w/#", 2));
        slow.expect(RawClient.SUBACK);
        final MqttClient publisher = paho("pub");
        publisher.publish("w/a", bytes("a"), 2, false);
        publisher.publish("w/b", bytes("b"), 2, false);

        final RawClient.Packet first = slow.expect(RawClient.PUBLISH);
        slow.send(RawClient.idOnlyPubrec(first.packetId()));
        assertThat(slow.expect(RawClient.PUBREL).packetId()).isEqualTo(first.packetId());
        slow.expectNothingButPong(); // the window of 1 is held by the PUBREL

        slow.send(RawClient.pubcomp(first.packetId()));
        assertThat(slow.expect(RawClient.PUBLISH).payloadText()).isEqualTo("b");
    }

    @Test
    void shouldKeepPublisherAndFastSubscriberGoingWhenOneSubscriberStopsReadingQos0() throws Exception
    {
        start(config -> config.withQueueBounds(10, 20));
        final RawClient stalled = raw(RawClient.open(broker.port(), 4096));
        stalled.send(RawClient.connect("MQTT", 4, "stalled", true, 0, null));
        stalled.expect(RawClient.CONNACK);
        stalled.send(RawClient.subscribe(1, "flood/#", 0));
        stalled.expect(RawClient.SUBACK);
        // From here on "stalled" never reads its socket again.
        final MqttClient fast = paho("fast");
        final Inbox inbox = new Inbox(fast);
        fast.subscribe("flood/#", 0);
        fast.subscribe("done", 1);
        final MqttClient publisher = paho("pub");

        final byte[] payload = new byte[1024];
        Arrays.fill(payload, (byte)'x');
        final long start = System.nanoTime();
        for (int i = 0; i < 20_000; i++)
        {
            publisher.publish("flood/x", payload, 0, false);
        }
        publisher.publish("done", bytes("end"), 1, false);

        // The fast subscriber gets the end marker (QoS 0 in between may be shed when it falls behind).
        await().atMost(Duration.ofSeconds(60)).until(() -> inbox.drain().contains("done=end q1"));
        assertThat(publisher.isConnected()).isTrue();
        assertThat(fast.isConnected()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void shouldDisconnectNonReadingSubscriberWhenQos1FloodOutrunsFlowControl() throws Exception
    {
        // The last resort: flow control stops reading a publisher only after the read that made the
        // subscriber congested; a publisher that sends without waiting for its PUBACKs can overflow
        // the pending bound within that read.
        start(config -> config.withQueueBounds(10, 20).withInflightWindow(1));
        final RawClient stalled = raw(RawClient.open(broker.port(), 4096));
        stalled.send(RawClient.connect("MQTT", 4, "stalled", true, 0, null));
        stalled.expect(RawClient.CONNACK);
        stalled.send(RawClient.subscribe(1, "flood/#", 1));
        stalled.expect(RawClient.SUBACK);
        // From here on "stalled" neither reads nor acknowledges.
        final RawClient publisher = raw(RawClient.connected(broker.port(), "pub", true));
        final ByteArrayOutputStream flood = new ByteArrayOutputStream();
        for (int i = 1; i <= 2_000; i++)
        {
            flood.write(RawClient.publish("flood/x", new byte[1024], 1, false, i));
        }
        // On its own thread: the write may wait while the publisher is held.
        final Future<?> sending = CompletableFuture.runAsync(() ->
        {
            try
            {
                publisher.send(flood.toByteArray());
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        });

        // Only the stalled client goes; the publisher stays, released by its going.
        assertThat(stalled.closedWithin(WAIT)).isTrue();
        sending.get();
        publisher.send(RawClient.pingreq());
        for (RawClient.Packet packet; (packet = publisher.expect(RawClient.PUBACK, RawClient.PINGRESP)).type() != RawClient.PINGRESP; )
        {
            // PUBACKs of the flood; the publisher is read again once the PINGRESP comes
        }
    }

    @Test
    void shouldNotDisconnectSlowButAckingSubscriberWhenQos1BurstFitsPendingBound() throws Exception
    {
        start(config -> config.withQueueBounds(10, 20).withInflightWindow(2));
        final RawClient slow = raw(RawClient.connected(broker.port(), "slow", true));
        slow.send(RawClient.subscribe(1, "b/#", 1));
        slow.expect(RawClient.SUBACK);
        final RawClient publisher = raw(RawClient.connected(broker.port(), "pub", true));
        final ByteArrayOutputStream burst = new ByteArrayOutputStream();
        for (int i = 0; i < 15; i++)
        {
            burst.write(RawClient.publish("b/x", bytes(Integer.toString(i)), 1, false, i + 1));
        }
        publisher.send(burst.toByteArray());

        for (int i = 0; i < 15; i++)
        {
            final RawClient.Packet packet = slow.expect(RawClient.PUBLISH);
            assertThat(packet.payloadText()).isEqualTo(Integer.toString(i));
            slow.send(RawClient.puback(packet.packetId()));
        }
        slow.expectNothingButPong();
    }

    /**
     * Publishes 0..count-1 at QoS 1 on {@code prefix/x} and waits until a Paho subscriber of the same
     * topic has them all: the engine hands one batch to every subscriber in one pass, so by then the
     * raw client's session holds all of them too.
     */
    private void publishAndAwaitFence(final String prefix, final int count) throws Exception
    {
        final MqttClient fence = paho("fence-" + prefix);
        final Inbox fenceInbox = new Inbox(fence);
        fence.subscribe(prefix + "/#", 1);
        final MqttClient publisher = paho("pub-" + prefix);
        for (int i = 0; i < count; i++)
        {
            publisher.publish(prefix + "/x", bytes(Integer.toString(i)), 1, false);
        }
        for (int i = 0; i < count; i++)
        {
            assertThat(fenceInbox.next()).isEqualTo(prefix + "/x=" + i + " q1");
        }
        Thread.sleep(50); // let the raw client's loop run the drain it was woken for
    }
}
