package io.mote.transport.it;

import io.mote.engine.topic.Dialect;
import io.mote.transport.codec.MqttPacket;
import io.mote.transport.codec.PubCompPacket;
import io.mote.transport.codec.SubAckPacket;
import io.mote.transport.codec.UnsubAckPacket;
import io.mote.transport.codec.Will;
import io.mote.transport.server.BrokerFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static io.mote.transport.it.Packets.bin;
import static io.mote.transport.it.Packets.bytes;
import static io.mote.transport.it.Packets.packet;
import static io.mote.transport.it.Packets.publish;
import static io.mote.transport.it.Packets.publishQos1;
import static io.mote.transport.it.Packets.str;
import static io.mote.transport.it.Packets.subscribe;
import static io.mote.transport.it.Packets.u16;
import static io.mote.transport.it.Packets.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PROTOCOL.md §6 over real sockets: one malformed input per rule, sent after a valid CONNECT where
 * the rule needs one. Each must close that connection and nothing else: other clients keep their
 * messages, the retained tree is as it was, and the offender's will is published.
 *
 * <p>The broker runs with a 1 KiB maximum packet size so the size rule can be hit cheaply.
 */
class MalformedInputTest
{
    private static final int MAX_PACKET_SIZE = 1024;
    private static final AtomicInteger IDS = new AtomicInteger();

    private static BrokerFixture broker;
    private static Map<String, String> retainedBefore;
    private static String lastOffenderId;

    private RawMqttClient bystander;
    private RawMqttClient probe;

    /** One corpus entry: the bytes, and whether a valid CONNECT (with a will) goes first. */
    record Input(Dialect dialect, boolean afterConnect, byte[] bytes)
    {
    }

