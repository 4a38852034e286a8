package io.mote.engine.tree;

import io.mote.engine.tree.RecordingSink.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Example-based tests of the §2.3 rules that accept a payload; rejections are in {@link TreePublishRejectionTest}. */
class TreePublishParserTest {
    private final TreePublishParser parser = new TreePublishParser(TreeLimits.DEFAULT);

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private List<Row> parse(String pattern, String json) throws TreePublishRejectedException {
        return parse(pattern, json, false);
    }

    private List<Row> parse(String pattern, String json, boolean retain) throws TreePublishRejectedException {
        final RecordingSink sink = new RecordingSink();
        final byte[] p = utf8(pattern);
        final byte[] j = utf8(json);
        final int count = parser.parse(p, 0, p.length, j, 0, j.length, retain, sink);
        assertThat(count).isEqualTo(sink.emittedCount());
        return sink.rows;
    }

    @Test
    void shouldSpreadKeysWhenPatternEndsInWildcard() throws Exception {
        assertThat(parse("light/bedroom/+", "{\"is_on\": \"1\", \"brightness\": 55, \"color\": \"#FFFFFF\"}"))
                .containsExactly(Row.of("light/bedroom/is_on", "1"), Row.of("light/bedroom/brightness", "55"),
                        Row.of("light/bedroom/color", "#FFFFFF"));
    }

    @Test
    void shouldTakeEveryKeyWhenPatternHasTwoWildcards() throws Exception {
        assertThat(parse("light/+/+", "{\"bedroom\": {\"is_on\": \"1\"}, \"kitchen\": {\"is_on\": \"0\"}}"))
                .containsExactly(Row.of("light/bedroom/is_on", "1"), Row.of("light/kitchen/is_on", "0"));
    }

    @Test
    void shouldDescendWhenValueIsObjectPastPatternEnd() throws Exception {
        assertThat(parse("light", "{\"bedroom\": {\"is_on\": \"1\", \"dim\": {\"level\": \"3\"}}}"))
                .containsExactly(Row.of("light/bedroom/is_on", "1"), Row.of("light/bedroom/dim/level", "3"));
    }

    @Test
    void shouldEmitNodeValueWhenObjectHasSlashKey() throws Exception {
        assertThat(parse("a", "{\"b\": {\"/\": \"x\", \"c\": \"y\"}}"))
                .containsExactly(Row.of("a/b", "x"), Row.of("a/b/c", "y"));
    }

    @Test
    void shouldEmitNodeValueWhenSlashKeyIsEscaped() throws Exception {
        assertThat(parse("a", "{\"b\": {\"\\/\": 1}}")).containsExactly(Row.of("a/b", "1"));
    }

    @Test
    void shouldTakeStaticLevelLiterallyWhenItFollowsAWildcard() throws Exception {
        assertThat(parse("light/+/is_on", "{\"bedroom\": \"1\", \"kitchen\": {\"x\": 2}}"))
                .containsExactly(Row.of("light/bedroom/is_on", "1"), Row.of("light/kitchen/is_on/x", "2"));
    }

