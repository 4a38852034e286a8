package io.mote.transport.codec;

import static io.mote.transport.codec.CodecFixtures.bytes;
import static io.mote.transport.codec.CodecFixtures.concat;
import static io.mote.transport.codec.CodecFixtures.connectPacket;
import static io.mote.transport.codec.CodecFixtures.connected;
import static io.mote.transport.codec.CodecFixtures.feed;
import static io.mote.transport.codec.CodecFixtures.field;
import static io.mote.transport.codec.CodecFixtures.octets;
import static io.mote.transport.codec.CodecFixtures.packet;
import static io.mote.transport.codec.CodecFixtures.u16;
import static io.mote.transport.codec.CodecFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.mote.engine.topic.Dialect;
import io.netty.channel.embedded.EmbeddedChannel;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rule a server checks after CONNECT, one row each, in the dialects where it holds. */
class MqttDecoderRejectionTest
{
    private static final List<Dialect> BOTH = List.of(Dialect.MQTT, Dialect.MOTE);
    private static final List<Dialect> MQTT_ONLY = List.of(Dialect.MQTT);
    private static final List<Dialect> MOTE_ONLY = List.of(Dialect.MOTE);

    static Stream<Arguments> malformedAfterConnect()
    {
        return Stream.of(
            row("reserved type 0", BOTH, octets(0x00, 0x00), null, "reserved packet type 0"),
            row("reserved type 15", BOTH, octets(0xF0, 0x00), null, "reserved packet type 15"),
            row("second CONNECT", BOTH, bytes(CodecFixtures.connect(Dialect.MQTT)), MqttMessageType.CONNECT, "second CONNECT"),
            row("CONNACK from a client", BOTH, octets(0x20, 0x02, 0x00, 0x00), MqttMessageType.CONNACK, "not sent by a client"),
            row("SUBACK from a client", BOTH, octets(0x90, 0x03, 0x00, 0x01, 0x00), MqttMessageType.SUBACK, "not sent by a client"),
            row("UNSUBACK from a client", BOTH, octets(0xB0, 0x02, 0x00, 0x01), MqttMessageType.UNSUBACK, "not sent by a client"),
            row("PINGRESP from a client", BOTH, octets(0xD0, 0x00), MqttMessageType.PINGRESP, "not sent by a client"),
            row("remaining length over 4 bytes", BOTH, octets(0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01), MqttMessageType.PUBLISH, "longer than 4 bytes"),
            row("PUBLISH QoS 3", BOTH, packet(0x36, field("a"), u16(1)), MqttMessageType.PUBLISH, "QoS 3"),
            row("PUBLISH DUP at QoS 0", BOTH, packet(0x38, field("a")), MqttMessageType.PUBLISH, "DUP set at QoS 0"),
            row("PUBLISH packet id 0", BOTH, packet(0x32, field("a"), u16(0)), MqttMessageType.PUBLISH, "packet identifier is 0"),
            row("PUBLISH without packet id", BOTH, packet(0x32, field("a")), MqttMessageType.PUBLISH, "truncated packet identifier"),
            row("PUBLISH truncated topic", BOTH, packet(0x30, u16(10), utf8("abc")), MqttMessageType.PUBLISH, "truncated topic name"),
            row("PUBLISH empty topic", BOTH, packet(0x30, field("")), MqttMessageType.PUBLISH, "topic is empty"),
            row("PUBLISH ill-formed UTF-8 topic", BOTH, packet(0x30, field(octets('a', 0xC3, 0x28))), MqttMessageType.PUBLISH, "UTF-8"),
            row("PUBLISH topic with U+0000", BOTH, packet(0x30, field(octets('a', 0x00))), MqttMessageType.PUBLISH, "U+0000"),
            row("PUBLISH partial wildcard level", BOTH, packet(0x30, field("a/b+")), MqttMessageType.PUBLISH, "not a whole level"),
            row("PUBLISH '#' not last", BOTH, packet(0x30, field("a/#/b")), MqttMessageType.PUBLISH, "not the last level"),
            row("PUBLISH empty level", MOTE_ONLY, packet(0x30, field("a//b")), MqttMessageType.PUBLISH, "empty level"),
            row("PUBLISH tree pattern with '#'", MOTE_ONLY, packet(0x30, field("a/#/")), MqttMessageType.PUBLISH, "may not hold '#'"),
            row("PUBACK with flags", BOTH, octets(0x41, 0x02, 0x00, 0x01), MqttMessageType.PUBACK, "must be 0000"),
            row("PUBACK packet id 0", BOTH, octets(0x40, 0x02, 0x00, 0x00), MqttMessageType.PUBACK, "packet identifier is 0"),
            row("PUBACK too long", BOTH, octets(0x40, 0x03, 0x00, 0x01, 0x00), MqttMessageType.PUBACK, "remaining length must be 2"),
            row("PUBREC too short", BOTH, octets(0x50, 0x01, 0x01), MqttMessageType.PUBREC, "remaining length must be 2"),
            row("PUBREL flags 0000", MQTT_ONLY, octets(0x60, 0x02, 0x00, 0x01), MqttMessageType.PUBREL, "must be 0010"),
            row("PUBREL flags 0011", BOTH, octets(0x63, 0x02, 0x00, 0x01), MqttMessageType.PUBREL, "must be 0010"),
            row("PUBCOMP with flags", BOTH, octets(0x72, 0x02, 0x00, 0x01), MqttMessageType.PUBCOMP, "must be 0000"),
            row("SUBSCRIBE flags 0000", MQTT_ONLY, packet(0x80, u16(1), field("a"), octets(0)), MqttMessageType.SUBSCRIBE, "must be 0010"),
            row("SUBSCRIBE flags 1010", BOTH, packet(0x8A, u16(1), field("a"), octets(0)), MqttMessageType.SUBSCRIBE, "must be 0010"),
            row("SUBSCRIBE packet id 0", BOTH, packet(0x82, u16(0), field("a"), octets(0)), MqttMessageType.SUBSCRIBE, "packet identifier is 0"),
            row("SUBSCRIBE without filter", BOTH, packet(0x82, u16(1)), MqttMessageType.SUBSCRIBE, "no topic filter"),
            row("SUBSCRIBE requested QoS 3", BOTH, packet(0x82, u16(1), field("a"), octets(3)), MqttMessageType.SUBSCRIBE, "requested QoS 3"),
            row("SUBSCRIBE option bit 2", MQTT_ONLY, packet(0x82, u16(1), field("a"), octets(0x04)), MqttMessageType.SUBSCRIBE, "reserved subscription option"),
            row("SUBSCRIBE option bit 7", BOTH, packet(0x82, u16(1), field("a"), octets(0x80)), MqttMessageType.SUBSCRIBE, "reserved subscription option"),
            row("SUBSCRIBE option bit 3", BOTH, packet(0x82, u16(1), field("a"), octets(0x08)), MqttMessageType.SUBSCRIBE, "reserved subscription option"),
            row("SUBSCRIBE without options byte", BOTH, packet(0x82, u16(1), field("a")), MqttMessageType.SUBSCRIBE, "truncated subscription options"),
            row("SUBSCRIBE ill-formed UTF-8 filter", BOTH, packet(0x82, u16(1), field(octets(0xFF)), octets(0)), MqttMessageType.SUBSCRIBE, "UTF-8"),
            row("UNSUBSCRIBE flags 0000", MQTT_ONLY, packet(0xA0, u16(1), field("a")), MqttMessageType.UNSUBSCRIBE, "must be 0010"),
            row("UNSUBSCRIBE without filter", BOTH, packet(0xA2, u16(1)), MqttMessageType.UNSUBSCRIBE, "no topic filter"),
            row("UNSUBSCRIBE packet id 0", BOTH, packet(0xA2, u16(0), field("a")), MqttMessageType.UNSUBSCRIBE, "packet identifier is 0"),
            row("UNSUBSCRIBE U+0000 in filter", BOTH, packet(0xA2, u16(1), field(octets('a', 0))), MqttMessageType.UNSUBSCRIBE, "U+0000"),
            row("PINGREQ with flags", BOTH, octets(0xC1, 0x00), MqttMessageType.PINGREQ, "must be 0000"),
            row("PINGREQ with a body", BOTH, octets(0xC0, 0x01, 0x00), MqttMessageType.PINGREQ, "remaining length must be 0"),
            row("DISCONNECT with flags", BOTH, octets(0xE2, 0x00), MqttMessageType.DISCONNECT, "must be 0000"));
    }

