package io.mote.transport.it2;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** CONNECT validation and CONNACK codes, and keep-alive (PROTOCOL.md §1, §5). */
class ConnectAndKeepAliveTest extends BrokerTestSupport
{
    @BeforeEach
    void startBroker() throws Exception
    {
        start();
    }

    @Test
    void shouldAcceptEmptyClientIdWhenCleanSession() throws Exception
    {
        final RawClient client = raw(RawClient.open(broker.port()));
        client.send(RawClient.connect("MQTT", 4, "", true, 0, null));

        final RawClient.Packet connack = client.expect(RawClient.CONNACK);

        assertThat(connack.connackCode()).isZero();
        assertThat(connack.sessionPresent()).isFalse();
        client.expectNothingButPong();
    }

    @Test
    void shouldServeTwoEmptyClientIdsAsSeparateClientsWhenBothConnect() throws Exception
    {
        final RawClient one = raw(RawClient.connected(broker.port(), "", true));
        final RawClient two = raw(RawClient.connected(broker.port(), "", true));
        one.send(RawClient.subscribe(1, "e/x", 0));
        one.expect(RawClient.SUBACK);
        two.send(RawClient.subscribe(1, "e/x", 0));
        two.expect(RawClient.SUBACK);

        paho("pub").publish("e/x", bytes("both"), 0, false);

        assertThat(one.expect(RawClient.PUBLISH).payloadText()).isEqualTo("both");
        assertThat(two.expect(RawClient.PUBLISH).payloadText()).isEqualTo("both");
    }

    @Test
    void shouldRefuseWithIdentifierRejectedWhenEmptyClientIdAndPersistentSession() throws Exception
    {
        final RawClient client = raw(RawClient.open(broker.port()));
        client.send(RawClient.connect("MQTT", 4, "", false, 0, null));

        final RawClient.Packet connack = client.expect(RawClient.CONNACK);

        assertThat(connack.connackCode()).isEqualTo(0x02);
        assertThat(connack.sessionPresent()).isFalse();
        assertThat(client.closedWithin(WAIT)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"MQTX", "mqtt", "MOTE", "Mote", "MQIsdq", ""})
    void shouldRefuseWithUnacceptableProtocolWhenProtocolNameIsUnknown(final String name) throws Exception
    {
        final RawClient client = raw(RawClient.open(broker.port()));
        client.send(RawClient.connect(name, 4, "who", true, 0, null));

        final RawClient.Packet connack = client.expect(RawClient.CONNACK);

        assertThat(connack.connackCode()).isEqualTo(0x01);
        assertThat(client.closedWithin(WAIT)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"MQTT:4", "MQIsdp:3", "mote:0", "mote:4", "mote:200"})
    void shouldAcceptWhenProtocolNameAndLevelAreKnown(final String nameAndLevel) throws Exception
    {
        final String[] parts = nameAndLevel.split(":");
        final RawClient client = raw(RawClient.open(broker.port()));
        client.send(RawClient.connect(parts[0], Integer.parseInt(parts[1]), "who", true, 0, null));

        assertThat(client.expect(RawClient.CONNACK).connackCode()).isZero();
        client.expectNothingButPong();
    }

    @Test
    void shouldDisconnectWhenClientStaysSilentPastKeepAlive() throws Exception
    {
        final RawClient client = raw(RawClient.open(broker.port()));
        client.send(RawClient.connect("MQTT", 4, "sleepy", true, 1, null));
        client.expect(RawClient.CONNACK);

        // 1.5 x 1 s of silence; 5 s is only a liveness bound.
        assertThat(client.closedWithin(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void shouldPublishWillWhenKeepAliveExpires() throws Exception
    {
        final MqttClient watcher = paho("watcher");
        final Inbox inbox = new Inbox(watcher);
        watcher.subscribe("will/#", 1);
        final RawClient client = raw(RawClient.open(broker.port()));
        client.send(RawClient.connect("MQTT", 4, "sleepy", true, 1, new RawClient.WillSpec("will/sleepy", bytes("timed out"), 1, false)));
        client.expect(RawClient.CONNACK);

        assertThat(client.closedWithin(Duration.ofSeconds(5))).isTrue();
        assertThat(inbox.next()).isEqualTo("will/sleepy=timed out q1");
    }

    @Test
    void shouldStayConnectedWhenClientPingsWithinKeepAlive() throws Exception
    {
        final RawClient client = raw(RawClient.open(broker.port()));
        client.send(RawClient.connect("MQTT", 4, "awake", true, 1, null));
        client.expect(RawClient.CONNACK);

        final long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < end)
        {
            Thread.sleep(500);
            client.send(RawClient.pingreq());
            assertThat(client.expect(RawClient.PINGRESP)).isNotNull();
        }
        client.expectNothingButPong();
    }

    @Test
    void shouldNotDisconnectWhenKeepAliveIsZero() throws Exception
    {
        final RawClient client = raw(RawClient.open(broker.port()));
        client.send(RawClient.connect("MQTT", 4, "forever", true, 0, null));
        client.expect(RawClient.CONNACK);

        assertThat(client.closedWithin(Duration.ofSeconds(2))).isFalse();
    }

    @Test
    void shouldAcceptMoteKeepAliveOf20000WhenMoteClientConnects() throws Exception
    {
        final RawClient client = raw(RawClient.open(broker.port()));
        client.send(RawClient.connect("mote", 0, "app", true, 20_000, null));

        assertThat(client.expect(RawClient.CONNACK).connackCode()).isZero();
        assertThat(client.closedWithin(Duration.ofSeconds(1))).isFalse();
    }
}
