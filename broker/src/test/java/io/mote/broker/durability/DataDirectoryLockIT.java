package io.mote.broker.durability;

import io.mote.broker.MoteBroker;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Only one broker may use a data directory: a second one refuses to start and leaves the first alone. */
class DataDirectoryLockIT
{
    @TempDir
    Path workDir;

    @Test
    void shouldRefuseToStartAndNameTheDirectoryWhenAnotherBrokerHoldsTheDataDirectory() throws Exception
    {
        try (BrokerProcess first = BrokerProcess.start(workDir, "data"))
        {
            write(first.uri(), "durability/lock/before", "kept");

            final BrokerProcess.Exited second = BrokerProcess.runToExit(workDir, "data");

            assertThat(second.exitCode()).as("exit status of the second broker; output:%n%s", second.text())
                .isEqualTo(MoteBroker.EXIT_START_FAILED);
            // The broker resolves --data-dir against its working directory as the OS reports it.
            final Path dataDir = workDir.toRealPath().resolve("data");
            assertThat(second.text()).contains(dataDir.toString()).contains("in use");
            assertThat(second.text()).as("the second broker never listened").doesNotContain("listening on");

            assertThat(first.isAlive()).as("the first broker still runs").isTrue();
            write(first.uri(), "durability/lock/after", "served");
            assertThat(Retained.readAll(first.uri()))
                .isEqualTo(Map.of("durability/lock/before", "kept", "durability/lock/after", "served"));
            first.terminate();
        }
    }

    private static void write(final String uri, final String topic, final String value) throws Exception
    {
        final MqttClient client = Retained.connect(uri, "lock-writer");
        try
        {
            Retained.put(client, topic, value);
        }
        finally
        {
            Retained.closeQuietly(client);
        }
    }
}