    private static Arguments row(final String name, final List<Dialect> dialects, final byte[] wire,
                                 final MqttMessageType type, final String reason)
    {
        return Arguments.of(name, dialects, wire, type, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedAfterConnect")
    void shouldEmitOneMalformedPacketWhenARuleIsBroken(final String name, final List<Dialect> dialects, final byte[] wire,
                                                       final MqttMessageType type, final String reason)
    {
        for (final Dialect dialect : dialects)
        {
            final List<Object> decoded = feed(connected(dialect), wire);

            assertThat(decoded).as(dialect.name()).singleElement().isInstanceOfSatisfying(MalformedPacket.class, malformed ->
            {
                assertThat(malformed.type()).isEqualTo(type);
                assertThat(malformed.reason()).contains(reason).doesNotContain("decoder fault");
            });
        }
    }

    static Stream<Arguments> toleratedInMoteOnly()
    {
        return Stream.of(
            Arguments.of("SUBSCRIBE flags 0000", packet(0x80, u16(1), field("a"), octets(1)), MqttMessageType.SUBSCRIBE),
            Arguments.of("UNSUBSCRIBE flags 0000", packet(0xA0, u16(1), field("a")), MqttMessageType.UNSUBSCRIBE),
            Arguments.of("PUBREL flags 0000", octets(0x60, 0x02, 0x00, 0x01), MqttMessageType.PUBREL),
            Arguments.of("SUBSCRIBE option bit 2", packet(0x82, u16(1), field("a"), octets(0x05)), MqttMessageType.SUBSCRIBE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("toleratedInMoteOnly")
    void shouldAcceptInMoteDialectWhatTheMoteAppSends(final String name, final byte[] wire, final MqttMessageType type)
    {
        final List<Object> decoded = feed(connected(Dialect.MOTE), wire);

        assertThat(decoded).singleElement().isInstanceOfSatisfying(MqttPacket.class, p -> assertThat(p.type()).isEqualTo(type));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("toleratedInMoteOnly")
    void shouldRejectInMqttDialectWhatTheMoteAppSends(final String name, final byte[] wire, final MqttMessageType type)
    {
        final List<Object> decoded = feed(connected(Dialect.MQTT), wire);

        assertThat(decoded).singleElement().isInstanceOf(MalformedPacket.class);
    }

    @Test
    void shouldIgnoreOptionBit2ButKeepQosWhenMoteDialectSubscribes()
    {
        final List<Object> decoded = feed(connected(Dialect.MOTE), packet(0x82, u16(1), field("a"), octets(0x06)));

        assertThat(((SubscribePacket) decoded.get(0)).subscriptions().get(0).requestedQos()).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void shouldRejectBeforeBufferingTheBodyWhenPacketExceedsMaximumSize(final Dialect dialect)
    {
        final EmbeddedChannel channel = new EmbeddedChannel(MqttDecoder.forServer(100, false));
        feed(channel, bytes(CodecFixtures.connect(dialect)));

        // Only the fixed header of a 1 MB PUBLISH arrives: the size alone must be enough to refuse it.
        final List<Object> decoded = feed(channel, octets(0x30, 0x80, 0x80, 0x40));

        assertThat(decoded).singleElement().isInstanceOfSatisfying(MalformedPacket.class,
            malformed -> assertThat(malformed.reason()).contains("exceeds the maximum of 100"));
    }

    @Test
    void shouldAcceptPacketWhenItIsExactlyTheMaximumSize()
    {
        final EmbeddedChannel channel = new EmbeddedChannel(MqttDecoder.forServer(100, false));
        feed(channel, bytes(CodecFixtures.connect(Dialect.MQTT)));

        final List<Object> decoded = feed(channel, packet(0x30, field("t"), new byte[95]));

        assertThat(decoded).singleElement().isInstanceOf(PublishPacket.class);
        CodecFixtures.releaseAll(decoded);
    }

    @Test
    void shouldDiscardEverythingAfterAMalformedPacketWhenMoreBytesFollow()
    {
        final EmbeddedChannel channel = connected(Dialect.MQTT);

        final List<Object> first = feed(channel, concat(octets(0xC1, 0x00), bytes(PingReqPacket.INSTANCE)));
        final List<Object> later = feed(channel, bytes(PingReqPacket.INSTANCE));

        assertThat(first).singleElement().isInstanceOf(MalformedPacket.class);
        assertThat(later).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void shouldKeepInvalidFilterAsAValueWhenSubscribeHasBadSyntax(final Dialect dialect)
    {
        final List<Object> decoded = feed(connected(dialect),
            packet(0x82, u16(1), field("a/b#"), octets(1), field("ok/+"), octets(2)));

        final SubscribePacket subscribe = (SubscribePacket) decoded.get(0);
        assertThat(subscribe.subscriptions()).extracting(s -> s.filter().kind().isValid()).containsExactly(false, true);
        assertThat(subscribe.subscriptions().get(0).filter().kind().problem()).contains("not a whole level");
    }

    @Test
    void shouldKeepSyncMarkerAndClassifyWithoutItWhenMoteFilterStartsWithSlash()
    {
        final List<Object> decoded = feed(connected(Dialect.MOTE), packet(0x82, u16(1), field("/light/+"), octets(1)));

        final TopicFilter filter = ((SubscribePacket) decoded.get(0)).subscriptions().get(0).filter();
        assertThat(filter.text()).isEqualTo("/light/+");
        assertThat(filter.sync()).isTrue();
        assertThat(filter.kind().isValid()).isTrue();
        assertThat(filter.identityOffset()).isEqualTo(1);
    }

    @Test
    void shouldTreatLeadingSlashAsEmptyLevelWhenMqttFilterStartsWithSlash()
    {
        final List<Object> decoded = feed(connected(Dialect.MQTT), packet(0x82, u16(1), field("/light/+"), octets(1)));

        final TopicFilter filter = ((SubscribePacket) decoded.get(0)).subscriptions().get(0).filter();
        assertThat(filter.sync()).isFalse();
        assertThat(filter.kind().isValid()).isTrue();
    }

    @Test
    void shouldRejectFilterWhenMoteFilterHasEmptyLevelAfterTheMarker()
    {
        final List<Object> decoded = feed(connected(Dialect.MOTE), packet(0x82, u16(1), field("//a"), octets(0)));

        assertThat(((SubscribePacket) decoded.get(0)).subscriptions().get(0).filter().kind().isValid()).isFalse();
    }

    @Test
    void shouldMarkTreePublishWhenMoteTopicEndsWithSlash()
    {
        final List<Object> decoded = feed(connected(Dialect.MOTE), packet(0x30, field("light/"), utf8("{}")));

        assertThat(((PublishPacket) decoded.get(0)).topicKind()).isEqualTo(io.mote.engine.topic.TopicKind.TREE);
        CodecFixtures.releaseAll(decoded);
    }

    @Test
    void shouldAcceptEmptyLevelsAndTrailingSlashAsPlainWhenMqttDialectPublishes()
    {
        final List<Object> decoded = feed(connected(Dialect.MQTT), packet(0x30, field("a//b/"), utf8("x")));

        assertThat(((PublishPacket) decoded.get(0)).topicKind()).isEqualTo(io.mote.engine.topic.TopicKind.PLAIN);
        CodecFixtures.releaseAll(decoded);
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void shouldAcceptWildcardPublishWhenTopicHasWholeLevelWildcards(final Dialect dialect)
    {
        final List<Object> decoded = feed(connected(dialect), packet(0x30, field("light/+/set_on"), utf8("1")));

        assertThat(((PublishPacket) decoded.get(0)).topicKind()).isEqualTo(io.mote.engine.topic.TopicKind.WILDCARD);
        CodecFixtures.releaseAll(decoded);
    }
}
