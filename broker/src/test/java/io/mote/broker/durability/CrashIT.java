package io.mote.broker.durability;

import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A broker killed with SIGKILL while clients publish as fast as they can loses nothing it
 * acknowledged: after a restart on the same data directory every PUBACKed row holds its last
 * acknowledged value. In every {@code --fsync} mode a process crash leaves the page cache intact,
 * so this holds for the default {@code never} as much as for {@code batch}. The same holds for the
 * messages queued for an offline persistent session.
 */
class CrashIT
{
    private static final int PUBLISHERS = 4;
    private static final int TOPICS_PER_PUBLISHER = 50;
    /** Acknowledgements to wait for before the kill: enough that the journal is well past its start. */
    private static final long ACKS_BEFORE_KILL = 4_000;

    @TempDir
    Path workDir;

    static Stream<Arguments> fsyncModes()
    {
        return Stream.of(
            Arguments.of("default (never)", new String[0]),
            Arguments.of("batch", new String[] {"--fsync", "batch"}));
    }

    @ParameterizedTest(name = "fsync {0}")
    @MethodSource("fsyncModes")
    void shouldKeepEveryAcknowledgedRowWhenKilledWhilePublishing(final String mode, final String[] options) throws Exception
    {
        final List<Publisher> publishers = new ArrayList<>();
        try (BrokerProcess broker = BrokerProcess.start(workDir, "data", options))
        {
            final AtomicLong acks = new AtomicLong();
            for (int p = 0; p < PUBLISHERS; p++)
            {
                publishers.add(new Publisher(broker.uri(), p, acks));
            }
            publishers.forEach(Publisher::start);
            await("acknowledged publishes before the kill").atMost(Duration.ofMinutes(3))
                .untilAsserted(() ->
                {
                    publishers.forEach(Publisher::assertNoUnexpectedFailure);
                    assertThat(acks.get()).isGreaterThanOrEqualTo(ACKS_BEFORE_KILL);
                });
            // The publishers are still going: the kill lands in the middle of a stream of publishes.
            broker.kill();
            for (final Publisher publisher : publishers)
            {
                publisher.join(Duration.ofMinutes(2));
            }
        }

        try (BrokerProcess restarted = BrokerProcess.start(workDir, "data", options))
        {
            final Map<String, String> recovered = Retained.readAll(restarted.uri());
            final Set<String> topics = new TreeSet<>(recovered.keySet());
            publishers.forEach(publisher -> topics.addAll(publisher.topics()));
            final List<String> wrong = new ArrayList<>();
            for (final String topic : topics)
            {
                final Publisher owner = publishers.stream().filter(p -> p.owns(topic)).findFirst().orElse(null);
                final String actual = recovered.getOrDefault(topic, "");
                final Set<String> allowed = owner == null ? Set.of("") : owner.allowedAfterCrash(topic);
                if (!allowed.contains(actual))
                {
                    wrong.add(topic + ": recovered '" + actual + "', acknowledged/in flight " + allowed);
                }
            }
            assertThat(wrong)
                .as("rows that lost an acknowledged value (fsync %s, %d rows recovered); broker output:%n%s", mode, recovered.size(), restarted.output())
                .isEmpty();
            assertThat(recovered).as("live rows after the restart").isNotEmpty();
            restarted.terminate();
        }
    }

    @ParameterizedTest(name = "fsync {0}")
    @MethodSource("fsyncModes")
    void shouldDeliverEveryAcknowledgedMessageToAnOfflinePersistentSessionWhenKilledWhilePublishing(final String mode, final String[] options)
        throws Exception
    {
        // Room for everything published before the kill: beyond --max-pending an offline session drops messages.
        final String[] withRoom = Stream.concat(Stream.of(options), Stream.of("--max-pending", "1000000")).toArray(String[]::new);
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final AtomicReference<String> inFlight = new AtomicReference<>();
        final Thread publisher;
        try (BrokerProcess broker = BrokerProcess.start(workDir, "data", withRoom))
        {
            final MqttClient subscriber = PersistentSubscriber.client(broker.uri(), "crash-session-subscriber");
            subscriber.connect(PersistentSubscriber.options());
            subscriber.subscribe("durability/crash-session/#", 1);
            subscriber.disconnect();
            subscriber.close();

            final AtomicLong acks = new AtomicLong();
            publisher = new Thread(() ->
            {
                try
                {
                    final MqttClient client = Retained.connect(broker.uri(), "crash-session-publisher");
                    for (long n = 0; ; n++)
                    {
                        final String value = "m" + n;
                        inFlight.set(value);
                        // Retained rows, as fast as one synchronous client goes: a return is a PUBACK.
                        client.publish("durability/crash-session/" + (n % 20), value.getBytes(StandardCharsets.UTF_8), 1, true);
                        acknowledged.add(value);
                        acks.incrementAndGet();
                    }
                }
                catch (final Exception expected)
                {
                    // The broker was killed mid-publish.
                }
            }, "crash-session-publisher");
            publisher.setDaemon(true);
            publisher.start();
            await("acknowledged publishes before the kill").atMost(Duration.ofMinutes(3))
                .until(() -> acks.get() >= ACKS_BEFORE_KILL || !publisher.isAlive());
            assertThat(publisher.isAlive()).as("publisher still running at the kill").isTrue();
            broker.kill();
            publisher.join(Duration.ofMinutes(2).toMillis());
        }

        try (BrokerProcess restarted = BrokerProcess.start(workDir, "data", withRoom))
        {
            final Set<String> received = ConcurrentHashMap.newKeySet();
            final MqttClient subscriber = PersistentSubscriber.client(restarted.uri(), "crash-session-subscriber");
            subscriber.setCallback(new PersistentSubscriber.Collecting(received));
            final IMqttToken connected = subscriber.connectWithResult(PersistentSubscriber.options());
            assertThat(connected.getSessionPresent()).as("session present after the crash; broker output:%n%s", restarted.output()).isTrue();
            await("every acknowledged message").atMost(Duration.ofMinutes(2))
                .untilAsserted(() -> assertThat(received).as("fsync %s", mode).containsAll(acknowledged));
            final Set<String> unexpected = new HashSet<>(received);
            unexpected.removeAll(acknowledged);
            unexpected.remove(inFlight.get());
            assertThat(unexpected).as("messages never published").isEmpty();
            subscriber.disconnect();
            subscriber.close();
            restarted.terminate();
        }
    }