    static Stream<Arguments> inputs()
    {
        final List<Arguments> all = new ArrayList<>();
        for (final Dialect d : Dialect.values())
        {
            final String in = " (" + d.name().toLowerCase() + ")";
            // Remaining length
            add(all, "remaining length longer than 4 bytes" + in, d, true, bytes(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01));
            add(all, "PINGREQ with a body" + in, d, true, bytes(0xC0, 0x01, 0x00));
            add(all, "PUBACK with 3 bytes of body" + in, d, true, bytes(0x40, 0x03, 0x00, 0x01, 0x00));
            // Truncated fields
            add(all, "topic length beyond the packet" + in, d, true, packet(0x30, u16(10), utf8("a")));
            add(all, "QoS 1 PUBLISH without packet id" + in, d, true, packet(0x32, str("a/b")));
            add(all, "SUBSCRIBE ending inside a filter length" + in, d, true, packet(0x82, u16(1), bytes(0x00)));
            add(all, "SUBSCRIBE without requested QoS" + in, d, true, packet(0x82, u16(1), str("a/b")));
            add(all, "SUBSCRIBE without any filter" + in, d, true, packet(0x82, u16(1)));
            add(all, "UNSUBSCRIBE without any filter" + in, d, true, packet(0xA2, u16(1)));
            add(all, "CONNECT cut inside the client id" + in, d, false,
                packet(0x10, str(d == Dialect.MOTE ? "mote" : "MQTT"), bytes(d == Dialect.MOTE ? 0 : 4, 0x02, 0, 0), u16(10), utf8("abc")));
            // Invalid UTF-8 and forbidden characters
            add(all, "topic with an invalid UTF-8 sequence" + in, d, true, publish(bytes('a', '/', 0xC3, 0x28), utf8("x"), false));
            add(all, "topic with an overlong UTF-8 encoding" + in, d, true, publish(bytes('a', '/', 0xC0, 0xAF), utf8("x"), false));
            add(all, "topic with a UTF-16 surrogate" + in, d, true, publish(bytes('a', 0xED, 0xA0, 0x80), utf8("x"), false));
            add(all, "topic with U+0000" + in, d, true, publish(bytes('a', 0x00, 'b'), utf8("x"), false));
            add(all, "filter with an invalid UTF-8 sequence" + in, d, true, subscribe(bytes('a', '/', 0xFF)));
            add(all, "client id with invalid UTF-8" + in, d, false,
                packet(0x10, str(d == Dialect.MOTE ? "mote" : "MQTT"), bytes(d == Dialect.MOTE ? 0 : 4, 0x02, 0, 0), bin(bytes(0xFE, 0xFF))));
            // Reserved flags and values
            add(all, "reserved packet type 0" + in, d, true, bytes(0x00, 0x00));
            add(all, "reserved packet type 15" + in, d, true, bytes(0xF0, 0x00));
            add(all, "PINGREQ with flags 0001" + in, d, true, bytes(0xC1, 0x00));
            add(all, "SUBSCRIBE with flags 0011" + in, d, true, packet(0x83, u16(1), str("a/b"), bytes(0)));
            add(all, "PUBLISH at QoS 3" + in, d, true, packet(0x36, str("a/b"), u16(1), utf8("x")));
            add(all, "PUBLISH QoS 0 with DUP" + in, d, true, packet(0x38, str("a/b"), utf8("x")));
            add(all, "QoS 1 PUBLISH with packet id 0" + in, d, true, packet(0x32, str("a/b"), u16(0), utf8("x")));
            add(all, "SUBSCRIBE asking QoS 3" + in, d, true, packet(0x82, u16(1), str("a/b"), bytes(3)));
            add(all, "CONNECT with the reserved flag set" + in, d, false,
                packet(0x10, str(d == Dialect.MOTE ? "mote" : "MQTT"), bytes(d == Dialect.MOTE ? 0 : 4, 0x03, 0, 0), str("x")));
            add(all, "CONNACK sent by a client" + in, d, true, bytes(0x20, 0x02, 0x00, 0x00));
            add(all, "SUBACK sent by a client" + in, d, true, bytes(0x90, 0x03, 0x00, 0x01, 0x00));
            // Wildcards
            add(all, "publish topic with + inside a level" + in, d, true, publish(utf8("a/b+"), utf8("x"), false));
            add(all, "publish topic with # before the last level" + in, d, true, publish(utf8("a/#/b"), utf8("x"), true));
            add(all, "filter with + inside a level" + in, d, true, subscribe(utf8("a/b+/c")));
            add(all, "filter with # inside a level" + in, d, true, subscribe(utf8("a/b#")));
            add(all, "filter with # before the last level" + in, d, true, subscribe(utf8("a/#/c")));
            // Size
            add(all, "packet larger than the maximum" + in, d, true,
                packet(0x31, str("big/row"), new byte[MAX_PACKET_SIZE]));
            add(all, "packet header announcing more than the maximum" + in, d, true, bytes(0x30, 0x80, 0x80, 0x01));
            // Order
            add(all, "second CONNECT" + in, d, true, Packets.connect(d, "second-connect", null));
            add(all, "PINGREQ before CONNECT" + in, d, false, bytes(0xC0, 0x00));
            add(all, "PUBLISH before CONNECT" + in, d, false, publishQos1("a/b", "x", true));
        }
        // mqtt dialect only: reserved SUBSCRIBE/UNSUBSCRIBE/PUBREL flags 0000 and options bit 2 (§5.1).
        // (A wildcard publish is not bad input in the mqtt dialect: §2.2 holds in both dialects.)
        add(all, "SUBSCRIBE with flags 0000 (mqtt)", Dialect.MQTT, true, packet(0x80, u16(1), str("a/b"), bytes(0)));
        add(all, "UNSUBSCRIBE with flags 0000 (mqtt)", Dialect.MQTT, true, packet(0xA0, u16(1), str("a/b")));
        add(all, "PUBREL with flags 0000 (mqtt)", Dialect.MQTT, true, bytes(0x60, 0x02, 0x00, 0x01));
        add(all, "subscription options bit 2 set (mqtt)", Dialect.MQTT, true, packet(0x82, u16(1), str("a/b"), bytes(0x04)));
        // mote dialect only: empty levels; tree publishes that break §2.3
        add(all, "empty level in a publish topic (mote)", Dialect.MOTE, true, publish(utf8("a//b"), utf8("x"), true));
        add(all, "leading empty level in a publish topic (mote)", Dialect.MOTE, true, publish(utf8("/a/b"), utf8("x"), true));
        add(all, "empty level in a filter (mote)", Dialect.MOTE, true, subscribe(utf8("a//b")));
        add(all, "empty level after the sync marker (mote)", Dialect.MOTE, true, subscribe(utf8("//a")));
        add(all, "tree publish that is not JSON (mote)", Dialect.MOTE, true, publishQos1("home/+/", "{\"a\": ", true));
        add(all, "tree publish holding an array (mote)", Dialect.MOTE, true, publishQos1("home/+/", "{\"x\":\"1\",\"y\":[1]}", true));
        add(all, "tree publish that is a string (mote)", Dialect.MOTE, true, publishQos1("home/", "\"x\"", true));
        add(all, "tree publish with # in its pattern (mote)", Dialect.MOTE, true, publishQos1("home/#/", "{\"x\":\"1\"}", true));
        add(all, "tree publish with an empty key (mote)", Dialect.MOTE, true, publishQos1("home/", "{\"x\":\"1\",\"\":\"2\"}", true));
        add(all, "tree publish with a / in a key (mote)", Dialect.MOTE, true, publishQos1("home/", "{\"x\":\"1\",\"a/b\":\"2\"}", true));
        add(all, "tree publish with + as a key (mote)", Dialect.MOTE, true, publishQos1("home/", "{\"x\":\"1\",\"+\":\"2\"}", true));
        add(all, "tree publish with a non-object at a + level (mote)", Dialect.MOTE, true, publishQos1("home/+/+/", "{\"x\":\"1\"}", true));
        add(all, "tree publish with / below the pattern's + (mote)", Dialect.MOTE, true, publishQos1("home/+/+/", "{\"x\":{\"/\":\"1\"}}", true));
        add(all, "tree replace without retain (mote)", Dialect.MOTE, true, publishQos1("home/+/", "{\"/\":\"+\",\"x\":\"1\"}", false));
        add(all, "tree with an unknown directive (mote)", Dialect.MOTE, true, publishQos1("home/+/", "{\"/\":\"-\",\"x\":\"1\"}", true));
        add(all, "tree nested deeper than 32 (mote)", Dialect.MOTE, true,
            publishQos1("home/", "{\"a\":".repeat(40) + "\"1\"" + "}".repeat(40), true));
        add(all, "tree with trailing garbage (mote)", Dialect.MOTE, true, publishQos1("home/", "{\"x\":\"1\"} {", true));
        return all.stream();
    }

