package io.mote.transport.server;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class PahoSmokeTest
{
    private BrokerFixture broker;

    @BeforeEach
    void start() throws Exception
    {
        broker = BrokerFixture.start();
    }

    @AfterEach
    void stop()
    {
        broker.close();
    }

    @Test
    void shouldDeliverRetainedAndLiveMessagesAtEachQos() throws Exception
    {
        final MqttClient publisher = client("pub");
        publisher.publish("a/b", "retained".getBytes(StandardCharsets.UTF_8), 1, true);
        final MqttClient subscriber = client("sub");
        final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        subscriber.subscribe("a/+", 2, (topic, message) -> received.add(topic + "=" + new String(message.getPayload(), StandardCharsets.UTF_8) + " q" + message.getQos() + (message.isRetained() ? " r" : "")));
        assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("a/b=retained q1 r");
        for (int qos = 0; qos <= 2; qos++)
        {
            publisher.publish("a/c", ("live" + qos).getBytes(StandardCharsets.UTF_8), qos, false);
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("a/c=live" + qos + " q" + qos);
        }
        publisher.disconnect();
        subscriber.disconnect();
    }

    private MqttClient client(final String id) throws Exception
    {
        final MqttClient client = new MqttClient(broker.tcpUri(), id, new MemoryPersistence());
        final MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        client.connect(options);
        return client;
    }
}
