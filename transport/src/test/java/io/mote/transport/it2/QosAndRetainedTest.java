package io.mote.transport.it2;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** PROTOCOL.md §4 over TCP with Paho: QoS downgrade, overlapping subscriptions, retained rows, {@code $} topics. */
class QosAndRetainedTest extends BrokerTestSupport
{
    @BeforeEach
    void startBroker() throws Exception
    {
        start();
    }

    @ParameterizedTest(name = "publish q{0}, granted q{1}")
    @CsvSource({
        "0,0", "0,1", "0,2",
        "1,0", "1,1", "1,2",
        "2,0", "2,1", "2,2"})
    void shouldDeliverAtMinOfPublishAndGrantedQosWhenRouting(final int publishQos, final int grantedQos) throws Exception
    {
        final MqttClient subscriber = paho("sub");
        final Inbox inbox = new Inbox(subscriber);
        subscriber.subscribe("t/x", grantedQos);
        final MqttClient publisher = paho("pub");

        publisher.publish("t/x", bytes("m"), publishQos, false);

        assertThat(inbox.next()).isEqualTo("t/x=m q" + Math.min(publishQos, grantedQos));
        inbox.expectNothing();
    }

    @Test
    void shouldCompleteQos2BothWaysWhenPublisherAndSubscriberUseQos2() throws Exception
    {
        final MqttClient subscriber = paho("sub");
        final Inbox inbox = new Inbox(subscriber);
        subscriber.subscribe("q2/#", 2);
        final MqttClient publisher = paho("pub");

        for (int i = 0; i < 20; i++)
        {
            publisher.publish("q2/" + i, bytes("v" + i), 2, false);
        }

        for (int i = 0; i < 20; i++)
        {
            assertThat(inbox.next()).isEqualTo("q2/" + i + "=v" + i + " q2");
        }
        inbox.expectNothing();
    }

    @Test
    void shouldDeliverOnceAtHighestGrantedQosWhenSubscriptionsOverlap() throws Exception
    {
        final MqttClient subscriber = paho("sub");
        final Inbox inbox = new Inbox(subscriber);
        subscriber.subscribe(new String[] {"o/#", "o/+/c", "o/b/c"}, new int[] {0, 2, 1});
        final MqttClient publisher = paho("pub");

        publisher.publish("o/b/c", bytes("x"), 2, false);

        assertThat(inbox.next()).isEqualTo("o/b/c=x q2");
        inbox.expectNothing();
    }

    @Test
    void shouldDeliverOnceCappedByPublishQosWhenSubscriptionsOverlap() throws Exception
    {
        final MqttClient subscriber = paho("sub");
        final Inbox inbox = new Inbox(subscriber);
        subscriber.subscribe(new String[] {"o/#", "o/+"}, new int[] {0, 2});
        final MqttClient publisher = paho("pub");

        publisher.publish("o/b", bytes("x"), 1, false);

        assertThat(inbox.next()).isEqualTo("o/b=x q1");
        inbox.expectNothing();
    }

    @ParameterizedTest(name = "retained at q{0}, subscribed at q{1}")
    @CsvSource({"0,2", "1,2", "2,2", "2,1", "2,0", "1,0"})
    void shouldSendRetainedWithRetainFlagAtMinQosWhenSubscribing(final int retainedQos, final int grantedQos) throws Exception
    {
        final MqttClient publisher = paho("pub");
        publisher.publish("r/a", bytes("kept"), retainedQos, true);
        final MqttClient subscriber = paho("sub");
        final Inbox inbox = new Inbox(subscriber);

        subscriber.subscribe("r/+", grantedQos);

        assertThat(inbox.next()).isEqualTo("r/a=kept q" + Math.min(retainedQos, grantedQos) + " r");
        inbox.expectNothing();
    }

    @Test
    void shouldClearRetainFlagWhenRetainedPublishIsRoutedToExistingSubscriber() throws Exception
    {
        final MqttClient subscriber = paho("sub");
        final Inbox inbox = new Inbox(subscriber);
        subscriber.subscribe("r/a", 1);
        final MqttClient publisher = paho("pub");

        publisher.publish("r/a", bytes("live"), 1, true);

        // MQTT-3.3.1-9: a message sent because of an existing subscription goes out with RETAIN 0.
        assertThat(inbox.next()).isEqualTo("r/a=live q1");
    }

    @Test
    void shouldSendOnlyLastRetainedValueWhenTopicRetainedTwice() throws Exception
    {
        final MqttClient publisher = paho("pub");
        publisher.publish("r/a", bytes("old"), 1, true);
        publisher.publish("r/a", bytes("new"), 1, true);
        final MqttClient subscriber = paho("sub");
        final Inbox inbox = new Inbox(subscriber);

        subscriber.subscribe("r/#", 1);

        assertThat(inbox.next()).isEqualTo("r/a=new q1 r");
        inbox.expectNothing();
    }

