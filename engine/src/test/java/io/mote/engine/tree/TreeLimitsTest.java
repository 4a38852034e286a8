package io.mote.engine.tree;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TreeLimitsTest {
    @Test
    void shouldUseProtocolDefaultsWhenDefaultIsTaken() {
        assertThat(TreeLimits.DEFAULT).isEqualTo(new TreeLimits(32, 100_000, 16 * 1024 * 1024));
    }

    @ParameterizedTest
    @CsvSource({"0, 1, 1", "1025, 1, 1", "-1, 1, 1", "1, 0, 1", "1, 1, 0", "1, -5, 1", "1, 1, -5"})
    void shouldRefuseLimitWhenOutOfRange(int maxDepth, int maxRows, int maxPayloadBytes) {
        assertThatThrownBy(() -> new TreeLimits(maxDepth, maxRows, maxPayloadBytes))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"1, 1, 1", "1024, 2147483647, 2147483647"})
    void shouldAcceptLimitWhenAtEdgeOfRange(int maxDepth, int maxRows, int maxPayloadBytes) {
        assertThat(new TreeLimits(maxDepth, maxRows, maxPayloadBytes).maxDepth()).isEqualTo(maxDepth);
    }
}
