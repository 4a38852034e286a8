package io.mote.engine.topic;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8Test
{
    @Test
    void shouldAcceptMultiByteCharacters()
    {
        final byte[] bytes = "é€😀".getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8.isValidMqttString(bytes, 0, bytes.length)).isTrue();
    }

    @Test
    void shouldRejectTruncatedSequence()
    {
        final byte[] bytes = {'a', (byte)0xE2, (byte)0x82};
        assertThat(Utf8.isValidMqttString(bytes, 0, bytes.length)).isFalse();
    }

    @Property(tries = 2000)
    void shouldAgreeWithTheJdkDecoderOnAnyBytesWithoutNul(@ForAll final byte[] bytes)
    {
        boolean hasNul = false;
        for (final byte b : bytes)
        {
            hasNul |= b == 0;
        }
        assertThat(Utf8.isValidMqttString(bytes, 0, bytes.length)).isEqualTo(!hasNul && jdkAccepts(bytes));
    }

    private static boolean jdkAccepts(final byte[] bytes)
    {
        try
        {
            StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes));
            return true;
        }
        catch (final CharacterCodingException ex)
        {
            return false;
        }
    }
}
