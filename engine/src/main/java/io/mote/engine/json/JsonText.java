package io.mote.engine.json;

import com.dslplatform.json.JsonWriter;
import io.mote.engine.topic.Utf8;

import java.nio.charset.StandardCharsets;

/**
 * Writes raw bytes as a JSON string: escapes what JSON requires and replaces bytes that are not
 * well-formed UTF-8 with U+FFFD (PROTOCOL.md §3.1), copying runs of plain bytes in one call.
 * Stateless; any thread.
 */
public final class JsonText
{
    private static final byte[] REPLACEMENT = {(byte)0xEF, (byte)0xBF, (byte)0xBD};
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private JsonText()
    {
    }

    public static void writeString(final JsonWriter writer, final byte[] bytes, final int offset, final int length)
    {
        writer.writeByte(JsonWriter.QUOTE);
        final int end = offset + length;
        int runStart = offset;
        int i = offset;
        while (i < end)
        {
            final int b = bytes[i] & 0xFF;
            if (b >= 0x20 && b != '"' && b != '\\' && b < 0x80)
            {
                i++;
                continue;
            }
            if (b >= 0x80)
            {
                final int sequence = Utf8.multiByteSequenceLength(bytes, i, end);
                if (sequence > 0)
                {
                    i += sequence;
                    continue;
                }
            }
            if (i > runStart)
            {
                writer.writeRaw(bytes, runStart, i - runStart);
            }
            if (b >= 0x80)
            {
                writer.writeRaw(REPLACEMENT, 0, REPLACEMENT.length);
            }
            else
            {
                writeEscape(writer, b);
            }
            i++;
            runStart = i;
        }
        if (end > runStart)
        {
            writer.writeRaw(bytes, runStart, end - runStart);
        }
        writer.writeByte(JsonWriter.QUOTE);
    }

    private static void writeEscape(final JsonWriter writer, final int b)
    {
        writer.writeByte((byte)'\\');
        switch (b)
        {
            case '"' -> writer.writeByte((byte)'"');
            case '\\' -> writer.writeByte((byte)'\\');
            case '\n' -> writer.writeByte((byte)'n');
            case '\r' -> writer.writeByte((byte)'r');
            case '\t' -> writer.writeByte((byte)'t');
            case '\b' -> writer.writeByte((byte)'b');
            case '\f' -> writer.writeByte((byte)'f');
            default ->
            {
                writer.writeByte((byte)'u');
                writer.writeByte((byte)'0');
                writer.writeByte((byte)'0');
                writer.writeByte(HEX[b >> 4]);
                writer.writeByte(HEX[b & 0xF]);
            }
        }
    }
}
