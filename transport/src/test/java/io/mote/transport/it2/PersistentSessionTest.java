package io.mote.transport.it2;

import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Persistent sessions (clean session 0, PROTOCOL.md §5): what survives a disconnect and what does not. */
class PersistentSessionTest extends BrokerTestSupport
{
    private MqttClient publisher;

    @BeforeEach
    void startBroker() throws Exception
    {
        start();
        publisher = paho("pub");
    }

    @Test
    void shouldReportNoSessionWhenFirstPersistentConnect() throws Exception
    {
        final MqttClient client = pahoUnconnected("p");

        final IMqttToken token = client.connectWithResult(options(false));

        assertThat(token.getSessionPresent()).isFalse();
    }

    @Test
    void shouldKeepSubscriptionsWhenPersistentClientReconnects() throws Exception
    {
        final MqttClient client = paho("p", false);
        client.subscribe("s/#", 1);
        client.disconnect();
        awaitConnections(1);

        final Inbox inbox = new Inbox(client);
        final IMqttToken token = client.connectWithResult(options(false));
        publisher.publish("s/live", bytes("after"), 1, false);

        assertThat(token.getSessionPresent()).isTrue();
        assertThat(inbox.next()).isEqualTo("s/live=after q1");
    }

    @Test
    void shouldDeliverQos1And2QueuedWhileOfflineWhenPersistentClientReconnects() throws Exception
    {
        final MqttClient client = paho("p", false);
        client.subscribe("s/#", 2);
        client.disconnect();
        awaitConnections(1);

        publisher.publish("s/one", bytes("1"), 1, false);
        publisher.publish("s/two", bytes("2"), 2, false);
        publisher.publish("s/downgraded", bytes("3"), 2, false);

        final Inbox inbox = new Inbox(client);
        final IMqttToken token = client.connectWithResult(options(false));
        assertThat(token.getSessionPresent()).isTrue();
        assertThat(List.of(inbox.next(), inbox.next(), inbox.next()))
            .containsExactly("s/one=1 q1", "s/two=2 q2", "s/downgraded=3 q2");
        inbox.expectNothing();
    }

    @Test
    void shouldNotQueueQos0WhenPersistentClientIsOffline() throws Exception
    {
        final MqttClient client = paho("p", false);
        client.subscribe("s/#", 1);
        client.disconnect();
        awaitConnections(1);

        publisher.publish("s/zero", bytes("0"), 0, false);
        publisher.publish("s/one", bytes("1"), 1, false);

        final Inbox inbox = new Inbox(client);
        client.connectWithResult(options(false));
        assertThat(inbox.next()).isEqualTo("s/one=1 q1");
        inbox.expectNothing();
    }

    @Test
    void shouldNotQueueWhenGrantedQos0AndPersistentClientIsOffline() throws Exception
    {
        final MqttClient client = paho("p", false);
        client.subscribe("s/#", 0);
        client.disconnect();
        awaitConnections(1);

        publisher.publish("s/one", bytes("1"), 2, false);

        final Inbox inbox = new Inbox(client);
        assertThat(client.connectWithResult(options(false)).getSessionPresent()).isTrue();
        inbox.expectNothing();
    }

    @Test
    void shouldDiscardStoredSessionWhenCleanSessionConnects() throws Exception
    {
        final MqttClient client = paho("p", false);
        client.subscribe("s/#", 1);
        client.disconnect();
        awaitConnections(1);
        publisher.publish("s/queued", bytes("old"), 1, false);

        final Inbox inbox = new Inbox(client);
        final IMqttToken token = client.connectWithResult(options(true));

        assertThat(token.getSessionPresent()).isFalse();
        publisher.publish("s/after", bytes("new"), 1, false);
        inbox.expectNothing();
    }

    @Test
    void shouldStartEmptySessionWhenPersistentConnectFollowsCleanOne() throws Exception
    {
        final MqttClient client = paho("p", false);
        client.subscribe("s/#", 1);
        client.disconnect();
        awaitConnections(1);
        client.connect(options(true));
        client.disconnect();
        awaitConnections(1);
        publisher.publish("s/queued", bytes("old"), 1, false);

        final Inbox inbox = new Inbox(client);
        final IMqttToken token = client.connectWithResult(options(false));

        assertThat(token.getSessionPresent()).isFalse();
        inbox.expectNothing();
    }

    @Test
    void shouldRedeliverUnackedQos1WithDupAndSamePacketIdWhenClientReconnects() throws Exception
    {
        final RawClient first = raw(RawClient.connected(broker.port(), "dup", false));
        first.send(RawClient.subscribe(1, "d/#", 1));
        first.expect(RawClient.SUBACK);
        publisher.publish("d/x", bytes("once"), 1, false);
        final RawClient.Packet original = first.expect(RawClient.PUBLISH);
        assertThat(original.dup()).isFalse();
        first.close(); // no PUBACK

        final RawClient second = raw(RawClient.open(broker.port()));
        second.send(RawClient.connect("MQTT", 4, "dup", false, 0, null));
        final RawClient.Packet connack = second.expect(RawClient.CONNACK);
        assertThat(connack.sessionPresent()).isTrue();
        final RawClient.Packet again = second.expect(RawClient.PUBLISH);

        assertThat(again.dup()).as("DUP flag").isTrue();
        assertThat(again.qos()).isEqualTo(1);
        assertThat(again.packetId()).isEqualTo(original.packetId());
        assertThat(List.of(again.topic(), again.payloadText())).containsExactly("d/x", "once");
    }

    @Test
    void shouldNotRedeliverWhenQos1WasAcknowledgedBeforeReconnect() throws Exception
    {
        final RawClient first = raw(RawClient.connected(broker.port(), "dup", false));
        first.send(RawClient.subscribe(1, "d/#", 1));
        first.expect(RawClient.SUBACK);
        publisher.publish("d/x", bytes("once"), 1, false);
        first.send(RawClient.puback(first.expect(RawClient.PUBLISH).packetId()));
        first.expectNothingButPong(); // the PUBACK is processed before the close
        first.close();

        final RawClient second = raw(RawClient.open(broker.port()));
        second.send(RawClient.connect("MQTT", 4, "dup", false, 0, null));
        assertThat(second.expect(RawClient.CONNACK).sessionPresent()).isTrue();

        second.expectNothingButPong();
    }

    @Test
    void shouldResendPubrelWhenQos2WasReceivedButNotCompletedBeforeReconnect() throws Exception
    {
        final RawClient first = raw(RawClient.connected(broker.port(), "q2", false));
        first.send(RawClient.subscribe(1, "d/#", 2));
        first.expect(RawClient.SUBACK);
        publisher.publish("d/x", bytes("exactly"), 2, false);
        final int packetId = first.expect(RawClient.PUBLISH).packetId();
        first.send(RawClient.idOnlyPubrec(packetId));
        assertThat(first.expect(RawClient.PUBREL).packetId()).isEqualTo(packetId);
        first.close(); // no PUBCOMP

        final RawClient second = raw(RawClient.open(broker.port()));
        second.send(RawClient.connect("MQTT", 4, "q2", false, 0, null));
        assertThat(second.expect(RawClient.CONNACK).sessionPresent()).isTrue();

        // MQTT-4.4.0-1: unacknowledged PUBREL is resent, not the PUBLISH.
        final RawClient.Packet pubrel = second.expect(RawClient.PUBREL);
        assertThat(pubrel.packetId()).isEqualTo(packetId);
        assertThat(pubrel.flags()).isEqualTo(0x02);
    }
}