    /**
     * One Paho client writing its own topics round-robin with synchronous QoS 1 publishes: a
     * return from {@code publish} is a PUBACK. Every tenth write deletes the row (empty payload).
     * At most one publish is unacknowledged at any time, the one recorded in {@link #inFlight}.
     */
    private static final class Publisher
    {
        private final String uri;
        private final int id;
        private final AtomicLong acks;
        private final String prefix;
        /** Last acknowledged value per topic; "" for a deleted row. */
        private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
        private final AtomicReference<String[]> inFlight = new AtomicReference<>();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread thread;
        private volatile boolean connected;

        Publisher(final String uri, final int id, final AtomicLong acks)
        {
            this.uri = uri;
            this.id = id;
            this.acks = acks;
            this.prefix = "durability/crash/p" + id + "/";
            this.thread = new Thread(this::run, "crash-publisher-" + id);
            this.thread.setDaemon(true);
        }

        void start()
        {
            thread.start();
        }

        private void run()
        {
            MqttClient client = null;
            try
            {
                client = Retained.connect(uri, "crash-publisher-" + id);
                connected = true;
                for (long n = 0; ; n++)
                {
                    final String topic = prefix + (n % TOPICS_PER_PUBLISHER);
                    final String value = n % 10 == 9 ? "" : "p" + id + "-" + n;
                    inFlight.set(new String[] {topic, value});
                    Retained.put(client, topic, value);
                    acknowledged.put(topic, value);
                    inFlight.set(null);
                    acks.incrementAndGet();
                }
            }
            catch (final Throwable ex)
            {
                // Expected once the broker is killed: the connection is lost mid-publish.
                failure.set(ex);
            }
            finally
            {
                if (client != null)
                {
                    try
                    {
                        client.close(true);
                    }
                    catch (final Exception ignored)
                    {
                        // The broker is gone; nothing to release on its side.
                    }
                }
            }
        }

        /** Before the kill, nothing may have stopped a publisher: fails the wait at once, not at its timeout. */
        void assertNoUnexpectedFailure()
        {
            final Throwable failed = failure.get();
            if (failed != null)
            {
                throw new IllegalStateException("publisher " + id + " failed before the kill", failed);
            }
        }

        void join(final Duration timeout) throws InterruptedException
        {
            thread.join(timeout.toMillis());
            assertThat(thread.isAlive()).as("publisher %d stopped after the kill", id).isFalse();
            assertThat(connected).as("publisher %d had connected", id).isTrue();
        }

        boolean owns(final String topic)
        {
            return topic.startsWith(prefix);
        }

        Set<String> topics()
        {
            final Set<String> topics = new HashSet<>();
            for (int i = 0; i < TOPICS_PER_PUBLISHER; i++)
            {
                topics.add(prefix + i);
            }
            return topics;
        }

        /**
         * The values a topic may hold after the crash: its last acknowledged one ("" when deleted or
         * never acknowledged), and the one whose PUBACK never came if this topic was in flight.
         */
        Set<String> allowedAfterCrash(final String topic)
        {
            final Set<String> allowed = new HashSet<>();
            allowed.add(acknowledged.getOrDefault(topic, ""));
            final String[] pending = inFlight.get();
            if (pending != null && pending[0].equals(topic))
            {
                allowed.add(pending[1]);
            }
            return allowed;
        }
    }
}
