package io.mote.transport.it2;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inbound QoS 2 is exactly once (MQTT 3.1.1 §4.3.3, method B): a PUBLISH repeated with DUP before
 * PUBREL is acknowledged again but not routed again, also across a reconnect of a persistent session.
 * Plus the dialect rule of persistent sessions (PROTOCOL.md §1).
 */
class ExactlyOnceTest extends BrokerTestSupport
{
    private Inbox inbox;

    @BeforeEach
    void startBrokerAndWatcher() throws Exception
    {
        start();
        final MqttClient watcher = paho("watcher");
        inbox = new Inbox(watcher);
        watcher.subscribe("x/#", 2);
    }

    @Test
    void shouldRouteOnceWhenQos2PublishIsRepeatedBeforePubrel() throws Exception
    {
        final RawClient client = raw(RawClient.connected(broker.port(), "q2", true));
        final byte[] publish = RawClient.publish("x/once", bytes("1"), 2, false, 9);
        client.send(publish);
        assertThat(client.expect(RawClient.PUBREC).packetId()).isEqualTo(9);

        publish[0] |= 0x08; // DUP
        client.send(publish);
        assertThat(client.expect(RawClient.PUBREC).packetId()).as("PUBREC again").isEqualTo(9);
        client.send(RawClient.pubrel(0x02, 9));
        assertThat(client.expect(RawClient.PUBCOMP).packetId()).isEqualTo(9);

        assertThat(inbox.next()).isEqualTo("x/once=1 q2");
        inbox.expectNothing();
    }

    @Test
    void shouldRouteAgainWhenPacketIdIsReusedAfterPubcomp() throws Exception
    {
        final RawClient client = raw(RawClient.connected(broker.port(), "q2", true));
        client.send(RawClient.publish("x/a", bytes("1"), 2, false, 9));
        client.expect(RawClient.PUBREC);
        client.send(RawClient.pubrel(0x02, 9));
        client.expect(RawClient.PUBCOMP);

        client.send(RawClient.publish("x/a", bytes("2"), 2, false, 9));
        client.expect(RawClient.PUBREC);

        assertThat(inbox.next()).isEqualTo("x/a=1 q2");
        assertThat(inbox.next()).isEqualTo("x/a=2 q2");
    }

    @Test
    void shouldRouteOnceWhenQos2PublishIsResentAfterPersistentReconnect() throws Exception
    {
        final RawClient first = raw(RawClient.connected(broker.port(), "q2", false));
        final byte[] publish = RawClient.publish("x/once", bytes("1"), 2, false, 9);
        first.send(publish);
        assertThat(first.expect(RawClient.PUBREC).packetId()).isEqualTo(9);
        first.close(); // PUBREC lost, as far as the client knows

        final RawClient second = raw(RawClient.open(broker.port()));
        second.send(RawClient.connect("MQTT", 4, "q2", false, 0, null));
        assertThat(second.expect(RawClient.CONNACK).sessionPresent()).isTrue();
        publish[0] |= 0x08;
        second.send(publish);
        assertThat(second.expect(RawClient.PUBREC).packetId()).isEqualTo(9);
        second.send(RawClient.pubrel(0x02, 9));
        assertThat(second.expect(RawClient.PUBCOMP).packetId()).isEqualTo(9);

        assertThat(inbox.next()).isEqualTo("x/once=1 q2");
        inbox.expectNothing();
    }

    @Test
    void shouldAnswerPubcompWhenPubrelIsResentAfterPersistentReconnect() throws Exception
    {
        final RawClient first = raw(RawClient.connected(broker.port(), "q2", false));
        first.send(RawClient.publish("x/once", bytes("1"), 2, false, 9));
        first.expect(RawClient.PUBREC);
        first.send(RawClient.pubrel(0x02, 9));
        first.close(); // PUBCOMP not read

        final RawClient second = raw(RawClient.open(broker.port()));
        second.send(RawClient.connect("MQTT", 4, "q2", false, 0, null));
        assertThat(second.expect(RawClient.CONNACK).sessionPresent()).isTrue();
        second.send(RawClient.pubrel(0x02, 9));

        assertThat(second.expect(RawClient.PUBCOMP).packetId()).isEqualTo(9);
        assertThat(inbox.next()).isEqualTo("x/once=1 q2");
        inbox.expectNothing();
    }

    @Test
    void shouldDiscardPersistentSessionWhenSameClientIdReconnectsInOtherDialect() throws Exception
    {
        final RawClient mqtt = raw(RawClient.connected(broker.port(), "both", false));
        mqtt.send(RawClient.subscribe(1, "d/x", 1));
        mqtt.expect(RawClient.SUBACK);
        mqtt.send(RawClient.disconnect());
        assertThat(mqtt.closedWithin(WAIT)).isTrue();
        awaitConnections(1);
        paho("pub").publish("d/x", bytes("queued for mqtt"), 1, false);

        final RawClient mote = raw(RawClient.open(broker.port()));
        mote.send(RawClient.connect("mote", 0, "both", false, 0, null));

        assertThat(mote.expect(RawClient.CONNACK).sessionPresent()).isFalse();
        mote.expectNothingButPong();
    }

    @Test
    void shouldResumePersistentSessionWhenSameClientIdReconnectsInSameMoteDialect() throws Exception
    {
        final RawClient first = raw(RawClient.open(broker.port()));
        first.send(RawClient.connect("mote", 0, "app", false, 0, null));
        first.expect(RawClient.CONNACK);
        first.send(RawClient.subscribe(0x00, 1, "d/x", 1));
        first.expect(RawClient.SUBACK);
        first.close();
        awaitConnections(1);
        paho("pub").publish("d/x", bytes("queued"), 1, false);

        final RawClient second = raw(RawClient.open(broker.port()));
        second.send(RawClient.connect("mote", 0, "app", false, 0, null));

        assertThat(second.expect(RawClient.CONNACK).sessionPresent()).isTrue();
        final RawClient.Packet queued = second.expect(RawClient.PUBLISH);
        assertThat(queued.topic()).isEqualTo("d/x");
        assertThat(queued.payloadText()).isEqualTo("queued");
    }
}
