package io.mote.engine.tree;

/**
 * Unescapes one JSON string straight into UTF-8 bytes, validating as it goes.
 *
 * <p>Hand-rolled rather than dsl-json's {@code JsonReader.readString()}: that method decodes into
 * UTF-16 chars without checking the UTF-8 (it accepts overlong forms, encoded surrogates, bad
 * continuation bytes, and reads past the end of a truncated sequence), accepts raw control
 * characters and lone surrogate escapes, and would need a second pass to get back to the UTF-8
 * bytes a row carries.
 *
 * <p>Errors are returned as negative codes rather than thrown, so the caller can name the key
 * path in its rejection. Owned by the thread that owns its {@link TreePublishParser}.
 */
final class JsonStringDecoder {
    static final int UNTERMINATED = -1;
    static final int CONTROL_CHARACTER = -2;
    static final int BAD_ESCAPE = -3;
    static final int BAD_UTF8 = -4;
    static final int LONE_SURROGATE = -5;
    static final int OUTPUT_FULL = -6;

    private int outEnd;

    /** @return where the output of the last successful {@link #decode} ends (exclusive) */
    int outEnd() {
        return outEnd;
    }

    /**
     * @param in        JSON text
     * @param i         index just after the opening quote
     * @param end       end of the JSON text (exclusive)
     * @param out       where the unescaped UTF-8 goes
     * @param o         first output index
     * @param outLimit  output may not reach this index
     * @return index of the closing quote, or one of the negative error codes
     */
    int decode(byte[] in, int i, int end, byte[] out, int o, int outLimit) {
        while (i < end) {
            final int b = in[i];
            if (b >= 0x20 && b != '"' && b != '\\') {
                if (o >= outLimit) {
                    return OUTPUT_FULL;
                }
                out[o++] = (byte) b;
                i++;
            } else if (b == '"') {
                outEnd = o;
                return i;
            } else if (b == '\\') {
                if (i + 1 >= end) {
                    return UNTERMINATED;
                }
                final int e = in[i + 1];
                if (e == 'u') {
                    int cp = hex4(in, i + 2, end);
                    if (cp < 0) {
                        return BAD_ESCAPE;
                    }
                    i += 6;
                    if (cp >= 0xD800 && cp <= 0xDFFF) {
                        final int low = cp <= 0xDBFF && i + 1 < end && in[i] == '\\' && in[i + 1] == 'u'
                                ? hex4(in, i + 2, end) : -1;
                        if (low < 0xDC00 || low > 0xDFFF) {
                            return LONE_SURROGATE;
                        }
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                        i += 6;
                    }
                    o = writeUtf8(cp, out, o, outLimit);
                    if (o < 0) {
                        return OUTPUT_FULL;
                    }
                } else {
                    final int c = simpleEscape(e);
                    if (c < 0) {
                        return BAD_ESCAPE;
                    }
                    if (o >= outLimit) {
                        return OUTPUT_FULL;
                    }
                    out[o++] = (byte) c;
                    i += 2;
                }
            } else if (b >= 0) {
                return CONTROL_CHARACTER;
            } else {
                final int n = utf8SequenceLength(in, i, end);
                if (n < 0) {
                    return BAD_UTF8;
                }
                if (o + n > outLimit) {
                    return OUTPUT_FULL;
                }
                System.arraycopy(in, i, out, o, n);
                i += n;
                o += n;
            }
        }
        return UNTERMINATED;
    }

    private static int simpleEscape(int e) {
        switch (e) {
            case '"': return '"';
            case '\\': return '\\';
            case '/': return '/';
            case 'b': return '\b';
            case 'f': return '\f';
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            default: return -1;
        }
    }

    private static int hex4(byte[] in, int i, int end) {
        if (i + 4 > end) {
            return -1;
        }
        int v = 0;
        for (int k = i; k < i + 4; k++) {
            final int d = hexDigit(in[k]);
            if (d < 0) {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private static int hexDigit(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** @return the new output index, or -1 when the code point does not fit before outLimit */
    private static int writeUtf8(int cp, byte[] out, int o, int outLimit) {
        if (cp < 0x80) {
            if (o + 1 > outLimit) {
                return -1;
            }
            out[o] = (byte) cp;
            return o + 1;
        }
        if (cp < 0x800) {
            if (o + 2 > outLimit) {
                return -1;
            }
            out[o] = (byte) (0xC0 | (cp >>> 6));
            out[o + 1] = (byte) (0x80 | (cp & 0x3F));
            return o + 2;
        }
        if (cp < 0x10000) {
            if (o + 3 > outLimit) {
                return -1;
            }
            out[o] = (byte) (0xE0 | (cp >>> 12));
            out[o + 1] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
            out[o + 2] = (byte) (0x80 | (cp & 0x3F));
            return o + 3;
        }
        if (o + 4 > outLimit) {
            return -1;
        }
        out[o] = (byte) (0xF0 | (cp >>> 18));
        out[o + 1] = (byte) (0x80 | ((cp >>> 12) & 0x3F));
        out[o + 2] = (byte) (0x80 | ((cp >>> 6) & 0x3F));
        out[o + 3] = (byte) (0x80 | (cp & 0x3F));
        return o + 4;
    }

    /**
     * Length of the well-formed UTF-8 sequence starting at {@code in[i]} (a byte >= 0x80), or -1.
     * Follows the table of well-formed sequences in Unicode §3.9 (no overlongs, no surrogates,
     * nothing above U+10FFFF).
     */
    static int utf8SequenceLength(byte[] in, int i, int end) {
        final int b0 = in[i] & 0xFF;
        final int n;
        int lo = 0x80;
        int hi = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            n = 2;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            n = 3;
            if (b0 == 0xE0) {
                lo = 0xA0;
            } else if (b0 == 0xED) {
                hi = 0x9F;
            }
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            n = 4;
            if (b0 == 0xF0) {
                lo = 0x90;
            } else if (b0 == 0xF4) {
                hi = 0x8F;
            }
        } else {
            return -1;
        }
        if (i + n > end) {
            return -1;
        }
        final int b1 = in[i + 1] & 0xFF;
        if (b1 < lo || b1 > hi) {
            return -1;
        }
        for (int k = i + 2; k < i + n; k++) {
            if ((in[k] & 0xC0) != 0x80) {
                return -1;
            }
        }
        return n;
    }
}
