package io.mote.broker.durability;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;

/** A Paho client with a persistent session (clean session 0), as the restart and crash tests use it. */
final class PersistentSubscriber
{
    private PersistentSubscriber()
    {
    }

    static MqttClient client(final String uri, final String clientId) throws Exception
    {
        final MqttClient client = new MqttClient(uri, clientId, new MemoryPersistence());
        client.setTimeToWait(Duration.ofSeconds(60).toMillis());
        return client;
    }

    static MqttConnectOptions options()
    {
        final MqttConnectOptions options = Retained.options();
        options.setCleanSession(false);
        return options;
    }

    /** Adds every payload delivered to {@code received}; Paho sends the PUBACK when this returns. */
    record Collecting(Collection<String> received) implements MqttCallback
    {
        @Override
        public void connectionLost(final Throwable cause)
        {
        }

        @Override
        public void messageArrived(final String topic, final MqttMessage message)
        {
            received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
        }

        @Override
        public void deliveryComplete(final IMqttDeliveryToken token)
        {
        }
    }
}
