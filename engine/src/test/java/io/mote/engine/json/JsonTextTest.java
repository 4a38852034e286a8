package io.mote.engine.json;

import com.dslplatform.json.DslJson;
import com.dslplatform.json.JsonWriter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTextTest
{
    private final JsonWriter writer = new DslJson<>().newWriter();

    @Test
    void shouldEscapeQuotesBackslashesAndControlCharacters()
    {
        assertThat(write("a\"b\\c\nd\u0001".getBytes(StandardCharsets.UTF_8))).isEqualTo("\"a\\\"b\\\\c\\nd\\u0001\"");
    }

    @Test
    void shouldKeepValidMultiByteCharacters()
    {
        assertThat(write("température 21°C ✓".getBytes(StandardCharsets.UTF_8))).isEqualTo("\"température 21°C ✓\"");
    }

    @Test
    void shouldReplaceEachInvalidByteWithReplacementCharacter()
    {
        assertThat(write(new byte[]{'a', (byte)0xFF, 'b', (byte)0xC3})).isEqualTo("\"a\uFFFDb\uFFFD\"");
    }

    @Test
    void shouldWriteEmptyString()
    {
        assertThat(write(new byte[0])).isEqualTo("\"\"");
    }

    private String write(final byte[] bytes)
    {
        writer.reset();
        JsonText.writeString(writer, bytes, 0, bytes.length);
        return new String(writer.getByteBuffer(), 0, writer.size(), StandardCharsets.UTF_8);
    }
}
