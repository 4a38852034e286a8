package io.mote.broker.durability;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Snapshots are written under {@code <data-dir>/snapshots} when their trigger fires, and a restart
 * from a snapshot plus the journal after it restores every row, whichever way the broker stopped.
 */
class SnapshotIT
{
    private static final int ROWS = 300;

    @TempDir
    Path workDir;

    @Test
    void shouldWriteASnapshotAndRestoreEverythingFromItWhenSnapshottingEverySecond() throws Exception
    {
        final Map<String, String> expected = new TreeMap<>();
        try (BrokerProcess first = BrokerProcess.start(workDir, "data", "--snapshot-every-seconds", "1"))
        {
            final MqttClient client = Retained.connect(first.uri(), "snapshot-writer");
            try
            {
                writeRound(client, expected, "a", 0);
                await("a snapshot file").atMost(Duration.ofMinutes(2)).until(() -> !snapshots().isEmpty());
                // Changes after the snapshot live only in the journal's tail.
                writeRound(client, expected, "b", 1);
            }
            finally
            {
                Retained.closeQuietly(client);
            }
            first.terminate();
        }

        try (BrokerProcess second = BrokerProcess.start(workDir, "data", "--snapshot-every-seconds", "1"))
        {
            assertThat(Retained.readAll(second.uri())).as("rows after the restart; broker output:%n%s", second.output()).isEqualTo(expected);
            final BrokerProcess.Recovered recovered = second.recoveredRows();
            assertThat(recovered.rows()).isEqualTo(expected.size());
            assertThat(recovered.fromSnapshot()).as("rows loaded from a snapshot rather than replayed").isPositive();
            second.terminate();
        }
    }

    @Test
    void shouldWriteASnapshotAndRestoreEverythingAfterAKillWhenSnapshottingByJournalSize() throws Exception
    {
        final Map<String, String> expected = new TreeMap<>();
        final String padding = "x".repeat(1024);
        try (BrokerProcess first = BrokerProcess.start(workDir, "data", "--snapshot-every-mb", "1"))
        {
            final MqttClient client = Retained.connect(first.uri(), "snapshot-writer");
            try
            {
                // Six rounds of 300 rows of ~1 KiB: well past the 1 MiB trigger.
                for (int round = 0; round < 6; round++)
                {
                    writeRound(client, expected, "r" + round + "-" + padding, round);
                }
                await("a snapshot file").atMost(Duration.ofMinutes(2)).until(() -> !snapshots().isEmpty());
                writeRound(client, expected, "tail", 7);
            }
            finally
            {
                Retained.closeQuietly(client);
            }
            first.kill();
        }

        try (BrokerProcess second = BrokerProcess.start(workDir, "data", "--snapshot-every-mb", "1"))
        {
            assertThat(Retained.readAll(second.uri())).as("rows after the restart; broker output:%n%s", second.output()).isEqualTo(expected);
            final BrokerProcess.Recovered recovered = second.recoveredRows();
            assertThat(recovered.rows()).isEqualTo(expected.size());
            assertThat(recovered.fromSnapshot()).as("rows loaded from a snapshot rather than replayed").isPositive();
            second.terminate();
        }
    }

    /** Writes every row once, deleting a different fifth of them each round (empty payload). */
    private static void writeRound(final MqttClient client, final Map<String, String> expected, final String value, final int round) throws Exception
    {
        for (int i = 0; i < ROWS; i++)
        {
            final String topic = "durability/snapshot/row/" + i;
            if ((i + round) % 5 == 0)
            {
                Retained.put(client, topic, "");
                expected.remove(topic);
            }
            else
            {
                final String payload = value + "-" + i;
                Retained.put(client, topic, payload);
                expected.put(topic, payload);
            }
        }
    }

    private List<Path> snapshots() throws IOException
    {
        final Path dir = workDir.resolve("data").resolve("snapshots");
        if (!Files.isDirectory(dir))
        {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir))
        {
            return files.filter(f -> f.getFileName().toString().matches("snapshot-[0-9a-f]{16}\\.snap")).toList();
        }
    }
}
