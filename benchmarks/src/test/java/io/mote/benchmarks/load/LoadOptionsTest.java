package io.mote.benchmarks.load;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LoadOptionsTest
{
    @Test
    void shouldPublishRetainedQos1WithoutSubscriberWhenPresetIsRetainedQos1()
    {
        final LoadOptions options = LoadOptions.parse(new String[] {"--preset", "retained-qos1"});

        assertThat(options.qos()).isEqualTo(1);
        assertThat(options.retain()).isTrue();
        assertThat(options.subscribers()).isZero();
        assertThat(options.window()).isEqualTo(100);
    }

    @Test
    void shouldOverridePresetWindowWhenWindowIsGiven()
    {
        final LoadOptions options = LoadOptions.parse(new String[] {"--window", "1000", "--preset", "retained-qos1"});

        assertThat(options.window()).isEqualTo(1000);
    }

    @Test
    void shouldKeepOneSubscriberAndNoRetainWhenNothingIsAsked()
    {
        final LoadOptions options = LoadOptions.parse(new String[] {"--qos", "1", "--retain"});

        assertThat(options.subscribers()).isEqualTo(1);
        assertThat(options.retain()).isTrue();
        assertThat(options.window()).isEqualTo(Publisher.DEFAULT_WINDOW);
    }
}
