package io.mote.engine.topic;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TopicSyntaxTest
{
    @ParameterizedTest(name = "{0} topic ''{1}'' is {2}")
    @CsvSource(delimiter = '|', value = {
        "MOTE | a/b | PLAIN",
        "MOTE | a/+/c | WILDCARD",
        "MOTE | a/# | WILDCARD",
        "MOTE | # | WILDCARD",
        "MOTE | a/ | TREE",
        "MOTE | a/+/ | TREE",
        "MOTE | / | EMPTY_TREE_PATTERN",
        "MOTE | a/#/ | HASH_IN_TREE_PATTERN",
        "MOTE | a//b | EMPTY_LEVEL",
        "MOTE | /a | EMPTY_LEVEL",
        "MOTE | a// | EMPTY_LEVEL",
        "MOTE | a+/b | WILDCARD_NOT_WHOLE_LEVEL",
        "MOTE | a/b# | WILDCARD_NOT_WHOLE_LEVEL",
        "MOTE | a/#/b | HASH_NOT_LAST",
        "MQTT | a/b | PLAIN",
        "MQTT | a/ | PLAIN",
        "MQTT | /a | PLAIN",
        "MQTT | a//b | PLAIN",
        "MQTT | / | PLAIN",
        "MQTT | a/+ | WILDCARD",
        "MQTT | a/#/b | HASH_NOT_LAST",
        "MQTT | a/b+ | WILDCARD_NOT_WHOLE_LEVEL",
    })
    void shouldClassifyTopicsPerDialect(final Dialect dialect, final String topic, final TopicKind expected)
    {
        final byte[] bytes = topic.getBytes(StandardCharsets.UTF_8);
        assertThat(TopicSyntax.classifyTopic(bytes, 0, bytes.length, dialect)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} filter ''{1}'' is {2}")
    @CsvSource(delimiter = '|', value = {
        "MOTE | a/b | EXACT",
        "MOTE | a/+ | WILDCARD",
        "MOTE | + | WILDCARD",
        "MOTE | # | WILDCARD",
        "MOTE | a//b | EMPTY_LEVEL",
        "MOTE | a/ | EMPTY_LEVEL",
        "MOTE | a/#/b | HASH_NOT_LAST",
        "MOTE | a/b+ | WILDCARD_NOT_WHOLE_LEVEL",
        "MQTT | a//b | EXACT",
        "MQTT | / | EXACT",
        "MQTT | /+ | WILDCARD",
        "MQTT | sport/tennis# | WILDCARD_NOT_WHOLE_LEVEL",
        "MQTT | sport/#/ranking | HASH_NOT_LAST",
    })
    void shouldClassifyFiltersPerDialect(final Dialect dialect, final String filter, final FilterKind expected)
    {
        final byte[] bytes = filter.getBytes(StandardCharsets.UTF_8);
        assertThat(TopicSyntax.classifyFilter(bytes, 0, bytes.length, dialect)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"MOTE, /a/b, true", "MOTE, a/b, false", "MQTT, /a/b, false"})
    void shouldSeeSyncMarkerOnlyInMoteDialect(final Dialect dialect, final String filter, final boolean sync)
    {
        final byte[] bytes = filter.getBytes(StandardCharsets.UTF_8);
        assertThat(TopicSyntax.hasSyncMarker(bytes, 0, bytes.length, dialect)).isEqualTo(sync);
    }

    @org.junit.jupiter.api.Test
    void shouldRejectEmptyTopicAndFilter()
    {
        assertThat(TopicSyntax.classifyTopic(new byte[0], 0, 0, Dialect.MQTT)).isEqualTo(TopicKind.EMPTY);
        assertThat(TopicSyntax.classifyFilter(new byte[0], 0, 0, Dialect.MOTE)).isEqualTo(FilterKind.EMPTY);
    }

    @org.junit.jupiter.api.Test
    void shouldRejectInvalidUtf8AndNulInTopics()
    {
        final byte[] overlong = {'a', '/', (byte)0xC0, (byte)0x80};
        final byte[] nul = {'a', 0, 'b'};
        final byte[] surrogate = {(byte)0xED, (byte)0xA0, (byte)0x80};
        assertThat(TopicSyntax.classifyTopic(overlong, 0, overlong.length, Dialect.MQTT)).isEqualTo(TopicKind.INVALID_UTF8);
        assertThat(TopicSyntax.classifyTopic(nul, 0, nul.length, Dialect.MOTE)).isEqualTo(TopicKind.INVALID_UTF8);
        assertThat(TopicSyntax.classifyFilter(surrogate, 0, surrogate.length, Dialect.MQTT)).isEqualTo(FilterKind.INVALID_UTF8);
    }
}
