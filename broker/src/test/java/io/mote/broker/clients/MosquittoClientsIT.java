package io.mote.broker.clients;

import io.mote.broker.clients.Mosquitto.Finished;
import io.mote.broker.clients.Mosquitto.Running;
import io.mote.broker.durability.BrokerProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real Debian clients, {@code mosquitto_pub} and {@code mosquitto_sub}, against the real
 * {@code ./mote-broker} launcher: a client nobody here wrote, speaking MQTT 3.1.1 as deployed devices
 * do. An integration test because the launcher runs the packaged jar.
 */
class MosquittoClientsIT
{
    /** What {@code mosquitto_sub -d} prints for each PUBLISH it receives. */
    private static final Pattern RECEIVED_PUBLISH = Pattern.compile("received PUBLISH \\(d(\\d), q(\\d), r(\\d), m\\d+, '([^']*)'");

    @TempDir
    static Path workDir;

    /** One standard-dialect broker for the class; each test uses its own topics. */
    private static BrokerProcess broker;

    @BeforeAll
    static void startBroker() throws Exception
    {
        Mosquitto.requireInstalled();
        broker = BrokerProcess.start(workDir, "data");
    }

    @AfterAll
    static void stopBroker() throws Exception
    {
        if (broker != null)
        {
            try
            {
                broker.terminate();
            }
            finally
            {
                broker.close();
            }
        }
    }

    @Test
    void shouldServeARetainedQos1PublishOfMosquittoPubToALaterMosquittoSub() throws Exception
    {
        Mosquitto.run("mosquitto_pub", args(broker.port(), "-t", "a/b", "-m", "hello", "-r", "-q", "1")).succeeded();

        final Finished sub = Mosquitto.run("mosquitto_sub", args(broker.port(), "-t", "a/#", "-C", "1", "-v", "-W", String.valueOf(Mosquitto.CLIENT_TIMEOUT_SECONDS)))
            .succeeded();

        assertThat(sub.lines()).as("mosquitto_sub output").containsExactly("a/b hello");
    }

    @Test
    void shouldDeliverLivePublishesAtQos012ToARunningMosquittoSubAtTheirOwnQos() throws Exception
    {
        try (Running sub = Mosquitto.start("mosquitto_sub",
            args(broker.port(), "-d", "-q", "2", "-C", "3", "-v", "-W", String.valueOf(Mosquitto.CLIENT_TIMEOUT_SECONDS), "-t", "live/#")))
        {
            // Live messages reach only subscriptions that exist when they are routed: wait for the SUBACK.
            sub.awaitLine("the SUBACK", line -> line.contains("received SUBACK"));
            for (int qos = 0; qos <= 2; qos++)
            {
                Mosquitto.run("mosquitto_pub", args(broker.port(), "-t", "live/q" + qos, "-m", "m" + qos, "-q", String.valueOf(qos))).succeeded();
            }

            final Finished done = sub.awaitExit().succeeded();

            assertThat(done.lines()).as("granted QoS; output:%n%s", done.text()).contains("Subscribed (mid: 1): 2");
            // Three publishers, three connections: the broker need not keep their order, so any order will do.
            assertThat(done.lines().stream().filter(line -> line.startsWith("live/")))
                .as("messages; output:%n%s", done.text())
                .containsExactlyInAnyOrder("live/q0 m0", "live/q1 m1", "live/q2 m2");
            // Delivered QoS is the lower of publish and granted QoS (2); a live message is not retained.
            assertThat(receivedPublishes(done))
                .as("PUBLISH packets received; output:%n%s", done.text())
                .containsExactlyInAnyOrder("live/q0 q0 r0 d0", "live/q1 q1 r0 d0", "live/q2 q2 r0 d0");
        }
    }

    /**
     * With {@code --mqtt-dialect mote} an MQTT client gets the mote dialect: a topic ending in {@code /}
     * is a tree publish, and a filter starting with {@code /} a sync subscription whose first message
     * is a JSON snapshot on the filter's own topic (docs/protocol.md §1, §2.3, §3.2).
     *
     * <p>The tree is published to {@code light/}, not {@code light/+/}: mosquitto_pub refuses a publish
     * topic with a wildcard ("Invalid publish topic 'light/+/', does it contain '+' or '#'?") before it
     * connects. Both patterns store the same rows for this payload.
     */
    @Test
    void shouldStoreATreeFromMosquittoPubAndSyncItToMosquittoSubWhenMqttSpeaksMote(@TempDir final Path moteWorkDir) throws Exception
    {
        try (BrokerProcess mote = BrokerProcess.start(moteWorkDir, "data", "--mqtt-dialect", "mote"))
        {
            Mosquitto.run("mosquitto_pub", args(mote.port(), "-t", "light/", "-m", "{\"k1\":{\"on\":\"1\"},\"k2\":{\"on\":\"0\"}}", "-r", "-q", "1"))
                .succeeded();

            final Finished sub = Mosquitto.run("mosquitto_sub",
                args(mote.port(), "-t", "/light/+/on", "-C", "1", "-v", "-W", String.valueOf(Mosquitto.CLIENT_TIMEOUT_SECONDS))).succeeded();

            assertThat(sub.lines()).as("mosquitto_sub output").hasSize(1);
            final String line = sub.lines().get(0);
            assertThat(line).as("the snapshot arrives on the filter without the sync marker").startsWith("light/+/on {");
            // A JSON object's members have no order; compare them as a set.
            final String json = line.substring("light/+/on ".length());
            assertThat(json).startsWith("{").endsWith("}");
            assertThat(Arrays.asList(json.substring(1, json.length() - 1).split(",")))
                .as("snapshot %s", json)
                .containsExactlyInAnyOrder("\"k1\":\"1\"", "\"k2\":\"0\"");

            mote.terminate();
        }
    }

    /** {@code topic qN rN dN} of every PUBLISH that {@code mosquitto_sub -d} reported. */
    private static List<String> receivedPublishes(final Finished finished)
    {
        final List<String> publishes = new ArrayList<>();
        for (final String line : finished.lines())
        {
            final Matcher m = RECEIVED_PUBLISH.matcher(line);
            if (m.find())
            {
                publishes.add(m.group(4) + " q" + m.group(2) + " r" + m.group(3) + " d" + m.group(1));
            }
        }
        return publishes;
    }

    static List<String> args(final int port, final String... rest)
    {
        final List<String> args = new ArrayList<>(Mosquitto.at(port));
        args.addAll(List.of(rest));
        return args;
    }
}
