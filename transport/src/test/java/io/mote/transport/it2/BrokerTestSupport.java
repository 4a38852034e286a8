package io.mote.transport.it2;

import io.mote.transport.server.BrokerFixture;
import io.mote.transport.server.TransportConfig;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fresh broker per test (started by {@link #start}), Paho and raw clients that are all closed
 * afterwards, and a recorder of what a Paho subscriber receives.
 */
abstract class BrokerTestSupport
{
    static final Duration WAIT = Duration.ofSeconds(5);
    /** How long "nothing arrives" is watched for; the positive cases arrive in milliseconds. */
    static final Duration QUIET = Duration.ofMillis(500);

    protected BrokerFixture broker;
    private final List<MqttClient> pahoClients = new ArrayList<>();
    private final List<RawClient> rawClients = new ArrayList<>();

    protected void start() throws Exception
    {
        start(config -> config);
    }

    protected void start(final UnaryOperator<TransportConfig> tune) throws Exception
    {
        broker = BrokerFixture.start(tune);
    }

    @AfterEach
    void stopEverything()
    {
        for (final MqttClient client : pahoClients)
        {
            try
            {
                if (client.isConnected())
                {
                    client.disconnectForcibly(100, 100);
                }
                client.close(true);
            }
            catch (final MqttException ignored)
            {
                // best effort
            }
        }
        for (final RawClient client : rawClients)
        {
            try
            {
                client.close();
            }
            catch (final IOException ignored)
            {
                // best effort
            }
        }
        if (broker != null)
        {
            broker.close();
        }
    }

    protected MqttClient paho(final String clientId) throws MqttException
    {
        return paho(clientId, true);
    }

    protected MqttClient paho(final String clientId, final boolean cleanSession) throws MqttException
    {
        final MqttClient client = pahoUnconnected(clientId);
        client.connect(options(cleanSession));
        return client;
    }

    protected MqttClient pahoUnconnected(final String clientId) throws MqttException
    {
        final MqttClient client = new MqttClient(broker.tcpUri(), clientId, new MemoryPersistence());
        client.setTimeToWait(WAIT.toMillis());
        pahoClients.add(client);
        return client;
    }

    protected static MqttConnectOptions options(final boolean cleanSession)
    {
        final MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(cleanSession);
        options.setAutomaticReconnect(false);
        options.setConnectionTimeout(5);
        options.setKeepAliveInterval(60);
        options.setMaxInflight(1_000);
        return options;
    }

    /**
     * Waits until the broker holds exactly this many connections: after a client goes, so that what
     * is published next finds its session offline.
     */
    protected void awaitConnections(final int count)
    {
        org.awaitility.Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(10))
            .until(() -> broker.server().connectionCount() == count);
    }

    protected RawClient raw(final RawClient client)
    {
        rawClients.add(client);
        return client;
    }

    protected static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * What one Paho client received, as {@code topic=payload qN} plus {@code  r} when retained. It is
     * the client's callback (not per-filter listeners, which Paho calls once per matching filter), so
     * each PUBLISH the broker sends is recorded exactly once.
     */
    static final class Inbox
    {
        private final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();

        Inbox(final MqttClient client)
        {
            client.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback()
            {
                @Override
                public void connectionLost(final Throwable cause)
                {
                }

                @Override
                public void messageArrived(final String topic, final org.eclipse.paho.client.mqttv3.MqttMessage message)
                {
                    messages.add(topic + "=" + new String(message.getPayload(), StandardCharsets.UTF_8) + " q" + message.getQos()
                        + (message.isRetained() ? " r" : ""));
                }

                @Override
                public void deliveryComplete(final org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token)
                {
                }
            });
        }

        String next() throws InterruptedException
        {
            final String message = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(message).as("a message within %s", WAIT).isNotNull();
            return message;
        }

        /** Asserts nothing (more) arrives for a while. */
        void expectNothing() throws InterruptedException
        {
            assertThat(messages.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS)).as("no further message").isNull();
        }

        int size()
        {
            return messages.size();
        }

        List<String> drain()
        {
            final List<String> all = new ArrayList<>();
            messages.drainTo(all);
            return all;
        }
    }
}
