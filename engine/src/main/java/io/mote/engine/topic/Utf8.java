package io.mote.engine.topic;

/**
 * Well-formedness of MQTT UTF-8 strings (MQTT 3.1.1 §1.5.3): shortest-form UTF-8 of Unicode
 * scalar values, no surrogates, and no U+0000. Stateless; any thread.
 */
public final class Utf8
{
    private Utf8()
    {
    }

    /** @return true when the bytes are well-formed UTF-8 without U+0000. */
    public static boolean isValidMqttString(final byte[] bytes, final int offset, final int length)
    {
        final int end = offset + length;
        int i = offset;
        while (i < end)
        {
            final int b = bytes[i];
            if (b > 0)
            {
                i++;
                continue;
            }
            if (b == 0)
            {
                return false;
            }
            final int sequence = multiByteSequenceLength(bytes, i, end);
            if (sequence == 0)
            {
                return false;
            }
            i += sequence;
        }
        return true;
    }

    /**
     * @return the length (2 to 4) of the well-formed multi-byte UTF-8 sequence starting at {@code i},
     * or 0 when the bytes there are not one (overlong forms, surrogates and truncation included).
     */
    public static int multiByteSequenceLength(final byte[] bytes, final int i, final int end)
    {
        final int b0 = bytes[i] & 0xFF;
        final int need;
        final int min;
        int cp;
        if (b0 >= 0xC2 && b0 <= 0xDF)
        {
            need = 1;
            min = 0x80;
            cp = b0 & 0x1F;
        }
        else if (b0 >= 0xE0 && b0 <= 0xEF)
        {
            need = 2;
            min = 0x800;
            cp = b0 & 0x0F;
        }
        else if (b0 >= 0xF0 && b0 <= 0xF4)
        {
            need = 3;
            min = 0x10000;
            cp = b0 & 0x07;
        }
        else
        {
            return 0;
        }
        if (i + need >= end)
        {
            return 0;
        }
        for (int k = 1; k <= need; k++)
        {
            final int b = bytes[i + k] & 0xFF;
            if ((b & 0xC0) != 0x80)
            {
                return 0;
            }
            cp = (cp << 6) | (b & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        {
            return 0;
        }
        return need + 1;
    }
}