    @Test
    void shouldInterleaveStaticLevelsWhenPatternMixesThem() throws Exception {
        assertThat(parse("a/+/b/+/c", "{\"x\": {\"y\": \"v\"}}")).containsExactly(Row.of("a/x/b/y/c", "v"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.50", "1e3", "-0", "0", "0.0", "1E+2", "-12.5e-3", "123456789012345678901234567890",
            "true", "false"})
    void shouldKeepExactSourceTextWhenValueIsNumberOrBoolean(String text) throws Exception {
        assertThat(parse("s/+", "{\"t\": " + text + " }")).containsExactly(Row.of("s/t", text));
    }

    @Test
    void shouldKeepNumberTextWhenSeveralNumbersFollowEachOther() throws Exception {
        assertThat(parse("s/+", "{\"t\": 1.50, \"n\": 7, \"on\": true}"))
                .containsExactly(Row.of("s/t", "1.50"), Row.of("s/n", "7"), Row.of("s/on", "true"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "plain          | plain",
            "a\\\"b         | a\"b",
            "a\\\\b         | a\\b",
            "a\\/b          | a/b",
            "\\b\\f\\n\\r\\t | `\b\f\n\r\t`",
            "\\u00e9t\\u00E9 | été",
            "\\u4e2d        | 中",
            "\\ud83d\\ude00 | 😀",
            "raw é 中 😀    | raw é 中 😀",
            "\\u0000        | `\u0000`"})
    void shouldUnescapeToUtf8WhenValueIsString(String escaped, String decoded) throws Exception {
        assertThat(parse("k", "{\"v\":\"" + escaped.strip() + "\"}")).containsExactly(Row.of("k/v", decoded));
    }

    @ParameterizedTest
    @ValueSource(strings = {"null", "\"\""})
    void shouldEmitDeleteWhenValueIsNullOrEmptyString(String value) throws Exception {
        assertThat(parse("light/bedroom/+", "{\"color\": " + value + "}"))
                .containsExactly(new Row("light/bedroom/color", new byte[0], true));
    }

    @Test
    void shouldKeepOnlyTheLastValueWhenLeafKeyIsDuplicated() throws Exception {
        assertThat(parse("a/+", "{\"x\": \"1\", \"y\": \"2\", \"x\": \"3\"}"))
                .containsExactly(Row.of("a/y", "2"), Row.of("a/x", "3"));
    }

    /** §2.3: the last occurrence of a key wins, as in JavaScript, whatever topics the earlier one wrote. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"k\": {\"x\": \"1\"}, \"k\": \"2\"}          | a/k   | 2",
            "{\"k\": \"2\", \"k\": {\"x\": \"3\"}}          | a/k/x | 3",
            "{\"k\": {\"x\": \"1\"}, \"k\": {\"y\": \"2\"}} | a/k/y | 2",
            "{\"k\": {\"x\": \"1\", \"/\": \"0\"}, \"k\": {\"/\": \"2\"}} | a/k | 2"})
    void shouldKeepOnlyTheLastOccurrenceWhenRepeatedKeyWritesOtherTopics(String json, String topic, String value)
            throws Exception {
        assertThat(parse("a", json)).containsExactly(Row.of(topic, value));
    }

    @Test
    void shouldKeepOnlyTheLastOwnValueWhenSlashKeyRepeats() throws Exception {
        assertThat(parse("a", "{\"k\": {\"/\": \"1\", \"x\": \"2\", \"/\": null}}"))
                .containsExactly(Row.of("a/k/x", "2"), Row.of("a/k", null));
    }

    @Test
    void shouldWithdrawTheWholeSubtreeWhenKeyRepeatsAtAWildcardLevel() throws Exception {
        assertThat(parse("a/+", "{\"x\": {\"k\": \"1\"}, \"x\": {\"j\": \"2\"}}"))
                .containsExactly(Row.of("a/x/j", "2"));
        assertThat(parse("a/+/+", "{\"x\": {\"p\": {\"k\": 1}, \"q\": 2}, \"y\": {\"r\": 3}, \"x\": {\"s\": 4}}"))
                .containsExactly(Row.of("a/y/r", "3"), Row.of("a/x/s", "4"));
    }

    @Test
    void shouldApplyLastWinsPerObjectWhenRepeatsNest() throws Exception {
        assertThat(parse("a", "{\"k\": {\"x\": \"1\", \"x\": \"2\", \"y\": {\"z\": 1, \"z\": {\"w\": 2}}},"
                + " \"j\": \"3\", \"k\": {\"x\": \"4\", \"y\": {\"z\": 5}, \"x\": {\"v\": 6}}}"))
                .containsExactly(Row.of("a/j", "3"), Row.of("a/k/y/z", "5"), Row.of("a/k/x/v", "6"));
    }

    @Test
    void shouldTreatKeysOfDifferentObjectsAsDistinctWhenTheyAreEqual() throws Exception {
        assertThat(parse("a", "{\"k\": {\"k\": \"1\"}, \"j\": {\"k\": \"2\"}, \"k2\": {\"k\": {\"k\": \"3\"}}}"))
                .containsExactly(Row.of("a/k/k", "1"), Row.of("a/j/k", "2"), Row.of("a/k2/k/k", "3"));
    }

    @Test
    void shouldMatchKeysByDecodedTextWhenTheRepeatIsEscaped() throws Exception {
        assertThat(parse("a", "{\"k\u00e9\": {\"x\": 1}, \"k\\u00E9\": 2}")).containsExactly(Row.of("a/k\u00e9", "2"));
    }

    @Test
    void shouldAcceptTheDirectiveWhenItRepeats() throws Exception {
        assertThat(parse("a", "{\"/\": \"+\", \"k\": 1, \"/\": \"+\"}", true)).containsExactly(Row.of("a/k", "1"));
        assertThat(parser.replace()).isTrue();
    }

    @Test
    void shouldWithdrawEachRepeatOnceWhenManyKeysRepeat() throws Exception {
        final StringBuilder json = new StringBuilder("{");
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 500; i++) {
                json.append(json.length() > 1 ? "," : "").append("\"k").append(i).append("\": {\"r").append(round).append("\": ").append(i).append('}');
            }
        }
        final List<Row> rows = parse("a", json.append('}').toString());
        assertThat(rows).hasSize(500).allMatch(r -> r.topic().endsWith("/r2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", " { } ", "\n\t{\r\n}\n"})
    void shouldReturnZeroRowsWhenObjectIsEmpty(String json) throws Exception {
        assertThat(parse("a/+", json)).isEmpty();
    }

    @Test
    void shouldEmitNothingWhenNestedObjectIsEmpty() throws Exception {
        assertThat(parse("a", "{\"b\": {}, \"c\": 1}")).containsExactly(Row.of("a/c", "1"));
    }

    @Test
    void shouldSetReplaceWhenTopLevelDirectiveIsPlusWithRetain() throws Exception {
        assertThat(parse("a/+", "{\"/\": \"+\", \"x\": \"5\", \"z\": \"6\"}", true))
                .containsExactly(Row.of("a/x", "5"), Row.of("a/z", "6"));
        assertThat(parser.replace()).isTrue();
    }

    @Test
    void shouldAcceptDirectiveWhenItIsNotTheFirstKey() throws Exception {
        assertThat(parse("a", "{\"x\": \"5\", \"/\": \"\\u002b\"}", true)).containsExactly(Row.of("a/x", "5"));
        assertThat(parser.replace()).isTrue();
    }

    @Test
    void shouldClearReplaceWhenNextParseHasNoDirective() throws Exception {
        parse("a/+", "{\"/\": \"+\"}", true);
        parse("a/+", "{\"x\": \"5\"}", true);
        assertThat(parser.replace()).isFalse();
    }

    @Test
    void shouldAcceptUnicodeKeyWhenRawOrEscaped() throws Exception {
        assertThat(parse("+", "{\"été\": 1, \"\\u00e9t\\u00e9\": 2, \"😀\": 3, \"a b\\n\": 4}"))
                .containsExactly(Row.of("été", "2"), Row.of("😀", "3"), Row.of("a b\n", "4"));
    }

    @Test
    void shouldStartTopicWithKeyWhenPatternIsEmpty() throws Exception {
        assertThat(parse("", "{\"light\": {\"is_on\": \"1\"}}")).containsExactly(Row.of("light/is_on", "1"));
    }

    @Test
    void shouldKeepEmptyStaticLevelsWhenMqttDialectPatternHasThem() throws Exception {
        assertThat(parse("/a//+", "{\"k\": 1}")).containsExactly(Row.of("/a//k", "1"));
    }

    @Test
    void shouldReadOnlyTheSliceWhenPayloadAndPatternHaveOffsets() throws Exception {
        final RecordingSink sink = new RecordingSink();
        final byte[] pattern = utf8("xxa/+yy");
        final byte[] payload = utf8("garbage{\"k\": 12}garbage");
        parser.parse(pattern, 2, 3, payload, 7, 9, false, sink);
        assertThat(sink.rows).containsExactly(Row.of("a/k", "12"));
    }

    @Test
    void shouldParseNormallyWhenPreviousParseWasRejected() throws Exception {
        final byte[] p = utf8("a/+");
        final byte[] bad = utf8("{\"x\": {\"y\": [");
        catchThrowableOfType(TreePublishRejectedException.class,
                () -> parser.parse(p, 0, p.length, bad, 0, bad.length, true, new RecordingSink()));
        assertThat(parse("a/+", "{\"x\": \"1\"}")).containsExactly(Row.of("a/x", "1"));
        assertThat(parser.replace()).isFalse();
    }

    @Test
    void shouldMatchConformanceVectorWhenTreePublishObjectDescends() throws Exception {
        assertThat(parse("light", "{\"bedroom\": {\"is_on\": \"1\", \"dim\": {\"level\": \"3\"}}}", true))
                .containsExactly(Row.of("light/bedroom/is_on", "1"), Row.of("light/bedroom/dim/level", "3"));
    }

    @Test
    void shouldMatchConformanceVectorWhenTelemetryIsNotRetained() throws Exception {
        assertThat(parse("s/+", "{\"t1\": \"20.5\", \"t2\": \"21\"}"))
                .containsExactly(Row.of("s/t1", "20.5"), Row.of("s/t2", "21"));
    }
}
