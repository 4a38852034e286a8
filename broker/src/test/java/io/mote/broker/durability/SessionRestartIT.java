package io.mote.broker.durability;

import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An orderly restart (SIGTERM, exit 0, start again on the same {@code --data-dir}) of the real broker
 * process keeps a persistent QoS 1 session: a reconnect gets session present, and every message
 * PUBACKed to a publisher while the subscriber was offline is delivered, in order, once. The
 * session log is compacted while running (1 MiB threshold, more than that published), so what the
 * restart reads is a compacted generation and the segments after it, not one uncompacted log.
 */
class SessionRestartIT
{
    private static final String CLIENT_ID = "restart-session-subscriber";
    private static final int MESSAGES = 3_000;
    /** 1 KiB payloads: ~3 MiB of session records, three times the compaction threshold. */
    private static final String PADDING = "x".repeat(1_000);

    @TempDir
    Path workDir;

    @Test
    void shouldReportTheSessionPresentAndDeliverEveryQueuedMessageWhenReconnectingAfterSigterm() throws Exception
    {
        final String[] options = {"--max-pending", "100000", "--session-log-compact-mb", "1"};
        final List<String> published = new ArrayList<>();
        try (BrokerProcess broker = BrokerProcess.start(workDir, "data", options))
        {
            final MqttClient subscriber = PersistentSubscriber.client(broker.uri(), CLIENT_ID);
            subscriber.connect(PersistentSubscriber.options());
            subscriber.subscribe("durability/session/#", 1);
            subscriber.disconnect();
            subscriber.close();

            final MqttClient publisher = Retained.connect(broker.uri(), "restart-session-publisher");
            try
            {
                for (int i = 0; i < MESSAGES; i++)
                {
                    final String value = i + ":" + PADDING;
                    // Not retained: after the restart these can only come from the session's queue.
                    publisher.publish("durability/session/" + (i % 7), value.getBytes(StandardCharsets.UTF_8), 1, false);
                    published.add(value);
                }
            }
            finally
            {
                Retained.closeQuietly(publisher);
            }
            await("a background compaction of the session log").atMost(Duration.ofMinutes(2))
                .until(() -> broker.output().contains("session log compacted"));
            broker.terminate();
        }

        try (BrokerProcess restarted = BrokerProcess.start(workDir, "data", options))
        {
            assertThat(restarted.output()).contains("recovered 1 persistent sessions with " + MESSAGES + " queued messages");
            final List<String> received = Collections.synchronizedList(new ArrayList<>());
            final MqttClient subscriber = PersistentSubscriber.client(restarted.uri(), CLIENT_ID);
            subscriber.setCallback(new PersistentSubscriber.Collecting(received));
            final IMqttToken connected = subscriber.connectWithResult(PersistentSubscriber.options());
            assertThat(connected.getSessionPresent()).as("session present after SIGTERM; broker output:%n%s", restarted.output()).isTrue();
            await("every queued message").atMost(Duration.ofMinutes(2)).until(() -> received.size() >= MESSAGES);
            // Nothing more is owed: a second round trip through the broker brings no extra copy.
            final MqttClient probe = Retained.connect(restarted.uri(), "restart-session-probe");
            probe.publish("durability/session/end", "end".getBytes(StandardCharsets.UTF_8), 1, false);
            Retained.closeQuietly(probe);
            await("the probe").atMost(Duration.ofMinutes(1)).until(() -> received.contains("end"));
            final List<String> expected = new ArrayList<>(published);
            expected.add("end");
            synchronized (received)
            {
                assertThat(received).as("delivered in order, each once").isEqualTo(expected);
            }
            subscriber.disconnect();
            subscriber.close();
            restarted.terminate();
        }
    }
}
