package io.mote.broker.durability;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An orderly restart (SIGTERM, exit 0, start again on the same {@code --data-dir}) keeps exactly the
 * retained rows a subscriber saw before it: the last acknowledged value of every live row, none of
 * the deleted ones.
 */
class RestartIT
{
    private static final int ROWS = 600;

    @TempDir
    Path workDir;

    @Test
    void shouldRestoreTheLastAcknowledgedValueOfEveryLiveRowWhenRestartedAfterSigterm() throws Exception
    {
        final Map<String, String> expected = new TreeMap<>();
        try (BrokerProcess first = BrokerProcess.start(workDir, "data"))
        {
            final MqttClient client = Retained.connect(first.uri(), "restart-writer");
            try
            {
                for (int i = 0; i < ROWS; i++)
                {
                    put(client, expected, topic(i), "first-" + i);
                }
                // Overwritten rows: the second value must win.
                for (int i = 0; i < ROWS; i += 3)
                {
                    put(client, expected, topic(i), "second-" + i);
                }
                // Deleted rows (empty payload), some of them written before as overwritten ones.
                for (int i = 0; i < ROWS; i += 5)
                {
                    put(client, expected, topic(i), "");
                }
                // Deleted, then written again: alive with the newest value.
                for (int i = 0; i < ROWS; i += 35)
                {
                    put(client, expected, topic(i), "reborn-" + i);
                }
                // A row deleted that never existed must not appear either.
                put(client, expected, "durability/restart/never-written", "");
            }
            finally
            {
                Retained.closeQuietly(client);
            }
            assertThat(Retained.readAll(first.uri())).as("rows before the restart").isEqualTo(expected);
            first.terminate();
        }

        try (BrokerProcess second = BrokerProcess.start(workDir, "data"))
        {
            assertThat(Retained.readAll(second.uri())).as("rows after the restart; broker output:%n%s", second.output()).isEqualTo(expected);
            assertThat(second.recoveredRows().rows()).isEqualTo(expected.size());
            second.terminate();
        }
    }

    private static void put(final MqttClient client, final Map<String, String> expected, final String topic, final String value) throws Exception
    {
        Retained.put(client, topic, value);
        // Recorded only after PUBACK: the broker has promised this value.
        if (value.isEmpty())
        {
            expected.remove(topic);
        }
        else
        {
            expected.put(topic, value);
        }
    }

    private static String topic(final int i)
    {
        return "durability/restart/row/" + i;
    }
}
