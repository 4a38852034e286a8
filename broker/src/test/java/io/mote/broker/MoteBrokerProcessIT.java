package io.mote.broker;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the real launcher as a user would, against the packaged jar (hence an integration test, after
 * {@code package}), from another working directory, and stops it the way a service manager does.
 */
class MoteBrokerProcessIT
{
    private static final Pattern LISTENING = Pattern.compile("listening on mqtt://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path workDir;

    private final List<String> output = new CopyOnWriteArrayList<>();
    private Process broker;

    @AfterEach
    void killLeftovers()
    {
        if (broker != null && broker.isAlive())
        {
            broker.destroyForcibly();
        }
    }

    @Test
    void shouldServeARetainedMessageAndExitZeroWhenTerminated() throws Exception
    {
        broker = new ProcessBuilder(RepositoryRoot.path().resolve("mote-broker").toString(), "--port", "0", "--ws-port", "-1", "--data-dir", "data")
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .start();
        collectOutput(broker);

        final String listening = await("the listening line").atMost(Duration.ofSeconds(90))
            .until(() -> output.stream().filter(line -> LISTENING.matcher(line).find()).findFirst().orElse(null), line -> line != null);
        final Matcher port = LISTENING.matcher(listening);
        assertThat(port.find()).isTrue();
        final String uri = "tcp://127.0.0.1:" + port.group(1);
        assertThat(workDir.resolve("data")).as("--data-dir is relative to the caller's directory").isDirectory();

        publishRetained(uri, "mote/it/greeting", "hello");
        assertThat(receiveRetained(uri, "mote/it/#")).isEqualTo("hello");

        // SIGTERM, as a service manager sends it; through the handle because Process.destroy() also closes
        // our end of the output pipe, losing the lines the broker writes while it stops.
        assertThat(broker.toHandle().destroy()).isTrue();
        assertThat(broker.waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute").isTrue();
        assertThat(broker.exitValue()).as("exit status after SIGTERM; output:%n%s", String.join("\n", output)).isZero();
        await("the stopped line").atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output).anyMatch(line -> line.contains("mote broker stopped")));
    }

    private void collectOutput(final Process process)
    {
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                for (String line = in.readLine(); line != null; line = in.readLine())
                {
                    output.add(line);
                }
            }
            catch (final IOException ex)
            {
                output.add("(output reader failed: " + ex + ")");
            }
        }, "broker-output");
        reader.setDaemon(true);
        reader.start();
    }

    private static void publishRetained(final String uri, final String topic, final String payload) throws Exception
    {
        final MqttClient client = new MqttClient(uri, "it-publisher", new MemoryPersistence());
        try
        {
            client.connect(options());
            client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, true);
            client.disconnect();
        }
        finally
        {
            client.close();
        }
    }

    private static String receiveRetained(final String uri, final String filter) throws Exception
    {
        final CompletableFuture<String> received = new CompletableFuture<>();
        final MqttClient client = new MqttClient(uri, "it-subscriber", new MemoryPersistence());
        try
        {
            client.connect(options());
            client.subscribe(filter, 1, (topic, message) -> complete(received, message));
            return received.get(30, TimeUnit.SECONDS);
        }
        finally
        {
            client.disconnect();
            client.close();
        }
    }

    private static void complete(final CompletableFuture<String> received, final MqttMessage message)
    {
        if (message.isRetained())
        {
            received.complete(new String(message.getPayload(), StandardCharsets.UTF_8));
        }
        else
        {
            received.completeExceptionally(new AssertionError("expected the retained message, got a live one"));
        }
    }

    private static MqttConnectOptions options()
    {
        final MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setConnectionTimeout(10);
        return options;
    }
}
