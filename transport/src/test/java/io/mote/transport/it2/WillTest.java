package io.mote.transport.it2;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Will messages (PROTOCOL.md §5): sent on an abnormal close only. The dying client is a raw socket,
 * because Paho always says goodbye in some way; closing the socket without DISCONNECT is exactly what
 * a crashed device or a dropped network looks like to the broker.
 */
class WillTest extends BrokerTestSupport
{
    private MqttClient watcher;
    private Inbox inbox;

    @BeforeEach
    void startBrokerAndWatcher() throws Exception
    {
        start();
        watcher = paho("watcher");
        inbox = new Inbox(watcher);
        watcher.subscribe("will/#", 2);
    }

    @Test
    void shouldPublishWillWhenSocketClosesWithoutDisconnect() throws Exception
    {
        final RawClient dying = raw(connectWithWill("dying", new RawClient.WillSpec("will/dying", bytes("gone"), 1, false)));

        dying.close();

        assertThat(inbox.next()).isEqualTo("will/dying=gone q1");
        inbox.expectNothing();
    }

    @Test
    void shouldPublishWillWhenConnectionIsReset() throws Exception
    {
        final RawClient dying = raw(connectWithWill("dying", new RawClient.WillSpec("will/dying", bytes("reset"), 2, false)));

        dying.reset();

        assertThat(inbox.next()).isEqualTo("will/dying=reset q2");
    }

    @Test
    void shouldNotPublishWillWhenClientSendsDisconnect() throws Exception
    {
        final RawClient polite = raw(connectWithWill("polite", new RawClient.WillSpec("will/polite", bytes("gone"), 1, false)));

        polite.send(RawClient.disconnect());
        assertThat(polite.closedWithin(WAIT)).as("broker closes after DISCONNECT").isTrue();

        // A later message on the same subscription is the fence: the will, if any, would have come first.
        final MqttClient other = paho("other");
        other.publish("will/fence", bytes("fence"), 1, false);
        assertThat(inbox.next()).isEqualTo("will/fence=fence q1");
        inbox.expectNothing();
    }

    @Test
    void shouldNotPublishWillWhenPahoDisconnectsNormally() throws Exception
    {
        final MqttClient client = pahoUnconnected("paho-will");
        final var options = options(true);
        options.setWill("will/paho", bytes("gone"), 1, false);
        client.connect(options);

        client.disconnect();

        final MqttClient other = paho("other");
        other.publish("will/fence", bytes("fence"), 1, false);
        assertThat(inbox.next()).isEqualTo("will/fence=fence q1");
        inbox.expectNothing();
    }

    @Test
    void shouldStoreRetainedWillWhenPublishedOnAbnormalClose() throws Exception
    {
        final RawClient dying = raw(connectWithWill("dying", new RawClient.WillSpec("will/status", bytes("offline"), 1, true)));
        dying.close();
        assertThat(inbox.next()).as("routed live, retain flag clear").isEqualTo("will/status=offline q1");

        final MqttClient late = paho("late");
        final Inbox lateInbox = new Inbox(late);
        late.subscribe("will/status", 2);

        assertThat(lateInbox.next()).isEqualTo("will/status=offline q1 r");
    }

    @Test
    void shouldPublishWillWhenBrokerClosesConnectionForBadInput() throws Exception
    {
        final RawClient bad = raw(connectWithWill("bad", new RawClient.WillSpec("will/bad", bytes("gone"), 0, false)));

        // A second CONNECT is a protocol violation (MQTT-3.1.0-2); §6: closed, and its will is published.
        bad.send(RawClient.connect("MQTT", 4, "bad", true, 0, null));

        assertThat(bad.closedWithin(WAIT)).isTrue();
        assertThat(inbox.next()).isEqualTo("will/bad=gone q0");
    }

    private RawClient connectWithWill(final String clientId, final RawClient.WillSpec will) throws Exception
    {
        final RawClient client = RawClient.open(broker.port());
        client.send(RawClient.connect("MQTT", 4, clientId, true, 0, will));
        assertThat(client.expect(RawClient.CONNACK).connackCode()).isZero();
        return client;
    }
}
