package io.mote.engine.tree;

import com.dslplatform.json.DslJson;
import com.dslplatform.json.JsonReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Spreads a tree publish payload (PROTOCOL.md §2.3) into rows, streaming over dsl-json's
 * {@link JsonReader}.
 *
 * <p>Rules, in short: static pattern levels just descend; each '+' level takes every key of the
 * object at that depth, whose value must be an object while another '+' follows; once the pattern
 * is used up a string gives its unescaped UTF-8, a number or boolean its exact JSON source text,
 * {@code null} or {@code ""} a delete row, and an object descends further with its key "/" holding
 * the node's own value. At the top level "/" is a directive instead: only {@code "+"} (replace),
 * and only with retain. Keys must be valid levels; arrays are never allowed.
 *
 * <p>When a key appears twice in one object the last one wins, as in JavaScript: {@link SeenKeys}
 * remembers each key of every open object with the rows its value produced, and a repeat first
 * {@linkplain TreeRowSink#withdraw withdraws} those rows, whatever their topics. The row limit
 * counts every row emitted, withdrawn ones included, since the sink holds them all.
 *
 * <p>dsl-json drives the structure (token cursor, literals, string and number extent); unescaping
 * and the number grammar are in {@link JsonStringDecoder} and {@link JsonLexemes}, which say why.
 * dsl-json also skips VT, FF and some Unicode spaces, so each gap is re-checked against RFC 8259.
 *
 * <p>Not thread-safe: one instance per thread, reused across parses. Nothing is allocated on the
 * success path once the scratch buffers, which grow and are kept, fit the largest payload seen.
 */
public final class TreePublishParser {
    /** An MQTT topic name is a length-prefixed string with a 16-bit length. */
    static final int MAX_TOPIC_BYTES = 65_535;
    private static final int PATH_IN_MESSAGE_BYTES = 200;
    private static final byte[] NO_BYTES = new byte[0];

    private final TreeLimits limits;
    private final JsonReader<Object> reader;
    private final PatternLevels pattern = new PatternLevels();
    private final JsonStringDecoder strings = new JsonStringDecoder();
    private final SeenKeys seen = new SeenKeys();
    /** Row topic under construction; 4 spare bytes let a key's last code point land before the length check. */
    private final byte[] topic = new byte[MAX_TOPIC_BYTES + 4];
    /** Decoded string values; kept at least as long as the payload, which bounds any decoded string. */
    private byte[] values = new byte[256];
    /** Copy of the payload when it does not start at index 0, since dsl-json always reads from 0. */
    private byte[] copy = NO_BYTES;

    private byte[] json;
    private int jsonLength;
    private TreeRowSink sink;
    private boolean retain;
    private boolean replaceSeen;
    private boolean replace;
    private int rows;
    /** Index of the closing quote of the last string decoded. */
    private int closingQuote;
    /** Topic length of the node being parsed, so a rejection can say where it happened. */
    private int pathLength;

    /** @param limits bounds applied to every parse */
    public TreePublishParser(TreeLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.reader = new DslJson<Object>(new DslJson.Settings<>()).newReader(NO_BYTES);
    }

    /**
     * Spreads one tree publish payload into rows.
     *
     * <p>On {@link TreePublishRejectedException} the sink may already have received some rows of
     * the payload: the caller must discard all of them, since §2.3 rejects a payload whole.
     *
     * @param pattern        the publish topic without its trailing '/', UTF-8, already syntax-checked
     *                       for its dialect; an empty pattern means the keys start the topic
     * @param patternOffset  first pattern byte
     * @param patternLength  number of pattern bytes
     * @param payload        array holding the JSON payload
     * @param payloadOffset  first payload byte
     * @param payloadLength  number of payload bytes
     * @param retain         the publish's retain flag (the replace directive needs it)
     * @param sink           receives each row, in document order, depth first, and the withdrawals
     * @return the number of rows given to the sink, withdrawn ones included
     * @throws TreePublishRejectedException when the pattern has '#', or the payload breaks §2.3 or a limit
     */
    public int parse(byte[] pattern, int patternOffset, int patternLength,
                     byte[] payload, int payloadOffset, int payloadLength,
                     boolean retain, TreeRowSink sink) throws TreePublishRejectedException {
        Objects.checkFromIndexSize(patternOffset, patternLength, pattern.length);
        Objects.checkFromIndexSize(payloadOffset, payloadLength, payload.length);
        this.sink = Objects.requireNonNull(sink, "sink");
        this.retain = retain;
        replace = false;
        replaceSeen = false;
        rows = 0;
        pathLength = 0;
        seen.reset();
        try {
            if (payloadLength > limits.maxPayloadBytes()) {
                throw reject(TreeRejection.TOO_LARGE, payloadLength + " bytes, limit " + limits.maxPayloadBytes());
            }
            if (!this.pattern.split(pattern, patternOffset, patternLength)) {
                throw reject(TreeRejection.HASH_IN_PATTERN, "'#' is not allowed in a tree publish pattern");
            }
            bind(payload, payloadOffset, payloadLength);
            final int level = this.pattern.nextWildcard(0);
            final int topicLength = this.pattern.appendStatic(0, level, topic, 0, MAX_TOPIC_BYTES);
            if (topicLength < 0) {
                throw topicTooLong();
            }
            pathLength = topicLength;
            final byte first = next();
            if (first != '{') {
                throw reject(JsonLexemes.startsValue(first) ? TreeRejection.NOT_AN_OBJECT : TreeRejection.NOT_JSON,
                        "the payload must be a JSON object");
            }
            object(level, topicLength, 1, true);
            checkTrailing();
            replace = replaceSeen;
            return rows;
        } catch (IOException e) {
            throw reject(TreeRejection.NOT_JSON, e.getMessage());
        } finally {
            // Let go of the caller's arrays: they belong to the network layer's buffers.
            this.sink = null;
            this.pattern.release();
            json = NO_BYTES;
            reader.process(NO_BYTES, 0);
        }
    }

    /** @return true when the last successful parse held the top-level {@code "/": "+"} replace directive */
    public boolean replace() {
        return replace;
    }

    private void bind(byte[] payload, int offset, int length) {
        if (offset == 0) {
            json = payload;
        } else {
            if (copy.length < length) {
                copy = new byte[length];
            }
            System.arraycopy(payload, offset, copy, 0, length);
            json = copy;
        }
        jsonLength = length;
        if (values.length < length) {
            values = new byte[length];
        }
        reader.process(json, length);
    }

    /**
     * Parses the object whose '{' was just read. {@code level} is the '+' pattern level its keys
     * fill, or the pattern's level count once the pattern is used up.
     */
    private void object(int level, int topicLength, int depth, boolean top)
            throws IOException, TreePublishRejectedException {
        if (depth > limits.maxDepth()) {
            throw reject(TreeRejection.TOO_DEEP, "objects nest deeper than " + limits.maxDepth());
        }
        final boolean atWildcard = level < pattern.count();
        // A key is a topic's first level only when nothing precedes it: no pattern level, no outer key.
        final boolean separator = atWildcard ? level > 0 : !top || pattern.count() > 0;
        final int keyStart = separator ? topicLength + 1 : topicLength;
        byte token = next();
        if (token == '}') {
            return;
        }
        seen.open();
        while (true) {
            if (token != '"') {
                throw reject(TreeRejection.NOT_JSON, "expected a key");
            }
            topic[topicLength] = '/';
            final int keyEnd = decodeKey(keyStart);
            if (afterString() != ':') {
                throw reject(TreeRejection.NOT_JSON, "expected ':' after a key");
            }
            final byte value = next();
            final boolean own = keyEnd - keyStart == 1 && topic[keyStart] == '/';
            if (!own) {
                checkKey(keyStart, keyEnd);
            }
            final int key = seen.put(topic, keyStart, keyEnd, sink);
            final int firstRow = rows;
            if (own) {
                if (top) {
                    token = directive(value);
                } else if (atWildcard) {
                    throw reject(TreeRejection.OWN_VALUE_KEY_BEFORE_PATTERN_END,
                            "key \"/\" where the pattern still has a '+' level");
                } else {
                    pathLength = topicLength;
                    token = leaf(value, topicLength);
                }
            } else if (atWildcard) {
                final int nextLevel = pattern.nextWildcard(level + 1);
                final int length = pattern.appendStatic(level + 1, nextLevel, topic, keyEnd, MAX_TOPIC_BYTES);
                if (length < 0) {
                    throw topicTooLong();
                }
                token = value(value, nextLevel, length, depth);
            } else {
                token = value(value, level, keyEnd, depth);
            }
            seen.produced(key, firstRow, rows);
            if (token == '}') {
                seen.close();
                return;
            }
            if (token != ',') {
                throw reject(TreeRejection.NOT_JSON, "expected ',' or '}'");
            }
            token = next();
        }
    }

    /** Parses the value whose first token was just read; returns the token after it. */
    private byte value(byte first, int level, int topicLength, int depth)
            throws IOException, TreePublishRejectedException {
        pathLength = topicLength;
        if (first == '{') {
            object(level, topicLength, depth + 1, false);
            pathLength = topicLength;
            return next();
        }
        if (first == '[') {
            throw reject(TreeRejection.ARRAY_NOT_ALLOWED, "arrays are not allowed");
        }
        if (level < pattern.count()) {
            throw reject(TreeRejection.NON_OBJECT_AT_WILDCARD_LEVEL, "a '+' level of the pattern needs an object here");
        }
        return leaf(first, topicLength);
    }

    /**
     * Emits the row of a string, number, boolean or null whose first token was just read; returns
     * the token after it. Only an own value ("/") can reach here with an object.
     */
    private byte leaf(byte first, int topicLength) throws IOException, TreePublishRejectedException {
        final int start = reader.getCurrentIndex() - 1;
        switch (first) {
            case '{':
                throw reject(TreeRejection.OWN_VALUE_NOT_SCALAR, "key \"/\" must hold a string, number, boolean or null");
            case '[':
                throw reject(TreeRejection.ARRAY_NOT_ALLOWED, "arrays are not allowed");
            case '"': {
                final int length = decodeValue();
                emit(topicLength, values, 0, length);
                return afterString();
            }
            case 'n':
                reader.wasNull();
                emit(topicLength, values, 0, 0);
                return next();
            case 't':
                reader.wasTrue();
                emit(topicLength, json, start, 4);
                return next();
            case 'f':
                reader.wasFalse();
                emit(topicLength, json, start, 5);
                return next();
            default:
                if (first != '-' && (first < '0' || first > '9')) {
                    throw reject(TreeRejection.NOT_JSON, "expected a JSON value");
                }
                // scanNumber stops on the delimiter and leaves it to be read again by next().
                reader.scanNumber();
                int end = reader.getCurrentIndex();
                while (end > start && JsonLexemes.isWhitespace(json[end - 1])) {
                    end--;
                }
                if (!JsonLexemes.isNumber(json, start, end)) {
                    throw reject(TreeRejection.NOT_JSON, "malformed number");
                }
                emit(topicLength, json, start, end - start);
                return next();
        }
    }

    private byte directive(byte first) throws IOException, TreePublishRejectedException {
        if (first == '[') {
            throw reject(TreeRejection.ARRAY_NOT_ALLOWED, "arrays are not allowed");
        }
        if (first != '"' || decodeValue() != 1 || values[0] != '+') {
            throw reject(TreeRejection.UNKNOWN_DIRECTIVE, "the top-level \"/\" directive must be \"+\"");
        }
        if (!retain) {
            throw reject(TreeRejection.REPLACE_WITHOUT_RETAIN, "the replace directive needs the retain flag");
        }
        replaceSeen = true;
        return afterString();
    }

    private void emit(int topicLength, byte[] payload, int offset, int length) throws TreePublishRejectedException {
        if (rows == limits.maxRows()) {
            throw reject(TreeRejection.TOO_MANY_ROWS, "more than " + limits.maxRows() + " rows");
        }
        rows++;
        sink.row(topic, topicLength, payload, offset, length, length == 0);
    }

    /** Decodes the key whose '"' was just read into the topic at keyStart; returns where it ends. */
    private int decodeKey(int keyStart) throws TreePublishRejectedException {
        final int quote = strings.decode(json, reader.getCurrentIndex(), jsonLength, topic, keyStart, topic.length);
        if (quote < 0) {
            if (quote == JsonStringDecoder.OUTPUT_FULL) {
                throw topicTooLong();
            }
            throw stringError(quote, "key");
        }
        closingQuote = quote;
        final int keyEnd = strings.outEnd();
        if (keyEnd > MAX_TOPIC_BYTES) {
            throw topicTooLong();
        }
        return keyEnd;
    }

    /** Decodes the string value whose '"' was just read into {@link #values}; returns its length. */
    private int decodeValue() throws TreePublishRejectedException {
        final int quote = strings.decode(json, reader.getCurrentIndex(), jsonLength, values, 0, values.length);
        if (quote < 0) {
            throw stringError(quote, "string value");
        }
        closingQuote = quote;
        return strings.outEnd();
    }

    private void checkKey(int keyStart, int keyEnd) throws TreePublishRejectedException {
        if (keyEnd == keyStart) {
            pathLength = keyStart;
            throw reject(TreeRejection.INVALID_KEY, "empty key");
        }
        for (int i = keyStart; i < keyEnd; i++) {
            final byte b = topic[i];
            if (b == '/' || b == '+' || b == '#' || b == 0) {
                pathLength = keyEnd;
                throw reject(TreeRejection.INVALID_KEY, "key holds '/', '+', '#' or U+0000");
            }
        }
    }

    /**
     * Moves dsl-json's cursor past the string just decoded (our decoder already found its closing
     * quote, dsl-json has no way to jump there) and returns the next token.
     */
    private byte afterString() throws IOException, TreePublishRejectedException {
        final byte token = reader.skip();
        checkGap(closingQuote + 1, reader.getCurrentIndex() - 1);
        return token;
    }

    private byte next() throws IOException, TreePublishRejectedException {
        final int from = reader.getCurrentIndex();
        final byte token = reader.getNextToken();
        checkGap(from, reader.getCurrentIndex() - 1);
        return token;
    }

    private void checkGap(int from, int to) throws TreePublishRejectedException {
        for (int i = from; i < to; i++) {
            if (!JsonLexemes.isWhitespace(json[i])) {
                throw reject(TreeRejection.NOT_JSON, "only space, tab, CR and LF may separate JSON tokens");
            }
        }
    }

    private void checkTrailing() throws TreePublishRejectedException {
        for (int i = reader.getCurrentIndex(); i < jsonLength; i++) {
            if (!JsonLexemes.isWhitespace(json[i])) {
                throw reject(TreeRejection.TRAILING_DATA, "data after the top-level object");
            }
        }
    }

    private TreePublishRejectedException stringError(int code, String what) {
        return switch (code) {
            case JsonStringDecoder.BAD_UTF8 -> reject(TreeRejection.INVALID_UTF8, what + " is not valid UTF-8");
            case JsonStringDecoder.LONE_SURROGATE -> reject(TreeRejection.INVALID_UTF8, what + " escapes a lone surrogate");
            case JsonStringDecoder.CONTROL_CHARACTER -> reject(TreeRejection.NOT_JSON, what + " holds a raw control character");
            case JsonStringDecoder.BAD_ESCAPE -> reject(TreeRejection.NOT_JSON, what + " holds an invalid escape");
            default -> reject(TreeRejection.NOT_JSON, what + " is not closed");
        };
    }

    private TreePublishRejectedException topicTooLong() {
        return reject(TreeRejection.TOPIC_TOO_LONG, "row topic longer than " + MAX_TOPIC_BYTES + " bytes");
    }

    private TreePublishRejectedException reject(TreeRejection reason, String detail) {
        final int shown = Math.min(pathLength, PATH_IN_MESSAGE_BYTES);
        final String path = new String(topic, 0, shown, StandardCharsets.UTF_8) + (shown < pathLength ? "..." : "");
        return new TreePublishRejectedException(reason,
                reason + ": " + detail + " (payload byte " + reader.getCurrentIndex() + ", topic '" + path + "')");
    }
}
