package io.mote.broker.durability;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Paho 1.2.5 helpers: writing retained rows with QoS 1, and reading back every retained row. */
final class Retained
{
    /** Topic of the non-retained message that marks the end of the retained rows sent on subscribe. */
    static final String FENCE_TOPIC = "durability-test/fence";

    private Retained()
    {
    }

    /** A clean-session MQTT 3.1.1 connection with a unique client id. */
    static MqttClient connect(final String uri, final String name) throws MqttException
    {
        final MqttClient client = new MqttClient(uri, name + "-" + UUID.randomUUID(), new MemoryPersistence());
        client.setTimeToWait(Duration.ofSeconds(60).toMillis());
        client.connect(options());
        return client;
    }

    static MqttConnectOptions options()
    {
        final MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setConnectionTimeout(30);
        options.setKeepAliveInterval(60);
        // Publishes are synchronous, one at a time; the room only guards against Paho counting an
        // acknowledged publish as in flight a moment too long on a loaded machine.
        options.setMaxInflight(1000);
        return options;
    }

    /**
     * Publishes a retained row with QoS 1 and returns once the broker's PUBACK arrived; an empty
     * {@code value} deletes the row.
     */
    static void put(final MqttClient client, final String topic, final String value) throws MqttException
    {
        client.publish(topic, value.getBytes(StandardCharsets.UTF_8), 1, true);
    }

    static void closeQuietly(final MqttClient client)
    {
        try
        {
            if (client.isConnected())
            {
                client.disconnect();
            }
        }
        catch (final MqttException ignored)
        {
            // The test's outcome is decided elsewhere.
        }
        try
        {
            client.close();
        }
        catch (final MqttException ignored)
        {
            // As above.
        }
    }

    /**
     * Every retained row the broker holds, as a new subscriber to {@code #} receives them.
     *
     * <p>How the end is known: after SUBACK the same client publishes a non-retained QoS 1 message
     * to {@link #FENCE_TOPIC}, which its own {@code #} subscription matches. The broker handles the
     * subscription (and sends its retained rows) before that later publish, and one connection's
     * messages leave in order, so once the fence arrives every retained row has arrived. The fence
     * itself is not retained and not returned.
     */
    static Map<String, String> readAll(final String uri) throws Exception
    {
        final Map<String, String> rows = new ConcurrentHashMap<>();
        final Map<String, Integer> duplicates = new ConcurrentHashMap<>();
        final CountDownLatch fence = new CountDownLatch(1);
        final MqttClient client = connect(uri, "durability-reader");
        try
        {
            client.subscribe("#", 1, (topic, message) ->
            {
                if (topic.equals(FENCE_TOPIC) && !message.isRetained())
                {
                    fence.countDown();
                }
                else if (message.isRetained())
                {
                    if (rows.put(topic, new String(message.getPayload(), StandardCharsets.UTF_8)) != null)
                    {
                        duplicates.merge(topic, 1, Integer::sum);
                    }
                }
            });
            client.publish(FENCE_TOPIC, "fence".getBytes(StandardCharsets.UTF_8), 1, false);
            assertThat(fence.await(120, TimeUnit.SECONDS)).as("the fence message came back through '#'").isTrue();
        }
        finally
        {
            closeQuietly(client);
        }
        assertThat(duplicates).as("topics whose retained row was sent more than once").isEmpty();
        return new TreeMap<>(rows);
    }
}
