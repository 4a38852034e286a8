package io.mote.transport.it2;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PROTOCOL.md §5.1 over TCP: the Mote app's sloppy fixed-header flags and subscription option bit 2
 * are accepted from a {@code mote} connection, and the very same bytes close an {@code MQTT} one.
 */
class MoteToleranceTest extends BrokerTestSupport
{
    @BeforeEach
    void startBroker() throws Exception
    {
        start();
    }

    @Test
    void shouldAcceptSubscribeWithFlags0000WhenMoteClient() throws Exception
    {
        final RawClient mote = mote("app");

        mote.send(RawClient.subscribe(0x00, 1, "m/x", 1));

        final RawClient.Packet suback = mote.expect(RawClient.SUBACK);
        assertThat(suback.packetId()).isEqualTo(1);
        assertThat(suback.grantedCodes()).containsExactly(1);
        paho("pub").publish("m/x", bytes("on"), 1, false);
        final RawClient.Packet update = mote.expect(RawClient.PUBLISH);
        assertThat(List.of(update.topic(), update.payloadText())).containsExactly("m/x", "on");
    }

    @Test
    void shouldAcceptUnsubscribeWithFlags0000WhenMoteClient() throws Exception
    {
        final RawClient mote = mote("app");
        mote.send(RawClient.subscribe(0x00, 1, "m/x", 0));
        mote.expect(RawClient.SUBACK);

        mote.send(RawClient.unsubscribe(0x00, 2, "m/x"));

        assertThat(mote.expect(RawClient.UNSUBACK).packetId()).isEqualTo(2);
        paho("pub").publish("m/x", bytes("on"), 1, false);
        mote.expectNothingButPong();
    }

    @Test
    void shouldAcceptPubrelWithFlags0000WhenMoteClient() throws Exception
    {
        final MqttClient watcher = paho("watcher");
        final Inbox inbox = new Inbox(watcher);
        watcher.subscribe("m/#", 2);
        final RawClient mote = mote("app");

        mote.send(RawClient.publish("m/q2", bytes("exactly once"), 2, false, 7));
        assertThat(mote.expect(RawClient.PUBREC).packetId()).isEqualTo(7);
        mote.send(RawClient.pubrel(0x00, 7));

        assertThat(mote.expect(RawClient.PUBCOMP).packetId()).isEqualTo(7);
        assertThat(inbox.next()).isEqualTo("m/q2=exactly once q2");
        mote.expectNothingButPong();
    }

    @Test
    void shouldIgnoreSubscriptionOptionBit2WhenMoteClient() throws Exception
    {
        final RawClient mote = mote("app");

        mote.send(RawClient.subscribe(0x02, 1, "m/x", 0x04 | 1));

        assertThat(mote.expect(RawClient.SUBACK).grantedCodes()).containsExactly(1);
        paho("pub").publish("m/x", bytes("on"), 1, false);
        assertThat(mote.expect(RawClient.PUBLISH).qos()).isEqualTo(1);
    }

    @Test
    void shouldAcceptAllAppQuirksTogetherWhenMoteClient() throws Exception
    {
        final RawClient mote = raw(RawClient.open(broker.port()));
        mote.send(RawClient.connect("mote", 0, "app", true, 20_000, null));
        mote.expect(RawClient.CONNACK);

        mote.send(RawClient.subscribe(0x00, 3, "m/x", 0x04 | 2));

        assertThat(mote.expect(RawClient.SUBACK).grantedCodes()).containsExactly(2);
        mote.expectNothingButPong();
    }

    @Test
    void shouldCloseWhenMqttClientSendsSubscribeWithFlags0000() throws Exception
    {
        final RawClient mqtt = raw(RawClient.connected(broker.port(), "strict", true));

        mqtt.send(RawClient.subscribe(0x00, 1, "m/x", 1));

        assertThat(mqtt.closedWithin(WAIT)).isTrue();
    }

    @Test
    void shouldCloseWhenMqttClientSendsUnsubscribeWithFlags0000() throws Exception
    {
        final RawClient mqtt = raw(RawClient.connected(broker.port(), "strict", true));
        mqtt.send(RawClient.subscribe(0x02, 1, "m/x", 0));
        mqtt.expect(RawClient.SUBACK);

        mqtt.send(RawClient.unsubscribe(0x00, 2, "m/x"));

        assertThat(mqtt.closedWithin(WAIT)).isTrue();
    }

    @Test
    void shouldCloseWhenMqttClientSendsPubrelWithFlags0000() throws Exception
    {
        final RawClient mqtt = raw(RawClient.connected(broker.port(), "strict", true));
        mqtt.send(RawClient.publish("m/q2", bytes("x"), 2, false, 7));
        mqtt.expect(RawClient.PUBREC);

        mqtt.send(RawClient.pubrel(0x00, 7));

        assertThat(mqtt.closedWithin(WAIT)).isTrue();
    }

    @Test
    void shouldCloseWhenMqttClientSetsSubscriptionOptionBit2() throws Exception
    {
        final RawClient mqtt = raw(RawClient.connected(broker.port(), "strict", true));

        mqtt.send(RawClient.subscribe(0x02, 1, "m/x", 0x04 | 1));

        assertThat(mqtt.closedWithin(WAIT)).isTrue();
    }

    @Test
    void shouldStillRefuseOtherReservedFlagsWhenMoteClient() throws Exception
    {
        final RawClient mote = mote("app");

        // Only 0000 is tolerated besides 0010 (§5.1), e.g. not 0011.
        mote.send(RawClient.subscribe(0x03, 1, "m/x", 1));

        assertThat(mote.closedWithin(WAIT)).isTrue();
    }

    @Test
    void shouldStillRefuseOptionBit3WhenMoteClient() throws Exception
    {
        final RawClient mote = mote("app");

        mote.send(RawClient.subscribe(0x02, 1, "m/x", 0x08 | 1));

        assertThat(mote.closedWithin(WAIT)).isTrue();
    }

    private RawClient mote(final String clientId) throws Exception
    {
        final RawClient client = raw(RawClient.open(broker.port()));
        client.send(RawClient.connect("mote", 0, clientId, true, 0, null));
        assertThat(client.expect(RawClient.CONNACK).connackCode()).isZero();
        return client;
    }
}
