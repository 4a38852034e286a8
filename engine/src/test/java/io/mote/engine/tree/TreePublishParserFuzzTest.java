package io.mote.engine.tree;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mote.engine.tree.RecordingSink.Row;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Arbitrary bytes as a tree publish payload: the parser must either give rows with valid topics
 * or throw {@link TreePublishRejectedException}; nothing else, and it must end. Plain
 * {@code mvn test} replays the seeds in {@code TreePublishParserFuzzTestInputs/}; fuzz with
 * {@code JAZZER_FUZZ=1}.
 */
class TreePublishParserFuzzTest {
    private static final String[] PATTERNS = {"", "a", "+", "a/+", "+/+", "a/+/b/+", "light/bedroom/+", "+/x"};
    private static final TreeLimits LIMITS = new TreeLimits(16, 1000, 1 << 16);

    private final TreePublishParser parser = new TreePublishParser(LIMITS);

    /**
     * The first input byte picks the pattern (low bits) and the retain flag (high bit); the rest is
     * the payload, parsed once from offset 1 and once from a copy at offset 0, which must agree.
     * No JUnit timeout: in fuzzing mode it would cover the whole campaign; libFuzzer times each
     * input instead, and every parser step moves dsl-json's cursor forward, so it cannot loop.
     */
    @FuzzTest(maxDuration = "2m")
    void shouldRejectOrEmitValidRowsWhenPayloadIsArbitrary(byte[] input) {
        if (input.length == 0) {
            return;
        }
        final byte[] pattern = PATTERNS[(input[0] & 0x7F) % PATTERNS.length].getBytes(StandardCharsets.UTF_8);
        final boolean retain = (input[0] & 0x80) != 0;
        final Outcome sliced = outcome(pattern, input, 1, input.length - 1, retain);
        final Outcome copied = outcome(pattern, Arrays.copyOfRange(input, 1, input.length), 0, input.length - 1, retain);
        assertThat(copied).isEqualTo(sliced);
    }

    private record Outcome(List<Row> rows, TreeRejection reason) {
    }

    private Outcome outcome(byte[] pattern, byte[] payload, int offset, int length, boolean retain) {
        final CheckingSink sink = new CheckingSink();
        try {
            final int count = parser.parse(pattern, 0, pattern.length, payload, offset, length, retain, sink);
            assertThat(count).isEqualTo(sink.recorded.emittedCount()).isLessThanOrEqualTo(LIMITS.maxRows());
            assertThat(sink.rows.size()).isLessThanOrEqualTo(count);
            return new Outcome(sink.rows, null);
        } catch (TreePublishRejectedException e) {
            assertThat(e.reason()).isNotNull();
            assertThat(e.getMessage()).isNotBlank();
            return new Outcome(null, e.reason());
        }
    }

    private static final class CheckingSink implements TreeRowSink {
        final RecordingSink recorded = new RecordingSink();
        final List<Row> rows = recorded.rows;

        @Override
        public void row(byte[] topic, int topicLength, byte[] payload, int payloadOffset, int payloadLength, boolean delete) {
            assertThat(topicLength).isBetween(1, TreePublishParser.MAX_TOPIC_BYTES);
            assertThat(delete).isEqualTo(payloadLength == 0);
            try {
                StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(topic, 0, topicLength));
            } catch (CharacterCodingException e) {
                fail("row topic is not UTF-8", e);
            }
            final String text = new String(topic, 0, topicLength, StandardCharsets.UTF_8);
            assertThat(text).doesNotContain("+", "#", "\u0000", "//").doesNotStartWith("/").doesNotEndWith("/");
            recorded.row(topic, topicLength, payload, payloadOffset, payloadLength, delete);
        }

        @Override
        public void withdraw(int fromRow, int toRow) {
            recorded.withdraw(fromRow, toRow);
        }
    }
}
