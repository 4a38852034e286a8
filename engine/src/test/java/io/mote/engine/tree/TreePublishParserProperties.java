package io.mote.engine.tree;

import io.mote.engine.tree.TreeModel.Case;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Random trees against the reference model in {@link TreeModel}, random rule breaks hidden in
 * valid trees, and the edges of every limit. jqwik reports the seed of any failing run.
 */
class TreePublishParserProperties {
    private final TreePublishParser parser = new TreePublishParser(TreeLimits.DEFAULT);

    /** A rule break that is caught at any level of a tree, written as one object entry. */
    enum Poison {
        EMPTY_KEY("\"\":1", TreeRejection.INVALID_KEY),
        SLASH_IN_KEY("\"a/b\":1", TreeRejection.INVALID_KEY),
        ESCAPED_SLASH_IN_KEY("\"a\\/\":1", TreeRejection.INVALID_KEY),
        PLUS_KEY("\"+\":{}", TreeRejection.INVALID_KEY),
        HASH_IN_KEY("\"x#\":\"v\"", TreeRejection.INVALID_KEY),
        NUL_IN_KEY("\"\\u0000\":1", TreeRejection.INVALID_KEY),
        ARRAY("\"k\":[1]", TreeRejection.ARRAY_NOT_ALLOWED),
        EMPTY_ARRAY("\"k\":[]", TreeRejection.ARRAY_NOT_ALLOWED),
        BAD_ESCAPE_IN_KEY("\"a\\q\":1", TreeRejection.NOT_JSON),
        RAW_TAB_IN_KEY("\"a\tb\":1", TreeRejection.NOT_JSON),
        LONE_SURROGATE_IN_KEY("\"\\udbff\":1", TreeRejection.INVALID_UTF8),
        OVERLONG_UTF8_IN_KEY(new byte[] {'"', (byte) 0xC0, (byte) 0xAF, '"', ':', '1'}, TreeRejection.INVALID_UTF8),
        MISSING_COLON("\"k\" 1", TreeRejection.NOT_JSON);

        final byte[] bytes;
        final TreeRejection reason;

        Poison(String json, TreeRejection reason) {
            this(json.getBytes(StandardCharsets.UTF_8), reason);
        }

        Poison(byte[] bytes, TreeRejection reason) {
            this.bytes = bytes;
            this.reason = reason;
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        return TreeModel.cases();
    }

    private RecordingSink parse(TreePublishParser p, String pattern, byte[] json, boolean retain)
            throws TreePublishRejectedException {
        final RecordingSink sink = new RecordingSink();
        final byte[] patternBytes = pattern.getBytes(StandardCharsets.UTF_8);
        p.parse(patternBytes, 0, patternBytes.length, json, 0, json.length, retain, sink);
        return sink;
    }

    private TreePublishRejectedException rejection(TreePublishParser p, String pattern, byte[] json, boolean retain) {
        final TreePublishRejectedException e =
                catchThrowableOfType(TreePublishRejectedException.class, () -> parse(p, pattern, json, retain));
        assertThat(e).as("parse must throw, never return, for %s", new String(json, StandardCharsets.UTF_8)).isNotNull();
        return e;
    }

    @Property
    void shouldEmitModelRowsWhenTreeIsValid(@ForAll("cases") Case c) throws Exception {
        final byte[] json = TreeModel.json(c.topWithDirective(), new Random(c.styleSeed()), -1, null);
        final RecordingSink sink = parse(parser, c.patternText(), json, c.replace());
        assertThat(sink.rows).containsExactlyElementsOf(TreeModel.expectedRows(c));
        assertThat(parser.replace()).isEqualTo(c.replace());
    }

    @Property
    void shouldRejectWhenAValidTreeHidesOneBrokenRule(@ForAll("cases") Case c, @ForAll Poison poison,
                                                      @ForAll @IntRange(min = 0, max = 1000) int where) {
        final int at = where % TreeModel.objectCount(c.top());
        final byte[] json = TreeModel.json(c.topWithDirective(), new Random(c.styleSeed()), at, poison.bytes);
        assertThat(rejection(parser, c.patternText(), json, c.replace()).reason()).isEqualTo(poison.reason);
    }

