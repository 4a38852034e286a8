package io.mote.broker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MoteBrokerTest
{
    @TempDir
    Path tmp;

    @Test
    void shouldCreateTheDataDirectoryAndReportTheBoundPortWhenStartedOnPortZero() throws Exception
    {
        final Path dataDir = tmp.resolve("a/b/data");

        try (MoteBroker broker = MoteBroker.start(config("--port", "0", "--ws-port", "-1", "--data-dir", dataDir.toString())))
        {
            assertThat(broker.port()).isPositive();
            assertThat(broker.wsPort()).isEqualTo(-1);
            assertThat(dataDir).isDirectory();
        }
    }

    @Test
    void shouldFailToStartAndLeaveTheFirstBrokerRunningWhenThePortIsTaken() throws Exception
    {
        try (MoteBroker first = MoteBroker.start(config("--port", "0", "--ws-port", "-1", "--data-dir", tmp.toString())))
        {
            // Its own data directory: the first broker holds the lock on the shared one.
            final BrokerConfig same = config("--port", String.valueOf(first.port()), "--ws-port", "-1", "--data-dir", tmp.resolve("second").toString());

            assertThatThrownBy(() -> MoteBroker.start(same)).hasMessageContaining(String.valueOf(first.port()));
            assertThat(first.port()).isPositive();
        }
    }

    @Test
    void shouldRefuseToStartOnADataDirectoryAnotherBrokerUses() throws Exception
    {
        try (MoteBroker first = MoteBroker.start(config("--port", "0", "--ws-port", "-1", "--data-dir", tmp.toString())))
        {
            final BrokerConfig second = config("--port", "0", "--ws-port", "-1", "--data-dir", tmp.toString());

            assertThatThrownBy(() -> MoteBroker.start(second)).hasMessageContaining(tmp.toString()).hasMessageContaining("in use");
            assertThat(first.port()).isPositive();
        }
    }

    @Test
    void shouldStopOnceWhenClosedTwice() throws Exception
    {
        final MoteBroker broker = MoteBroker.start(config("--port", "0", "--ws-port", "-1", "--data-dir", tmp.toString()));

        broker.close();
        broker.close();
        broker.awaitStopped();
    }

    private static BrokerConfig config(final String... args)
    {
        final BrokerConfig.Parsed parsed = BrokerConfig.parse(args);
        assertThat(parsed.message()).isEmpty();
        return parsed.config();
    }
}