    @Test
    void shouldForgetRetainedRowWhenRetainedWithEmptyPayload() throws Exception
    {
        final MqttClient publisher = paho("pub");
        publisher.publish("r/a", bytes("kept"), 1, true);
        publisher.publish("r/b", bytes("other"), 1, true);
        publisher.publish("r/a", new byte[0], 1, true);
        final MqttClient subscriber = paho("sub");
        final Inbox inbox = new Inbox(subscriber);

        subscriber.subscribe("r/#", 1);

        assertThat(inbox.next()).isEqualTo("r/b=other q1 r");
        inbox.expectNothing();
    }

    @Test
    void shouldRouteEmptyRetainedPublishToSubscribersWhenDeleting() throws Exception
    {
        final MqttClient publisher = paho("pub");
        publisher.publish("r/a", bytes("kept"), 1, true);
        final MqttClient subscriber = paho("sub");
        final Inbox inbox = new Inbox(subscriber);
        subscriber.subscribe("r/a", 1);
        assertThat(inbox.next()).isEqualTo("r/a=kept q1 r");

        publisher.publish("r/a", new byte[0], 1, true);

        assertThat(inbox.next()).isEqualTo("r/a= q1");
    }

    @Test
    void shouldNotMatchDollarTopicsWhenFilterStartsWithWildcard() throws Exception
    {
        final MqttClient subscriber = paho("sub");
        final Inbox inbox = new Inbox(subscriber);
        subscriber.subscribe(new String[] {"#", "+/x", "+/+"}, new int[] {1, 1, 1});
        final MqttClient publisher = paho("pub");

        publisher.publish("$app/x", bytes("hidden"), 1, false);
        publisher.publish("plain/x", bytes("seen"), 1, false);

        // The plain publish is the fence: "seen" comes, and "hidden" never came before it.
        assertThat(inbox.next()).isEqualTo("plain/x=seen q1");
        inbox.expectNothing();
    }

    @Test
    void shouldMatchDollarTopicsWhenFilterStartsWithDollarLevel() throws Exception
    {
        final MqttClient subscriber = paho("sub");
        final Inbox inbox = new Inbox(subscriber);
        subscriber.subscribe("$app/#", 1);
        final MqttClient publisher = paho("pub");

        publisher.publish("$app/x", bytes("visible"), 1, false);

        assertThat(inbox.next()).isEqualTo("$app/x=visible q1");
    }

    @Test
    void shouldNotSendRetainedDollarTopicsWhenSubscribingToHash() throws Exception
    {
        final MqttClient publisher = paho("pub");
        publisher.publish("$app/state", bytes("hidden"), 1, true);
        publisher.publish("app/state", bytes("seen"), 1, true);
        final MqttClient subscriber = paho("sub");
        final Inbox inbox = new Inbox(subscriber);

        subscriber.subscribe("#", 1);

        assertThat(inbox.next()).isEqualTo("app/state=seen q1 r");
        inbox.expectNothing();
    }

    @Test
    void shouldSendOneUnsubackWhenUnsubscribePacketHasSeveralFilters() throws Exception
    {
        final RawClient client = raw(RawClient.connected(broker.port(), "raw", true));
        client.send(RawClient.subscribe(0x02, 1, "u/a", 1, "u/b", 1, "u/c", 1));
        assertThat(client.expect(RawClient.SUBACK).grantedCodes()).containsExactly(1, 1, 1);

        client.send(RawClient.unsubscribe(0x02, 2, "u/a", "u/b", "u/c"));

        final RawClient.Packet unsuback = client.expect(RawClient.UNSUBACK);
        assertThat(unsuback.packetId()).isEqualTo(2);
        client.expectNothingButPong();
    }

    @Test
    void shouldStopDeliveringEveryFilterWhenUnsubscribedInOnePacket() throws Exception
    {
        final RawClient client = raw(RawClient.connected(broker.port(), "raw", true));
        client.send(RawClient.subscribe(0x02, 1, "u/a", 0, "u/b", 0, "u/keep", 0));
        client.expect(RawClient.SUBACK);
        client.send(RawClient.unsubscribe(0x02, 2, "u/a", "u/b"));
        client.expect(RawClient.UNSUBACK);
        final MqttClient publisher = paho("pub");

        publisher.publish("u/a", bytes("1"), 1, false);
        publisher.publish("u/b", bytes("2"), 1, false);
        publisher.publish("u/keep", bytes("3"), 1, false);

        final RawClient.Packet only = client.expect(RawClient.PUBLISH);
        assertThat(List.of(only.topic(), only.payloadText())).containsExactly("u/keep", "3");
        client.expectNothingButPong();
    }
}
