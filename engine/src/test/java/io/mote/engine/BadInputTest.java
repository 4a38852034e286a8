package io.mote.engine;

import io.mote.engine.topic.Dialect;
import io.mote.engine.tree.TreeLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PROTOCOL.md §2.3 and §6: a refused publish names its reason and changes nothing: no retained row,
 * no message, and the engine keeps serving.
 */
class BadInputTest
{
    private static final Map<String, String> SEEDED = Map.of("a/x", "0", "light/k/on", "1");

    private EngineHarness harness;

    @BeforeEach
    void seed()
    {
        harness = new EngineHarness(EngineConfig.defaults().withRingSize(64).withTreeLimits(new TreeLimits(4, 5, 1024)));
        SEEDED.forEach((topic, payload) -> harness.publish("setup", topic, payload, 0, true));
        harness.subscribe("watcher", "#", 0);
        harness.connect("strict", Dialect.MQTT);
        harness.messages();
    }

    @AfterEach
    void close()
    {
        harness.close();
    }

    @ParameterizedTest(name = "[{index}] {0} ''{1}'' {2} -> {4}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "mote | a/+/ | `{\"x\":\"1\",\"y\":[1]}` | true | ARRAY_NOT_ALLOWED",
        "mote | a/+/ | `{\"x\":\"1\"` | true | NOT_JSON",
        "mote | a/+/ | `[1]` | true | NOT_AN_OBJECT",
        "mote | a/+/ | `\"text\"` | true | NOT_AN_OBJECT",
        "mote | a/+/ | `{\"x\":\"1\"} trailing` | true | TRAILING_DATA",
        "mote | a/ | `{\"\":\"1\"}` | true | INVALID_KEY",
        "mote | a/ | `{\"b/c\":\"1\"}` | true | INVALID_KEY",
        "mote | a/ | `{\"+\":\"1\"}` | true | INVALID_KEY",
        "mote | a/ | `{\"#\":\"1\"}` | true | INVALID_KEY",
        "mote | a/+/+/ | `{\"x\":{\"/\":\"1\"}}` | true | OWN_VALUE_KEY_BEFORE_PATTERN_END",
        "mote | a/+/ | `{\"x\":\"1\", \"y\":{\"z\":\"2\"}, \"w\":\"3\"}` | true | ",
        "mote | a/+/+/ | `{\"x\":\"1\"}` | true | NON_OBJECT_AT_WILDCARD_LEVEL",
        "mote | a/ | `{\"/\":\"-\"}` | true | UNKNOWN_DIRECTIVE",
        "mote | a/+/ | `{\"/\":\"+\",\"x\":\"1\"}` | false | REPLACE_WITHOUT_RETAIN",
        "mote | a/ | `{\"b\":{\"c\":{\"d\":{\"e\":{\"f\":\"1\"}}}}}` | true | TOO_DEEP",
        "mote | a/+/ | `{\"1\":\"1\",\"2\":\"1\",\"3\":\"1\",\"4\":\"1\",\"5\":\"1\",\"6\":\"1\"}` | true | TOO_MANY_ROWS",
        "mote | a/b+/c | `1` | true | '+' or '#' is not a whole level",
        "mote | a/#/c | `1` | true | '#' is not the last level",
        "mote | a//c | `1` | true | empty level",
        "mote | a/#/ | `{}` | true | may not hold '#'",
        "mote | / | `{}` | true | at least one pattern level",
        "mqtt | a/b#/c | `1` | true | '+' or '#' is not a whole level",
        "mqtt | a/#/c | `1` | true | '#' is not the last level",
    })
    void shouldRefuseWholePublishWithReasonAndChangeNothing(final String dialect, final String topic, final String payload, final boolean retain, final String reason)
    {
        final String client = "mqtt".equals(dialect) ? "strict" : "dev";
        final String refusal = harness.publish(client, topic, payload, 1, retain);
        if (reason == null)
        {
            assertThat(refusal).as("a valid publish in the same table, to prove the table can pass").isNull();
            harness.messages();
            return;
        }
        assertThat(refusal).contains(reason);
        assertThat(harness.messages()).isEmpty();
        assertThat(harness.verdicts()).isEmpty();
        assertThat(harness.retainedRows()).isEqualTo(new java.util.TreeMap<>(SEEDED));
        assertThat(harness.publish("setup", "after/bad", "ok", 0, false)).as("engine keeps serving").isNull();
        assertThat(harness.messages()).singleElement().satisfies(m -> assertThat(m.topic()).isEqualTo("#"));
    }

    @Test
    void shouldRefuseTreePayloadLargerThanLimit()
    {
        final String refusal = harness.publish("dev", "a/", "{\"b\":\"" + "x".repeat(2000) + "\"}", 0, true);
        assertThat(refusal).contains("TOO_LARGE");
        assertThat(harness.retainedRows()).isEqualTo(new java.util.TreeMap<>(SEEDED));
    }

    @Test
    void shouldRefuseTopicAndFilterThatAreNotUtf8()
    {
        final byte[] topic = {'a', '/', (byte)0xC0, (byte)0xAF};
        final io.mote.engine.pipeline.InvalidPublishException refusal = org.junit.jupiter.api.Assertions.assertThrows(
            io.mote.engine.pipeline.InvalidPublishException.class,
            () -> harness.producer().publish(harness.id("dev"), Dialect.MOTE, topic, 0, topic.length, new byte[]{'1'}, 0, 1, 0, true, 0));
        assertThat(refusal.getMessage()).contains("UTF-8");
        assertThat(harness.producer().subscribe(harness.id("dev"), Dialect.MOTE, topic, 0, topic.length, 0).isValid()).isFalse();
        assertThat(harness.retainedRows()).isEqualTo(new java.util.TreeMap<>(SEEDED));
    }
}
