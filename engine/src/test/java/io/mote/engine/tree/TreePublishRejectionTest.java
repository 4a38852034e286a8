package io.mote.engine.tree;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HexFormat;
import java.util.stream.Stream;

import static io.mote.engine.tree.TreePublishParserTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every {@link TreeRejection}, each checked to be thrown (never a normal return) with its reason. */
class TreePublishRejectionTest {
    private TreePublishParser parser = new TreePublishParser(TreeLimits.DEFAULT);

    private TreePublishRejectedException rejection(String pattern, byte[] json, boolean retain) {
        final byte[] p = utf8(pattern);
        final TreePublishRejectedException e = catchThrowableOfType(TreePublishRejectedException.class,
                () -> parser.parse(p, 0, p.length, json, 0, json.length, retain, new RecordingSink()));
        assertThat(e).as("parse must throw").isNotNull();
        return e;
    }

    private TreeRejection reason(String pattern, String json) {
        return rejection(pattern, utf8(json), false).reason();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "{\"a\"", "{\"a\":", "{\"a\":1", "{\"a\":1,}", "{,}", "{\"a\" 1}",
            "{\"a\":1 \"b\":2}", "{a:1}", "{'a':1}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":+1}",
            "{\"a\":1e}", "{\"a\":-}", "{\"a\":0x10}", "{\"a\":NaN}", "{\"a\":nul}", "{\"a\":tru}", "{\"a\":True}",
            "{\"a\":\"x}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12g4\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"tab\there\"}",
            "{\"a\":\"new\nline\"}", "{\"a\\q\":1}", "{\"a\":1]", "{\"a\":{\"b\":1}", "}", "x", "\uFEFF{}"})
    void shouldRejectAsNotJsonWhenSyntaxIsBroken(String json) {
        assertThat(reason("a", json)).isEqualTo(TreeRejection.NOT_JSON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\u000b}", "{\f\"a\":1}", "{\"a\":\u00a01}", "{\"a\":1\u3000}", "{\"a\"\u2028:1}"})
    void shouldRejectAsNotJsonWhenNonJsonWhitespaceSeparatesTokens(String json) {
        assertThat(reason("a", json)).isEqualTo(TreeRejection.NOT_JSON);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"text\"", "[]", "[{\"a\":1}]", "12", "-1", "true", "false", "null"})
    void shouldRejectWhenTopLevelIsNotAnObject(String json) {
        assertThat(reason("a/+", json)).isEqualTo(TreeRejection.NOT_AN_OBJECT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"x\":[]}", "{\"x\":[1]}", "{\"x\":{\"y\":[\"a\"]}}", "{\"x\":{\"/\":[1]}}"})
    void shouldRejectWhenAnArrayAppearsAnywhere(String json) {
        assertThat(reason("a", json)).isEqualTo(TreeRejection.ARRAY_NOT_ALLOWED);
    }

    @Test
    void shouldRejectArrayWhenItSitsAtAWildcardLevel() {
        assertThat(reason("a/+/+", "{\"x\":[{\"y\":1}]}")).isEqualTo(TreeRejection.ARRAY_NOT_ALLOWED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"\":1}", "{\"a/b\":1}", "{\"+\":1}", "{\"#\":1}", "{\"a+\":1}", "{\"x#\":1}",
            "{\"a\\u0000\":1}", "{\"a\\/b\":1}", "{\"x\":{\"\":1}}", "{\"x\":{\"//\":1}}"})
    void shouldRejectWhenKeyIsNotAValidLevel(String json) {
        assertThat(reason("a", json)).isEqualTo(TreeRejection.INVALID_KEY);
    }

    static Stream<Arguments> invalidUtf8() {
        return Stream.of("c328", "a0", "80", "c0af", "c1bf", "e080af", "eda080", "f08f8080", "f4908080", "f5808080",
                        "ff", "e282", "f09f98", "c3")
                .flatMap(hex -> Stream.of(Arguments.of("value", hex), Arguments.of("key", hex)));
    }

    @ParameterizedTest
    @MethodSource("invalidUtf8")
    void shouldRejectWhenStringIsNotValidUtf8(String where, String hex) {
        final byte[] bad = HexFormat.of().parseHex(hex);
        final byte[] json = where.equals("key")
                ? concat(utf8("{\"k"), bad, utf8("\":1}"))
                : concat(utf8("{\"k\":\"v"), bad, utf8("\"}"));
        assertThat(rejection("a", json, false).reason()).isEqualTo(TreeRejection.INVALID_UTF8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"k\":\"\\ud800\"}", "{\"k\":\"\\udc00\"}", "{\"k\":\"\\ud800x\"}",
            "{\"k\":\"\\ud800\\u0041\"}", "{\"\\udfff\":1}"})
    void shouldRejectWhenEscapeIsALoneSurrogate(String json) {
        assertThat(reason("a", json)).isEqualTo(TreeRejection.INVALID_UTF8);
    }

    @Test
    void shouldRejectWhenOwnValueKeyIsAtANonFinalWildcardLevel() {
        assertThat(reason("a/+/+", "{\"x\":{\"/\":\"v\"}}")).isEqualTo(TreeRejection.OWN_VALUE_KEY_BEFORE_PATTERN_END);
    }

    @Test
    void shouldRejectWhenOwnValueIsAnObject() {
        assertThat(reason("a", "{\"x\":{\"/\":{\"y\":1}}}")).isEqualTo(TreeRejection.OWN_VALUE_NOT_SCALAR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"x\":\"1\"}", "{\"x\":1}", "{\"x\":null}", "{\"x\":true}", "{\"x\":\"\"}"})
    void shouldRejectWhenValueAtWildcardLevelIsNotAnObject(String json) {
        assertThat(reason("a/+/+", json)).isEqualTo(TreeRejection.NON_OBJECT_AT_WILDCARD_LEVEL);
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "a/#", "+/#", "a/#/b"})
    void shouldRejectWhenPatternHasHashLevel(String pattern) {
        assertThat(reason(pattern, "{}")).isEqualTo(TreeRejection.HASH_IN_PATTERN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"/\":\"x\"}", "{\"/\":\"\"}", "{\"/\":null}", "{\"/\":1}", "{\"/\":{\"a\":1}}",
            "{\"/\":\"++\"}", "{\"/\":\"#\"}"})
    void shouldRejectWhenTopLevelDirectiveIsNotReplace(String json) {
        assertThat(rejection("a/+", utf8(json), true).reason()).isEqualTo(TreeRejection.UNKNOWN_DIRECTIVE);
    }

    @Test
    void shouldRejectWhenReplaceHasNoRetain() {
        assertThat(reason("a/+", "{\"/\":\"+\",\"x\":\"1\"}")).isEqualTo(TreeRejection.REPLACE_WITHOUT_RETAIN);
    }

    @Test
    void shouldRejectWhenNestingExceedsMaxDepth() {
        parser = new TreePublishParser(new TreeLimits(2, 10, 100));
        assertThat(reason("a", "{\"b\":{\"c\":{\"d\":1}}}")).isEqualTo(TreeRejection.TOO_DEEP);
    }

    @Test
    void shouldRejectWhenRowsExceedMaxRows() {
        parser = new TreePublishParser(new TreeLimits(4, 2, 100));
        assertThat(reason("a", "{\"b\":1,\"c\":2,\"d\":3}")).isEqualTo(TreeRejection.TOO_MANY_ROWS);
    }

    @Test
    void shouldRejectWhenPayloadExceedsMaxBytes() {
        parser = new TreePublishParser(new TreeLimits(4, 10, 8));
        assertThat(reason("a", "{\"b\": 12}")).isEqualTo(TreeRejection.TOO_LARGE);
    }

    @Test
    void shouldRejectWhenRowTopicWouldExceedMqttLimit() {
        final String key = "k".repeat(TreePublishParser.MAX_TOPIC_BYTES - 1);
        assertThat(reason("a", "{\"" + key + "\":1}")).isEqualTo(TreeRejection.TOPIC_TOO_LONG);
    }

    @Test
    void shouldRejectWhenStaticLevelsAfterWildcardPassMqttLimit() {
        final String tail = "s".repeat(TreePublishParser.MAX_TOPIC_BYTES - 2);
        assertThat(reason("+/" + tail, "{\"kk\":1}")).isEqualTo(TreeRejection.TOPIC_TOO_LONG);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}x", "{} {}", "{\"a\":1}}", "{}\u0000", "{}\u000b", "{} ,"})
    void shouldRejectWhenDataFollowsTheObject(String json) {
        assertThat(reason("a", json)).isEqualTo(TreeRejection.TRAILING_DATA);
    }

    @Test
    void shouldNameKeyPathWhenRejecting() {
        final TreePublishRejectedException e = rejection("site/+", utf8("{\"k1\":{\"t\":[1]}}"), false);
        assertThat(e.getMessage()).contains("ARRAY_NOT_ALLOWED").contains("site/k1/t");
    }

    @Test
    void shouldClearReplaceWhenParseIsRejected() throws Exception {
        final byte[] p = utf8("a");
        final byte[] ok = utf8("{\"/\":\"+\"}");
        parser.parse(p, 0, p.length, ok, 0, ok.length, true, new RecordingSink());
        rejection("a", utf8("{\"/\":\"+\",\"x\":[1]}"), true);
        assertThat(parser.replace()).isFalse();
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        final byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
