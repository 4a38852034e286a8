package io.mote.engine.tree;

/**
 * RFC 8259 lexical rules over source bytes: the number grammar, whitespace and value starts.
 *
 * <p>Hand-rolled because dsl-json's {@code JsonReader.scanNumber()} only finds where a number
 * token ends (the next ',', '}' or ']') without checking what lies between, and its number
 * converters parse into Java values, losing the source text §2.3 requires ({@code 1.50}, {@code 1e3}).
 */
final class JsonLexemes {
    private JsonLexemes() {
    }

    /** dsl-json also skips VT, FF and some Unicode spaces; JSON allows only these four. */
    static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    static boolean startsValue(byte b) {
        return b == '"' || b == '[' || b == '{' || b == '-' || (b >= '0' && b <= '9') || b == 't' || b == 'f' || b == 'n';
    }

    /** @return true when {@code in[start, end)} is exactly one JSON number */
    static boolean isNumber(byte[] in, int start, int end) {
        int i = start;
        if (i < end && in[i] == '-') {
            i++;
        }
        if (i >= end) {
            return false;
        }
        if (in[i] == '0') {
            i++;
        } else if (in[i] >= '1' && in[i] <= '9') {
            i = digits(in, i + 1, end);
        } else {
            return false;
        }
        if (i < end && in[i] == '.') {
            final int first = i + 1;
            i = digits(in, first, end);
            if (i == first) {
                return false;
            }
        }
        if (i < end && (in[i] == 'e' || in[i] == 'E')) {
            i++;
            if (i < end && (in[i] == '+' || in[i] == '-')) {
                i++;
            }
            final int first = i;
            i = digits(in, first, end);
            if (i == first) {
                return false;
            }
        }
        return i == end;
    }

    private static int digits(byte[] in, int i, int end) {
        while (i < end && in[i] >= '0' && in[i] <= '9') {
            i++;
        }
        return i;
    }
}
