package io.mote.transport.it;

import io.mote.engine.topic.Dialect;
import io.mote.transport.codec.ConnectReturnCode;
import io.mote.transport.server.BrokerFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The test client itself: it must speak both dialects over both listeners before other tests can trust it. */
class RawMqttClientTest
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

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void shouldRoundTripEveryQosOverTcpWhenConnectedInEitherDialect(final Dialect dialect) throws Exception
    {
        try (RawMqttClient subscriber = RawMqttClient.tcp(broker.port(), dialect);
             RawMqttClient publisher = RawMqttClient.connected(broker.port(), dialect, "pub"))
        {
            assertThat(subscriber.connect("sub", true, 30, null).returnCode()).isEqualTo(ConnectReturnCode.ACCEPTED);
            assertThat(subscriber.subscribe(2, "a/b")).containsExactly(2);
            for (int qos = 0; qos <= 2; qos++)
            {
                publisher.publish("a/b", "m" + qos, qos, false);
                final RawMqttClient.Received received = subscriber.take();
                assertThat(received.topic()).isEqualTo("a/b");
                assertThat(received.payloadText()).isEqualTo("m" + qos);
                // mqtt: min(publish QoS, granted QoS); mote: the subscription's granted QoS (PROTOCOL.md §3, §4).
                assertThat(received.qos()).isEqualTo(dialect == Dialect.MQTT ? qos : 2);
            }
            assertThat(subscriber.ping()).isTrue();
            subscriber.unsubscribe("a/b");
            publisher.disconnect();
            assertThat(subscriber.protocolErrors()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void shouldRoundTripOverWebSocketWhenConnectedInEitherDialect(final Dialect dialect) throws Exception
    {
        try (RawMqttClient subscriber = RawMqttClient.webSocket(broker.wsPort(), dialect);
             RawMqttClient publisher = RawMqttClient.webSocket(broker.wsPort(), dialect))
        {
            assertThat(subscriber.connect("sub", true, 0, null).returnCode()).isEqualTo(ConnectReturnCode.ACCEPTED);
            assertThat(publisher.connect("pub", true, 0, null).returnCode()).isEqualTo(ConnectReturnCode.ACCEPTED);
            assertThat(subscriber.subscribe(1, "a/b")).containsExactly(1);
            publisher.publish("a/b", "hello", 1, false);
            assertThat(subscriber.take().payloadText()).isEqualTo("hello");
            assertThat(subscriber.protocolErrors()).isEmpty();
        }
    }
}
