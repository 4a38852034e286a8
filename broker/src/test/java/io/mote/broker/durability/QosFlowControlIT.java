package io.mote.broker.durability;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue #5 against the real broker: QoS 1 publishers that outrun their one subscriber are slowed
 * down (their PUBACKs held back) instead of the subscriber being disconnected at max-pending.
 */
class QosFlowControlIT
{
    private static final int PUBLISHERS = 4;
    private static final int MESSAGES = 5_000;
    private static final int PUBLISHER_WINDOW = 100;

    @TempDir
    Path workDir;

    @Test
    void shouldDeliverEveryAcknowledgedMessageInPublisherOrderWhenPublishersOutrunSubscriber() throws Exception
    {
        // Max-pending 2 000: held from 1 000 waiting. 20 000 messages, at most 4 x 100 unacknowledged.
        try (BrokerProcess broker = BrokerProcess.start(workDir, "data", "--max-pending", "2000", "--max-queued", "100"))
        {
            final Map<Integer, List<Integer>> received = new ConcurrentHashMap<>();
            final MqttClient subscriber = slowSubscriber(broker.uri(), received);

            final List<CompletableFuture<List<Integer>>> publishing = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++)
            {
                final int publisher = p;
                publishing.add(CompletableFuture.supplyAsync(() -> publish(broker.uri(), publisher)));
            }
            final List<List<Integer>> acknowledged = new ArrayList<>();
            for (final CompletableFuture<List<Integer>> future : publishing)
            {
                acknowledged.add(future.get());
            }

            try
            {
                await("every acknowledged message").atMost(Duration.ofMinutes(2))
                    .failFast("subscriber disconnected", () -> !subscriber.isConnected())
                    .until(() -> total(received) >= PUBLISHERS * MESSAGES);
            }
            catch (final RuntimeException ex)
            {
                throw new AssertionError("received " + total(received) + " of " + PUBLISHERS * MESSAGES + "; broker output:\n" + broker.output(), ex);
            }
            assertThat(subscriber.isConnected()).isTrue();
            for (int p = 0; p < PUBLISHERS; p++)
            {
                final List<Integer> firstSeen = received.get(p).stream().distinct().toList();
                assertThat(firstSeen).as("publisher %d, in order", p).isSorted().containsAll(acknowledged.get(p));
            }
            subscriber.disconnect();
            assertThat(broker.output()).doesNotContain("too slow");
        }
    }

    /** Takes a little time per message, so that four unhindered publishers would overflow it. */
    private static MqttClient slowSubscriber(final String uri, final Map<Integer, List<Integer>> received) throws Exception
    {
        final MqttClient client = new MqttClient(uri, "slow-subscriber", new MemoryPersistence());
        client.setCallback(new MqttCallback()
        {
            @Override
            public void connectionLost(final Throwable cause)
            {
            }

            @Override
            public void messageArrived(final String topic, final MqttMessage message)
            {
                final String[] parts = new String(message.getPayload(), StandardCharsets.UTF_8).split(":");
                received.computeIfAbsent(Integer.parseInt(parts[0]), k -> new CopyOnWriteArrayList<>()).add(Integer.parseInt(parts[1]));
                LockSupport.parkNanos(100_000);
            }

            @Override
            public void deliveryComplete(final IMqttDeliveryToken token)
            {
            }
        });
        client.connect(options());
        client.subscribe("flow/#", 1);
        return client;
    }

    /** Publishes MESSAGES QoS 1 messages as fast as its window allows; @return the ones acknowledged, in order. */
    private static List<Integer> publish(final String uri, final int publisher)
    {
        try
        {
            final MqttAsyncClient client = new MqttAsyncClient(uri, "pub-" + publisher, new MemoryPersistence());
            client.connect(options()).waitForCompletion();
            final ArrayDeque<IMqttDeliveryToken> window = new ArrayDeque<>();
            final List<Integer> acknowledged = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++)
            {
                if (window.size() == PUBLISHER_WINDOW)
                {
                    window.removeFirst().waitForCompletion(Duration.ofMinutes(1).toMillis());
                    acknowledged.add(acknowledged.size());
                }
                window.addLast(publishOne(client, "flow/" + publisher, (publisher + ":" + i).getBytes(StandardCharsets.UTF_8)));
            }
            while (!window.isEmpty())
            {
                window.removeFirst().waitForCompletion(Duration.ofMinutes(1).toMillis());
                acknowledged.add(acknowledged.size());
            }
            client.disconnect().waitForCompletion();
            client.close();
            return acknowledged;
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException("publisher " + publisher + " failed", ex);
        }
    }

    /** Paho counts a publish in flight for a moment after its token completes: retry when it says the window is full. */
    private static IMqttDeliveryToken publishOne(final MqttAsyncClient client, final String topic, final byte[] payload) throws MqttException
    {
        while (true)
        {
            try
            {
                return client.publish(topic, payload, 1, false);
            }
            catch (final MqttException ex)
            {
                if (ex.getReasonCode() != MqttException.REASON_CODE_MAX_INFLIGHT)
                {
                    throw ex;
                }
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    private static MqttConnectOptions options()
    {
        final MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval(60);
        options.setMaxInflight(2 * PUBLISHER_WINDOW); // Paho counts a publish in flight a little after its token completes
        return options;
    }

    private static int total(final Map<Integer, List<Integer>> received)
    {
        return received.values().stream().mapToInt(List::size).sum();
    }
}
