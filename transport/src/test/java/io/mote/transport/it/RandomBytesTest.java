package io.mote.transport.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.mote.engine.topic.Dialect;
import io.mote.transport.codec.ConnectPacket;
import io.mote.transport.codec.DecodeFailure;
import io.mote.transport.codec.MqttDecoder;
import io.mote.transport.codec.PublishPacket;
import io.mote.transport.server.BrokerFixture;
import io.mote.transport.server.TransportConfig;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Random bytes on real sockets: 10 000 sequences of 1..512 bytes, half of them after a valid
 * CONNECT in either dialect, 200 sockets at a time. Whatever arrives, the broker must not crash,
 * leak connections, log an error, disturb another client or change the retained tree.
 *
 * <p>Half the sequences are plain noise; the other half are shaped like client packets (see
 * {@link #noise}) so that they get past the fixed header more often.
 *
 * <p>Which sockets must be closed is decided by an oracle: the server's own decoder run offline on
 * the same bytes. Where it reports a decode failure, the broker must close the socket; where the
 * bytes are valid packets (possibly with an incomplete tail), the socket may stay open or be closed
 * for what the packets mean, and the test closes it. A sequence that decodes to a retained
 * PUBLISH or to a CONNECT with a retained will is drawn again, because it may rightly change the
 * retained tree. The seed is printed; set {@code -Dmote.random.seed=N} to replay a run.
 */
class RandomBytesTest
{
    private static final int SEQUENCES = 10_000;
    private static final int SOCKETS_PER_ROUND = 200;
    private static final int MAX_LENGTH = 512;

    private BrokerFixture broker;
    private WarningsAppender warnings;

    @BeforeEach
    void start() throws Exception
    {
        warnings = new WarningsAppender();
        warnings.start();
        root().addAppender(warnings);
        broker = BrokerFixture.start();
    }

    @AfterEach
    void stop()
    {
        broker.close();
        root().detachAppender(warnings);
    }

    @Test
    void shouldSurviveRandomBytesWithoutHarmToOtherClientsOrTheRetainedTree() throws Exception
    {
        final long seed = Long.getLong("mote.random.seed", System.nanoTime());
        System.out.println("RandomBytesTest seed: " + seed + " (replay with -Dmote.random.seed=" + seed + ")");
        final Random random = new Random(seed);

        try (RawMqttClient seeder = RawMqttClient.connected(broker.port(), Dialect.MOTE, "seeder"))
        {
            seeder.publish("home/", "{\"kitchen\": {\"light\": \"on\"}, \"hall\": {\"/\": \"x\", \"door\": \"shut\"}}", 1, true);
            seeder.disconnect();
        }
        final Map<String, String> retainedBefore = Snapshots.retainedRows(broker);
        final RawMqttClient sentinel = RawMqttClient.connected(broker.port(), Dialect.MQTT, "sentinel");
        final RawMqttClient heart = RawMqttClient.connected(broker.port(), Dialect.MOTE, "heart");
        assertThat(sentinel.subscribe(1, "heartbeat")).containsExactly(1);
        final int baseline = broker.server().connectionCount();

        int mustClose = 0;
        for (int round = 0; round * SOCKETS_PER_ROUND < SEQUENCES; round++)
        {
            final List<RawMqttClient> sockets = new ArrayList<>();
            final List<Boolean> malformed = new ArrayList<>();
            for (int i = 0; i < SOCKETS_PER_ROUND; i++)
            {
                final Sample sample = sample(random, round * SOCKETS_PER_ROUND + i);
                final RawMqttClient socket = RawMqttClient.tcp(broker.port(), sample.dialect());
                socket.sendRaw(sample.bytes());
                sockets.add(socket);
                malformed.add(sample.malformed());
            }
            heart.publish("heartbeat", "round " + round, 1, false);
            final RawMqttClient.Received beat = sentinel.take();
            assertThat(beat.payloadText()).as("heartbeat during round %d", round).isEqualTo("round " + round);
            for (int i = 0; i < sockets.size(); i++)
            {
                final RawMqttClient socket = sockets.get(i);
                if (malformed.get(i))
                {
                    mustClose++;
                    assertThat(socket.awaitClosed(RawMqttClient.TIMEOUT))
                        .as("round %d socket %d sent malformed bytes and must be closed (seed %d)", round, i, seed).isTrue();
                }
                socket.close();
                assertThat(socket.protocolErrors()).as("what the broker sent to socket %d of round %d", i, round).isEmpty();
            }
        }
        System.out.println("RandomBytesTest: " + mustClose + " of " + SEQUENCES + " sequences were malformed");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(broker.server().connectionCount()).as("connections left").isEqualTo(baseline));
        heart.publish("heartbeat", "end", 1, false);
        assertThat(sentinel.take().payloadText()).isEqualTo("end");
        assertThat(Snapshots.retainedRows(broker)).isEqualTo(retainedBefore);
        assertThat(warnings.events()).as("WARN/ERROR log lines (with exceptions)").isEmpty();
        sentinel.close();
        heart.close();
    }

    /** One random input, in the dialect of its CONNECT prefix, with the oracle's verdict. */
    private record Sample(Dialect dialect, byte[] bytes, boolean malformed)
    {
    }

    private Sample sample(final Random random, final int index)
    {
        while (true)
        {
            final Dialect dialect = random.nextBoolean() ? Dialect.MOTE : Dialect.MQTT;
            final byte[] noise = noise(random);
            final byte[] bytes = random.nextBoolean()
                ? RawMqttClient.concat(Packets.connect(dialect, "random-" + index, null), noise)
                : noise;
            final Verdict verdict = decodeOffline(bytes);
            if (!verdict.mayChangeRetained())
            {
                return new Sample(dialect, bytes, verdict.malformed());
            }
        }
    }

    /**
     * Half plain noise; a quarter noise behind a client packet's first byte and a correct remaining
     * length; a quarter valid-looking PUBLISH/SUBSCRIBE/UNSUBSCRIBE packets (topics from a small
     * alphabet with wildcards and slashes, JSON-ish payloads) with a few bytes flipped, or not. The
     * shaped ones reach past the fixed header into topic rules, tree parsing and the engine.
     */
    private static byte[] noise(final Random random)
    {
        final int kind = random.nextInt(4);
        if (kind < 2)
        {
            final byte[] noise = new byte[1 + random.nextInt(MAX_LENGTH)];
            random.nextBytes(noise);
            return noise;
        }
        if (kind == 2)
        {
            final byte[] body = new byte[random.nextInt(MAX_LENGTH - 4)];
            random.nextBytes(body);
            return Packets.packet(CLIENT_HEADERS[random.nextInt(CLIENT_HEADERS.length)], body);
        }
        final byte[] packet = switch (random.nextInt(3))
        {
            case 0 -> Packets.packet(0x30 | random.nextInt(3) << 1 | (random.nextInt(8) == 0 ? 0x08 : 0),
                Packets.str(topic(random)), random.nextBoolean() ? Packets.u16(1 + random.nextInt(3)) : new byte[0], Packets.utf8(jsonish(random)));
            case 1 -> Packets.packet(random.nextBoolean() ? 0x82 : 0x80, Packets.u16(1 + random.nextInt(3)),
                Packets.str(topic(random)), Packets.bytes(random.nextInt(8)));
            default -> Packets.packet(random.nextBoolean() ? 0xA2 : 0xA0, Packets.u16(1 + random.nextInt(3)), Packets.str(topic(random)));
        };
        for (int flips = random.nextInt(3); flips > 0; flips--)
        {
            packet[random.nextInt(packet.length)] ^= (byte)(1 << random.nextInt(8));
        }
        return packet.length > MAX_LENGTH ? Arrays.copyOf(packet, MAX_LENGTH) : packet;
    }

    /** First bytes of every packet a client may send, with the mote tolerances, at non-retained QoS 0..2. */
    private static final int[] CLIENT_HEADERS = {0x10, 0x30, 0x32, 0x34, 0x3A, 0x40, 0x50, 0x60, 0x62, 0x70, 0x80, 0x82, 0xA0, 0xA2, 0xC0, 0xE0};

    private static String topic(final Random random)
    {
        final String[] levels = {"a", "b", "+", "#", "", "$sys", "home", "light", "\u00e9"};
        final StringBuilder topic = new StringBuilder();
        for (int i = random.nextInt(5); i >= 0; i--)
        {
            topic.append(levels[random.nextInt(levels.length)]);
            if (i > 0 || random.nextInt(3) == 0)
            {
                topic.append('/');
            }
        }
        return topic.toString();
    }

    private static String jsonish(final Random random)
    {
        final String[] tokens = {"{", "}", "{", "}", "\"a\"", "\"b\"", ":", ",", ":", "\"/\"", "\"+\"", "1.50", "null", "[", "]", "true", "\"x\"", "\"\""};
        final StringBuilder json = new StringBuilder();
        for (int i = random.nextInt(30); i >= 0; i--)
        {
            json.append(tokens[random.nextInt(tokens.length)]);
        }
        return json.toString();
    }

    private record Verdict(boolean malformed, boolean mayChangeRetained)
    {
    }

    /** The server's decoder, run on the same bytes without a broker. */
    private Verdict decodeOffline(final byte[] bytes)
    {
        final EmbeddedChannel channel = new EmbeddedChannel(MqttDecoder.forServer(maxPacketSize(), false));
        try
        {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes));
            boolean malformed = false;
            boolean retains = false;
            for (Object packet; (packet = channel.readInbound()) != null; )
            {
                malformed |= packet instanceof DecodeFailure;
                retains |= packet instanceof PublishPacket publish && publish.retainFlag();
                retains |= packet instanceof ConnectPacket connect && connect.will() != null && connect.will().retain();
                ReferenceCountUtil.release(packet);
            }
            return new Verdict(malformed, retains);
        }
        finally
        {
            channel.finishAndReleaseAll();
        }
    }

    private static int maxPacketSize()
    {
        return TransportConfig.defaults().maxPacketSize();
    }

    private static Logger root()
    {
        return (Logger)LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /** Keeps ERROR events, and WARN events that carry an exception (something escaped a handler). */
    private static final class WarningsAppender extends AppenderBase<ILoggingEvent>
    {
        private final List<String> events = new ArrayList<>();

        @Override
        protected void append(final ILoggingEvent event)
        {
            if (event.getLevel().isGreaterOrEqual(Level.ERROR)
                || event.getLevel().isGreaterOrEqual(Level.WARN) && event.getThrowableProxy() != null)
            {
                events.add(event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage()
                    + (event.getThrowableProxy() != null ? " " + event.getThrowableProxy().getClassName() + ": " + event.getThrowableProxy().getMessage() : ""));
            }
        }

        synchronized List<String> events()
        {
            return List.copyOf(events);
        }
    }
}
