package io.mote.engine;

import io.mote.engine.topic.Dialect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Behaviours of PROTOCOL.md §2–§4 beyond the conformance vectors, through the real ring. */
class PublishBehaviourTest
{
    private final EngineHarness harness = new EngineHarness();

    @AfterEach
    void close()
    {
        harness.close();
    }

    @Test
    void shouldKeepLastValueWhenTreeWritesSameTopicTwice()
    {
        harness.subscribe("app", "s/+", 0);
        harness.publish("dev", "s/+/", "{\"t\": \"1\", \"t\": \"2\"}", 0, true);
        assertThat(only(harness.messages()).payloadText()).isEqualTo("{\"t\":\"2\"}");
        assertThat(harness.retainedRows()).containsExactly(Map.entry("s/t", "2"));
    }

    @Test
    void shouldDeliverOncePerRowToMqttClientWithLastValueWhenTopicRepeats()
    {
        harness.connect("dev", Dialect.MQTT);
        harness.subscribe("dev", "s/#", 0);
        harness.publish("hub", "s/+/", "{\"t\": \"1\", \"u\": \"x\", \"t\": \"2\"}", 0, false);
        assertThat(harness.messages()).extracting(CollectingOutbound.Message::topic, CollectingOutbound.Message::payloadText)
            .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("s/u", "x"), org.assertj.core.groups.Tuple.tuple("s/t", "2"));
    }

    @Test
    void shouldGroupRowsOfOneUpdateByKeyPathWhateverTheirOrder()
    {
        // A repeated key cannot split a key path (the last occurrence wins, §2.3), but replace
        // can: its delete of a/x/0 travels after the sets a/x/1 and a/y.
        harness.publish("hub", "a/x/0", "o", 0, true);
        harness.subscribe("app", "#", 0);
        harness.publish("hub", "a/", "{\"/\": \"+\", \"x\": {\"1\": \"p\"}, \"y\": \"q\"}", 0, true);
        assertThat(Json.parse(only(harness.messages()).payload()))
            .isEqualTo(Json.parse("{\"a\": {\"x\": {\"1\": \"p\", \"0\": null}, \"y\": \"q\"}}"));
    }

    @Test
    void shouldPutOwnValueUnderSlashKeyInUpdates()
    {
        harness.subscribe("app", "a/#", 0);
        harness.publish("hub", "a/", "{\"b\": {\"/\": \"x\", \"c\": \"y\"}}", 0, false);
        assertThat(Json.parse(only(harness.messages()).payload())).isEqualTo(Json.parse("{\"b\": {\"/\": \"x\", \"c\": \"y\"}}"));
    }

    @Test
    void shouldReplaceInvalidUtf8WithReplacementCharacterInJsonButNotForMqtt()
    {
        harness.connect("raw", Dialect.MQTT);
        harness.subscribe("raw", "bin/+", 0);
        harness.subscribe("app", "bin/+", 0);
        harness.publish("dev", "bin/x", new byte[]{'o', (byte)0xFF, 'k'}, 0, false);
        final List<CollectingOutbound.Message> messages = harness.messages();
        assertThat(messages).filteredOn(m -> harness.name(m.subscriberId()).equals("app")).singleElement()
            .satisfies(m -> assertThat(m.payloadText()).isEqualTo("{\"x\":\"o\uFFFDk\"}"));
        assertThat(messages).filteredOn(m -> harness.name(m.subscriberId()).equals("raw")).singleElement()
            .satisfies(m -> assertThat(m.payload()).containsExactly('o', (byte)0xFF, 'k'));
    }

    @Test
    void shouldNotExpandWildcardPublishIntoDollarTopics()
    {
        harness.publish("dev", "$sys/a", "1", 0, true);
        harness.publish("dev", "app/a", "1", 0, true);
        harness.publish("dev", "+/a", "2", 0, true);
        assertThat(harness.retainedRows()).containsExactly(Map.entry("app/a", "2"));
        harness.subscribe("app", "/$sys/a", 0);
        assertThat(only(harness.messages()).payloadText()).isEqualTo("1");
    }

    @Test
    void shouldNotMatchDollarTopicsWithLeadingWildcardFilter()
    {
        harness.subscribe("app", "+/a", 0);
        harness.subscribe("app", "$sys/+", 0);
        harness.publish("dev", "$sys/a", "1", 0, false);
        assertThat(only(harness.messages()).topic()).isEqualTo("$sys/+");
    }

    @Test
    void shouldAcknowledgeWildcardPublishThatExpandsToNothing()
    {
        harness.subscribe("app", "#", 0);
        assertThat(harness.publish("dev", "nothing/+/here", "1", 1, true)).isNull();
        assertThat(harness.messages()).isEmpty();
        assertThat(harness.verdicts()).singleElement().satisfies(v -> assertThat(v.rejection()).isNull());
    }

    @Test
    void shouldAcknowledgeQos1AndQos2PublishesWithTheirPacketIds()
    {
        harness.publish("dev", "a", "1", 1, true);
        harness.publish("dev", "b", "1", 2, false);
        assertThat(harness.verdicts()).extracting(CollectingOutbound.Verdict::qos).containsExactly(1, 2);
    }

    @Test
    void shouldGiveEachPublishOfOneRingEventItsOwnMessage()
    {
        harness.subscribe("app", "a/+", 0);
        harness.settle();
        final byte[] topic = "a/x".getBytes(StandardCharsets.UTF_8);
        try
        {
            harness.producer().publish(harness.id("dev"), Dialect.MOTE, topic, 0, topic.length, new byte[]{'1'}, 0, 1, 0, false, 0);
            harness.producer().publish(harness.id("dev"), Dialect.MOTE, topic, 0, topic.length, new byte[]{'2'}, 0, 1, 0, false, 0);
        }
        catch (final io.mote.engine.pipeline.InvalidPublishException ex)
        {
            throw new AssertionError(ex);
        }
        harness.producer().flush();
        assertThat(harness.messages()).extracting(CollectingOutbound.Message::payloadText)
            .containsExactly("{\"x\":\"1\"}", "{\"x\":\"2\"}");
    }

    @Test
    void shouldResendSnapshotAndUpdateQosWhenResubscribingSameIdentity()
    {
        harness.publish("dev", "a/b", "1", 0, true);
        harness.subscribe("app", "/a/+", 0);
        harness.subscribe("app", "/a/+", 1);
        assertThat(harness.messages()).extracting(CollectingOutbound.Message::qos).containsExactly(0, 1);
        harness.publish("dev", "a/b", "2", 0, true);
        assertThat(only(harness.messages()).qos()).isEqualTo(1);
    }

    @Test
    void shouldStopDeliveringWhenSessionEnds()
    {
        harness.subscribe("app", "a/+", 0);
        harness.disconnect("app");
        harness.publish("dev", "a/x", "1", 0, false);
        assertThat(harness.messages()).isEmpty();
        assertThat(harness.engine().stats().subscriptions()).isZero();
    }

    @Test
    void shouldDeleteRowsWithNullAndEmptyStringInTree()
    {
        harness.publish("dev", "a/x", "1", 0, true);
        harness.publish("dev", "a/y", "1", 0, true);
        harness.publish("hub", "a/+/", "{\"x\": null, \"y\": \"\"}", 0, true);
        assertThat(harness.retainedRows()).isEmpty();
    }

    private static CollectingOutbound.Message only(final List<CollectingOutbound.Message> messages)
    {
        assertThat(messages).hasSize(1);
        return messages.get(0);
    }
}