    private static void add(final List<Arguments> all, final String name, final Dialect dialect, final boolean afterConnect, final byte[] bytes)
    {
        all.add(Arguments.of(Named.of(name, new Input(dialect, afterConnect, bytes))));
    }

    @BeforeAll
    static void startBroker() throws Exception
    {
        broker = BrokerFixture.start(c -> c.withMaxPacketSize(MAX_PACKET_SIZE));
        try (RawMqttClient seeder = RawMqttClient.connected(broker.port(), Dialect.MOTE, "seeder"))
        {
            seeder.publish("home/", "{\"kitchen\": {\"light\": \"on\", \"temp\": 21.5}, \"hall\": {\"/\": \"x\", \"door\": \"shut\"}}", 1, true);
            seeder.publish("a/b", "1", 1, true);
            seeder.disconnect();
        }
        retainedBefore = Snapshots.retainedRows(broker);
        assertThat(retainedBefore).hasSize(5);
    }

    @AfterAll
    static void stopBroker()
    {
        broker.close();
    }

    @BeforeEach
    void connectBystanders() throws Exception
    {
        final int id = IDS.incrementAndGet();
        bystander = RawMqttClient.connected(broker.port(), Dialect.MQTT, "bystander-" + id);
        assertThat(bystander.subscribe(1, "probe/#", "will/#")).containsExactly(1, 1);
        probe = RawMqttClient.connected(broker.port(), Dialect.MOTE, "probe-" + id);
    }

