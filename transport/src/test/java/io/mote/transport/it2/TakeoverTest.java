package io.mote.transport.it2;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Client-id takeover (MQTT-3.1.4-2): a second CONNECT with the same id closes the first connection. */
class TakeoverTest extends BrokerTestSupport
{
    @BeforeEach
    void startBroker() throws Exception
    {
        start();
    }

    @Test
    void shouldCloseFirstConnectionWhenSecondConnectsWithSameClientId() throws Exception
    {
        final RawClient first = raw(RawClient.connected(broker.port(), "same", true));

        raw(RawClient.connected(broker.port(), "same", true));

        assertThat(first.closedWithin(WAIT)).isTrue();
    }

    @Test
    void shouldPublishFirstConnectionsWillWhenTakenOver() throws Exception
    {
        final MqttClient watcher = paho("watcher");
        final Inbox inbox = new Inbox(watcher);
        watcher.subscribe("will/#", 1);
        final RawClient first = raw(RawClient.open(broker.port()));
        first.send(RawClient.connect("MQTT", 4, "same", true, 0, new RawClient.WillSpec("will/same", bytes("taken over"), 1, false)));
        first.expect(RawClient.CONNACK);

        raw(RawClient.connected(broker.port(), "same", true));

        assertThat(first.closedWithin(WAIT)).isTrue();
        assertThat(inbox.next()).isEqualTo("will/same=taken over q1");
        inbox.expectNothing();
    }

    @Test
    void shouldPublishFirstConnectionsWillWhenPersistentSessionIsTakenOver() throws Exception
    {
        final MqttClient watcher = paho("watcher");
        final Inbox inbox = new Inbox(watcher);
        watcher.subscribe("will/#", 1);
        final RawClient first = raw(RawClient.open(broker.port()));
        first.send(RawClient.connect("MQTT", 4, "same", false, 0, new RawClient.WillSpec("will/same", bytes("taken over"), 1, false)));
        first.expect(RawClient.CONNACK);

        raw(RawClient.connected(broker.port(), "same", false));

        assertThat(first.closedWithin(WAIT)).isTrue();
        assertThat(inbox.next()).isEqualTo("will/same=taken over q1");
    }

    @Test
    void shouldGiveSessionToSecondConnectionWhenPersistentSessionIsTakenOver() throws Exception
    {
        final RawClient first = raw(RawClient.connected(broker.port(), "same", false));
        first.send(RawClient.subscribe(1, "t/#", 1));
        first.expect(RawClient.SUBACK);

        final RawClient second = raw(RawClient.open(broker.port()));
        second.send(RawClient.connect("MQTT", 4, "same", false, 0, null));
        final RawClient.Packet connack = second.expect(RawClient.CONNACK);
        assertThat(connack.sessionPresent()).as("session present").isTrue();
        assertThat(first.closedWithin(WAIT)).isTrue();

        paho("pub").publish("t/x", bytes("to the new one"), 1, false);
        final RawClient.Packet message = second.expect(RawClient.PUBLISH);
        assertThat(List.of(message.topic(), message.payloadText())).containsExactly("t/x", "to the new one");
    }

    @Test
    void shouldMoveUnackedMessagesToSecondConnectionWhenTakenOver() throws Exception
    {
        final RawClient first = raw(RawClient.connected(broker.port(), "same", false));
        first.send(RawClient.subscribe(1, "t/#", 1));
        first.expect(RawClient.SUBACK);
        paho("pub").publish("t/x", bytes("unacked"), 1, false);
        final RawClient.Packet original = first.expect(RawClient.PUBLISH);

        final RawClient second = raw(RawClient.open(broker.port()));
        second.send(RawClient.connect("MQTT", 4, "same", false, 0, null));
        assertThat(second.expect(RawClient.CONNACK).sessionPresent()).isTrue();

        final RawClient.Packet again = second.expect(RawClient.PUBLISH);
        assertThat(again.dup()).isTrue();
        assertThat(again.packetId()).isEqualTo(original.packetId());
        assertThat(again.payloadText()).isEqualTo("unacked");
    }

    @Test
    void shouldKeepOnlySecondConnectionSubscribedWhenCleanSessionTakesOver() throws Exception
    {
        final RawClient first = raw(RawClient.connected(broker.port(), "same", true));
        first.send(RawClient.subscribe(1, "t/old", 1));
        first.expect(RawClient.SUBACK);

        final RawClient second = raw(RawClient.open(broker.port()));
        second.send(RawClient.connect("MQTT", 4, "same", true, 0, null));
        assertThat(second.expect(RawClient.CONNACK).sessionPresent()).isFalse();
        assertThat(first.closedWithin(WAIT)).isTrue();
        second.send(RawClient.subscribe(2, "t/new", 1));
        second.expect(RawClient.SUBACK);

        final MqttClient publisher = paho("pub");
        publisher.publish("t/old", bytes("old"), 1, false);
        publisher.publish("t/new", bytes("new"), 1, false);

        final RawClient.Packet message = second.expect(RawClient.PUBLISH);
        assertThat(message.topic()).isEqualTo("t/new");
        second.expectNothingButPong();
    }
}
