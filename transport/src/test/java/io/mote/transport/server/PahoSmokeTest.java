package io.mote.transport.server;

import io.mote.engine.Authorizer;
import io.mote.engine.Engine;
import io.mote.engine.EngineConfig;
import io.mote.engine.Journal;
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
    private Engine engine;
    private MqttServer server;

    @BeforeEach
    void start() throws Exception
    {
        final TransportConfig config = TransportConfig.defaults().withPort(0).withWsPort(-1);
        final SessionRegistry sessions = new SessionRegistry(config);
        engine = new Engine(EngineConfig.defaults(), sessions, Journal.NONE, Authorizer.ALLOW_ALL);
        engine.start();
        server = new MqttServer(config, engine, sessions);
        server.start();
    }

    @AfterEach
    void stop()
    {
        server.close();
        engine.close();
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
        final MqttClient client = new MqttClient("tcp://127.0.0.1:" + server.port(), id, new MemoryPersistence());
        final MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        client.connect(options);
        return client;
    }
}