    @AfterEach
    void closeBystanders()
    {
        assertThat(bystander.protocolErrors()).isEmpty();
        bystander.close();
        probe.close();
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void shouldCloseTheConnectionWhenTheInputIsMalformed(final Input input) throws Exception
    {
        try (RawMqttClient offender = send(input, null))
        {
            assertThat(offender.awaitClosed(RawMqttClient.TIMEOUT)).as("closed by the broker").isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void shouldKeepServingOtherClientsWhenOneSendsMalformedInput(final Input input) throws Exception
    {
        try (RawMqttClient offender = send(input, null))
        {
            offender.awaitClosed(RawMqttClient.TIMEOUT);
        }
        probe.publish("probe/after", "still here", 1, false);
        final RawMqttClient.Received received = bystander.take();
        assertThat(received.topic()).isEqualTo("probe/after");
        assertThat(received.payloadText()).isEqualTo("still here");
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void shouldLeaveTheRetainedTreeUnchangedWhenInputIsMalformed(final Input input) throws Exception
    {
        try (RawMqttClient offender = send(input, null))
        {
            offender.awaitClosed(RawMqttClient.TIMEOUT);
        }
        assertThat(Snapshots.retainedRows(broker)).isEqualTo(retainedBefore);
        assertThat(broker.engine().stats().retainedRows()).isEqualTo(retainedBefore.size());
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void shouldPublishTheWillWhenClosingForMalformedInput(final Input input) throws Exception
    {
        if (!input.afterConnect())
        {
            return; // no CONNECT, no will
        }
        final String topic = "will/" + IDS.incrementAndGet();
        try (RawMqttClient offender = send(input, new Will(utf8(topic), utf8("gone"), 1, false)))
        {
            offender.awaitClosed(RawMqttClient.TIMEOUT);
        }
        final RawMqttClient.Received will = bystander.take();
        assertThat(will.topic()).isEqualTo(topic);
        assertThat(will.payloadText()).isEqualTo("gone");
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void shouldLogOneLineNamingTheSenderAndTheProblemWhenClosingForMalformedInput(final Input input) throws Exception
    {
        final LogLines lines = LogLines.capture("io.mote");
        try
        {
            final String sender;
            try (RawMqttClient offender = send(input, null))
            {
                offender.awaitClosed(RawMqttClient.TIMEOUT);
                sender = input.afterConnect() ? lastOffenderId : offender.localAddress();
            }
            // Besides the usual connected/disconnected lines: exactly one line, naming the sender.
            assertThat(lines.containing(sender + " ").stream()
                .filter(line -> !line.contains(" connected from ") && !line.contains(" disconnected: ")))
                .hasSize(1);
        }
        finally
        {
            lines.stop();
        }
    }

    @Test
    void shouldAcknowledgeAQos2PublishWhosePacketIdWasLastUsedByARejectedTreeInAPersistentSession() throws Exception
    {
        try (RawMqttClient first = RawMqttClient.tcp(broker.port(), Dialect.MOTE))
        {
            first.connect("persistent-publisher", false, 0, null);
            // QoS 2, packet id 1: a tree the engine rejects (array), so the connection is closed.
            first.sendRaw(packet(0x34, str("home/+/"), u16(1), utf8("{\"y\":[1]}")));
            assertThat(first.awaitClosed(RawMqttClient.TIMEOUT)).isTrue();
        }
        try (RawMqttClient again = RawMqttClient.tcp(broker.port(), Dialect.MOTE))
        {
            assertThat(again.connect("persistent-publisher", false, 0, null).sessionPresent()).isTrue();
            // The rejected exchange never completed, so id 1 is free for a new message: PUBREC is due
            // (the client answers it with PUBREL, so the flow ends with PUBCOMP).
            final MqttPacket answer = again.sendRawAndAwait(1, packet(0x34, str("probe/qos2"), u16(1), utf8("ok")), "PUBREC then PUBCOMP");
            assertThat(answer).isInstanceOf(PubCompPacket.class);
            again.disconnect();
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Dialect.class)
    void shouldKeepNoFilterOfARefusedSubscribeWhenTheSessionIsPersistent(final Dialect dialect) throws Exception
    {
        final String clientId = "persistent-subscriber-" + dialect;
        try (RawMqttClient first = RawMqttClient.tcp(broker.port(), dialect))
        {
            first.connect(clientId, false, 0, null);
            // A valid filter, then one with '#' inside a level: the whole packet is refused.
            first.sendRaw(packet(0x82, u16(1), str("probe/partial"), bytes(0), str("a/b#"), bytes(0)));
            assertThat(first.awaitClosed(RawMqttClient.TIMEOUT)).isTrue();
            assertThat(first.unsolicitedAnswers()).as("no SUBACK for a refused SUBSCRIBE").isEmpty();
        }
        try (RawMqttClient again = RawMqttClient.tcp(broker.port(), dialect))
        {
            assertThat(again.connect(clientId, false, 0, null).sessionPresent()).isTrue();
            assertThat(again.subscribe(0, "probe/fence")).containsExactly(0);
            probe.publish("probe/partial", "must not arrive", 1, false);
            probe.publish("probe/fence", "fence", 1, false);
            // Deliveries to one session keep the engine's order: the fence comes after anything for probe/partial.
            assertThat(again.take().topic()).isEqualTo("probe/fence");
            again.disconnect();
        }
    }

    @Test
    void shouldTolerateReservedFlagsOnSubscribeUnsubscribeAndPubrelWhenTheDialectIsMote() throws Exception
    {
        try (RawMqttClient app = RawMqttClient.connected(broker.port(), Dialect.MOTE, "mote-app"))
        {
            // SUBSCRIBE 0000 with options bit 2 set, as the Mote app sends it (PROTOCOL.md §5.1): SUBACK 0.
            final MqttPacket subAck = app.sendRawAndAwait(7, packet(0x80, u16(7), str("probe/+"), bytes(0x04)), "SUBACK");
            assertThat(((SubAckPacket)subAck).returnCodes()).containsExactly(0);
            assertThat(app.sendRawAndAwait(8, packet(0xA0, u16(8), str("probe/+")), "UNSUBACK")).isInstanceOf(UnsubAckPacket.class);
            // PUBREL 0000 for an id never used: answered with PUBCOMP, as in MQTT.
            assertThat(app.sendRawAndAwait(9, bytes(0x60, 0x02, 0x00, 0x09), "PUBCOMP")).isInstanceOf(PubCompPacket.class);
            assertThat(app.ping()).as("connection still open after the tolerated packets").isTrue();
            assertThat(app.protocolErrors()).isEmpty();
        }
    }

    /** Opens a socket in the input's dialect, CONNECTs first (with the will) when the input needs it, then sends the bytes. */
    private static RawMqttClient send(final Input input, final Will will) throws Exception
    {
        final RawMqttClient offender = RawMqttClient.tcp(broker.port(), input.dialect());
        if (input.afterConnect())
        {
            lastOffenderId = "offender-" + IDS.incrementAndGet();
            assertThat(offender.connect(lastOffenderId, true, 0, will).returnCode().value()).isZero();
        }
        offender.sendRaw(input.bytes());
        return offender;
    }
}
