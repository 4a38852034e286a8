package io.mote.persistence;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FsyncModeTest
{
    @ParameterizedTest
    @CsvSource({"never, never", "BATCH, batch", "interval:100, interval:100", " interval:5 , interval:5"})
    void shouldParseWhenTheTextIsAMode(final String text, final String expected)
    {
        assertThat(FsyncMode.parse(text)).hasToString(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"always", "interval:", "interval:0", "interval:-3", "interval:x"})
    void shouldRefuseWithTheAcceptedFormsWhenTheTextIsNotAMode(final String text)
    {
        assertThatThrownBy(() -> FsyncMode.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interval");
    }
}
