package io.mote.transport.codec;

/**
 * Carries a broken rule from the depth of a packet-part decoder up to {@link MqttDecoder}, which
 * turns it into a {@link MalformedPacket} value. Never leaves the codec package, and has no stack
 * trace because it is expected input, not a bug.
 */
final class DecodeException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private static final int MAX_QUOTED = 32;

    DecodeException(final String reason)
    {
        super(reason, null, false, false);
    }

    /** Quotes untrusted bytes for a log line: printable ASCII as is, the rest as \xNN, cut at 32 bytes. */
    static String quote(final byte[] bytes)
    {
        final StringBuilder text = new StringBuilder(bytes.length + 2).append('\'');
        for (int i = 0; i < Math.min(bytes.length, MAX_QUOTED); i++)
        {
            final int b = bytes[i] & 0xFF;
            if (b >= 0x20 && b < 0x7F && b != '\\' && b != '\'')
            {
                text.append((char) b);
            }
            else
            {
                text.append(String.format("\\x%02X", b));
            }
        }
        if (bytes.length > MAX_QUOTED)
        {
            text.append("...");
        }
        return text.append('\'').toString();
    }
}
