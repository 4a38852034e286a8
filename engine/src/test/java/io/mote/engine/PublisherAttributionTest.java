package io.mote.engine;

import io.mote.engine.topic.Dialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every message names the client whose QoS 1/2 publish it comes from, so the transport can hold
 * that client's acknowledgements while the subscriber is congested (flow control).
 */
class PublisherAttributionTest
{
    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void close()
    {
        harness.close();
    }

    @Test
    void shouldNameEachPublisherWhenQos1PublishesOfTwoClientsShareABatch() throws Exception
    {
        harness.connect("sub", Dialect.MQTT);
        harness.subscribe("sub", "t/#", 1);
        harness.producer().publish(harness.id("a"), Dialect.MQTT, bytes("t/a"), 0, 3, bytes("1"), 0, 1, 1, false, 1);
        harness.producer().publish(harness.id("b"), Dialect.MQTT, bytes("t/b"), 0, 3, bytes("2"), 0, 1, 1, false, 1);
        harness.producer().publish(harness.id("a"), Dialect.MQTT, bytes("t/c"), 0, 3, bytes("3"), 0, 1, 1, false, 2);

        assertThat(harness.messages()).extracting(CollectingOutbound.Message::topic, CollectingOutbound.Message::publisherId)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple("t/a", harness.id("a")),
                org.assertj.core.groups.Tuple.tuple("t/b", harness.id("b")),
                org.assertj.core.groups.Tuple.tuple("t/c", harness.id("a")));
    }

    @Test
    void shouldNameNoPublisherWhenPublishIsQos0()
    {
        harness.connect("sub", Dialect.MQTT);
        harness.subscribe("sub", "t/#", 1);
        harness.publish("a", "t/a", "1", 0, false);
        assertThat(harness.messages()).extracting(CollectingOutbound.Message::publisherId).containsExactly(0L);
    }

    @Test
    void shouldNameNoPublisherWhenMessageIsRetainedSnapshotOfSubscribe()
    {
        harness.connect("sub", Dialect.MQTT);
        harness.publish("a", "t/a", "1", 1, true);
        harness.subscribe("sub", "t/#", 1);
        assertThat(harness.messages()).extracting(CollectingOutbound.Message::retain, CollectingOutbound.Message::publisherId)
            .containsExactly(org.assertj.core.groups.Tuple.tuple(true, 0L));
    }

    @Test
    void shouldNamePublisherWhenMoteSubscriptionGetsQos1Tree()
    {
        harness.subscribe("app", "s/+", 1);
        harness.publish("dev", "s/+/", "{\"x\": \"1\", \"y\": \"2\"}", 1, false);
        assertThat(harness.messages()).extracting(CollectingOutbound.Message::publisherId).containsExactly(harness.id("dev"));
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