    @Property
    void shouldRejectWhenAValidTreeIsCutShort(@ForAll("cases") Case c, @ForAll @IntRange(min = 0, max = 100_000) int cut) {
        final byte[] whole = TreeModel.json(c.topWithDirective(), new Random(c.styleSeed()), -1, null);
        int lastBrace = whole.length - 1;
        while (whole[lastBrace] != '}') {
            lastBrace--;
        }
        final byte[] json = Arrays.copyOf(whole, cut % (lastBrace + 1));
        assertThat(rejection(parser, c.patternText(), json, c.replace()).reason())
                .isIn(TreeRejection.NOT_JSON, TreeRejection.INVALID_UTF8);
    }

    @Property
    void shouldRejectWhenSomethingFollowsAValidTree(@ForAll("cases") Case c, @ForAll("trailers") String trailer) {
        final byte[] whole = TreeModel.json(c.topWithDirective(), new Random(c.styleSeed()), -1, null);
        final byte[] json = (new String(whole, StandardCharsets.UTF_8) + trailer).getBytes(StandardCharsets.UTF_8);
        assertThat(rejection(parser, c.patternText(), json, c.replace()).reason()).isEqualTo(TreeRejection.TRAILING_DATA);
    }

    @Provide
    Arbitrary<String> trailers() {
        return net.jqwik.api.Arbitraries.of("x", " {}", ",", "}", "\u000b", "\u00a0", " 1", "\u0000");
    }

    @Property(tries = 200)
    void shouldAcceptMaxDepthAndRejectOneMore(@ForAll @IntRange(min = 1, max = TreeLimits.MAX_DEPTH_CAP) int maxDepth)
            throws Exception {
        final TreePublishParser limited = new TreePublishParser(new TreeLimits(maxDepth, 10, Integer.MAX_VALUE));
        assertThat(parse(limited, "a", nested(maxDepth), false).rows).hasSize(1);
        assertThat(rejection(limited, "a", nested(maxDepth + 1), false).reason()).isEqualTo(TreeRejection.TOO_DEEP);
    }

    /** {@code depth} nested objects whose innermost holds one number. */
    private static byte[] nested(int depth) {
        return ("{\"k\":".repeat(depth - 1) + "{\"k\":1}" + "}".repeat(depth - 1)).getBytes(StandardCharsets.UTF_8);
    }

    @Property(tries = 200)
    void shouldAcceptMaxRowsAndRejectOneMore(@ForAll @IntRange(min = 1, max = 2000) int maxRows) throws Exception {
        final TreePublishParser limited = new TreePublishParser(new TreeLimits(4, maxRows, Integer.MAX_VALUE));
        assertThat(parse(limited, "a/+", flat(maxRows), false).rows).hasSize(maxRows);
        assertThat(rejection(limited, "a/+", flat(maxRows + 1), false).reason()).isEqualTo(TreeRejection.TOO_MANY_ROWS);
    }

    /** An object with {@code rows} number-valued keys, spread over two levels so both count. */
    private static byte[] flat(int rows) {
        final StringBuilder sb = new StringBuilder("{\"own\":{\"/\":0");
        for (int i = 1; i < rows; i++) {
            sb.append(",\"k").append(i).append("\":").append(i);
        }
        return sb.append("}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Property(tries = 200)
    void shouldAcceptMaxPayloadBytesAndRejectOneMore(@ForAll @IntRange(min = 2, max = 5000) int maxBytes)
            throws Exception {
        final TreePublishParser limited = new TreePublishParser(new TreeLimits(4, 10, maxBytes));
        assertThat(parse(limited, "a", padded(maxBytes), false).rows).isEmpty();
        assertThat(rejection(limited, "a", padded(maxBytes + 1), false).reason()).isEqualTo(TreeRejection.TOO_LARGE);
    }

    private static byte[] padded(int length) {
        final byte[] json = new byte[length];
        Arrays.fill(json, (byte) ' ');
        json[0] = '{';
        json[length - 1] = '}';
        return json;
    }
}
