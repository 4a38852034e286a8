package io.mote.transport.codec;

import static io.mote.transport.codec.CodecFixtures.bytes;
import static io.mote.transport.codec.CodecFixtures.client;
import static io.mote.transport.codec.CodecFixtures.connected;
import static io.mote.transport.codec.CodecFixtures.drain;
import static io.mote.transport.codec.CodecFixtures.feed;
import static io.mote.transport.codec.CodecFixtures.releaseAll;
import static io.mote.transport.codec.CodecFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.mote.engine.topic.Dialect;
import io.mote.engine.topic.TopicKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MqttCodecRoundTripTest
{
    static Stream<Arguments> clientSentPackets()
    {
        return Stream.of(
            Arguments.of("PUBLISH QoS 0", Dialect.MQTT, PublishPacket.of(utf8("a/b"), utf8("v"), 0, false, false, 0)),
            Arguments.of("PUBLISH QoS 1 retained", Dialect.MQTT, PublishPacket.of(utf8("a/b"), utf8("v"), 1, true, false, 7)),
            Arguments.of("PUBLISH QoS 2 DUP empty payload", Dialect.MQTT, PublishPacket.of(utf8("a"), new byte[0], 2, false, true, 65535)),
            Arguments.of("PUBLISH mote tree", Dialect.MOTE, PublishPacket.of(utf8("light/"), utf8("{\"a\":1}"), 1, true, false, 1)),
            Arguments.of("PUBACK", Dialect.MQTT, new PubAckPacket(1)),
            Arguments.of("PUBREC", Dialect.MQTT, new PubRecPacket(2)),
            Arguments.of("PUBREL", Dialect.MQTT, new PubRelPacket(3)),
            Arguments.of("PUBCOMP", Dialect.MQTT, new PubCompPacket(65535)),
            Arguments.of("SUBSCRIBE", Dialect.MQTT, new SubscribePacket(9, List.of(
                new Subscription(TopicFilter.parse("a/+/c", Dialect.MQTT), 0),
                new Subscription(TopicFilter.parse("#", Dialect.MQTT), 2)))),
            Arguments.of("SUBSCRIBE mote sync", Dialect.MOTE, new SubscribePacket(9, List.of(
                new Subscription(TopicFilter.parse("/light/+/is_on", Dialect.MOTE), 1)))),
            Arguments.of("UNSUBSCRIBE", Dialect.MQTT, new UnsubscribePacket(10, List.of(
                TopicFilter.parse("a/b", Dialect.MQTT), TopicFilter.parse("x/#", Dialect.MQTT)))),
            Arguments.of("PINGREQ", Dialect.MQTT, PingReqPacket.INSTANCE),
            Arguments.of("DISCONNECT", Dialect.MQTT, DisconnectPacket.INSTANCE));
    }

    static Stream<Arguments> serverSentPackets()
    {
        return Stream.of(
            Arguments.of("PUBLISH QoS 1", PublishPacket.of(utf8("light/+/is_on"), utf8("{}"), 1, true, false, 4)),
            Arguments.of("PUBACK", new PubAckPacket(1)),
            Arguments.of("PUBREC", new PubRecPacket(2)),
            Arguments.of("PUBREL", new PubRelPacket(3)),
            Arguments.of("PUBCOMP", new PubCompPacket(4)),
            Arguments.of("SUBACK", new SubAckPacket(5, new int[] {0, 1, 2, SubAckPacket.FAILURE})),
            Arguments.of("UNSUBACK", new UnsubAckPacket(6)),
            Arguments.of("PINGRESP", PingRespPacket.INSTANCE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clientSentPackets")
    void shouldDecodeWhatTheEncoderWroteWhenAClientSendsIt(final String name, final Dialect dialect, final MqttPacket packet)
    {
        final EmbeddedChannel channel = connected(dialect);

        final List<Object> decoded = feed(channel, bytes(packet));

        assertThat(decoded).hasSize(1);
        assertSamePacket(decoded.get(0), packet);
        releaseAll(decoded);
        release(packet);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("serverSentPackets")
    void shouldDecodeWhatTheEncoderWroteWhenTheServerSendsIt(final String name, final MqttPacket packet)
    {
        final EmbeddedChannel channel = client(Dialect.MOTE);

        final List<Object> decoded = feed(channel, bytes(packet));

        assertThat(decoded).hasSize(1);
        assertSamePacket(decoded.get(0), packet);
        releaseAll(decoded);
        release(packet);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("connects")
    void shouldDecodeConnectWhenEncoded(final String name, final ConnectPacket connect)
    {
        final List<Object> decoded = feed(CodecFixtures.server(), bytes(connect));

        assertThat(decoded).containsExactly(connect);
    }

    static Stream<Arguments> connects()
    {
        return Stream.of(
            Arguments.of("mote level 0", CodecFixtures.connect(Dialect.MOTE)),
            Arguments.of("MQTT 3.1.1 minimal", CodecFixtures.connect(Dialect.MQTT)),
            Arguments.of("MQIsdp 3.1", new ConnectPacket("MQIsdp", 3, Dialect.MQTT, false, 0, "old", null, null, null)),
            Arguments.of("all fields", new ConnectPacket("MQTT", 4, Dialect.MQTT, false, 65535, "c",
                new Will(utf8("status/c"), utf8("gone"), 2, true), "user", utf8("secret"))),
            Arguments.of("mote wildcard will", new ConnectPacket("mote", 7, Dialect.MOTE, true, 20000, "",
                new Will(utf8("light/+/set_on"), utf8("0"), 1, false), "", new byte[0])));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("connAcks")
    void shouldDecodeConnAckWhenEncoded(final ConnAckPacket connAck)
    {
        final EmbeddedChannel channel = new EmbeddedChannel(MqttDecoder.forClient(Dialect.MQTT, 1024));

        assertThat(feed(channel, bytes(connAck))).containsExactly(connAck);
    }

    static Stream<ConnAckPacket> connAcks()
    {
        return Stream.concat(
            Stream.of(new ConnAckPacket(true, ConnectReturnCode.ACCEPTED)),
            Stream.of(ConnectReturnCode.values()).map(code -> new ConnAckPacket(false, code)));
    }

    @Test
    void shouldDecodeEveryPacketWhenSeveralArriveInOneBuffer()
    {
        final EmbeddedChannel channel = connected(Dialect.MQTT);
        final List<MqttPacket> sent = List.of(
            PublishPacket.of(utf8("a"), utf8("1"), 1, false, false, 1), new PubRelPacket(2), PingReqPacket.INSTANCE,
            PublishPacket.of(utf8("b"), utf8("2"), 0, false, false, 0), DisconnectPacket.INSTANCE);

        final List<Object> decoded = feed(channel, bytes(sent.toArray(MqttPacket[]::new)));

        assertThat(decoded).hasSize(sent.size());
        for (int i = 0; i < sent.size(); i++)
        {
            assertSamePacket(decoded.get(i), sent.get(i));
        }
        releaseAll(decoded);
    }

    @Test
    void shouldDecodeEachPacketOnceWhenBytesArriveOneByOne()
    {
        final EmbeddedChannel channel = CodecFixtures.server();
        final PublishPacket publish = PublishPacket.of(utf8("a/b/c"), new byte[300], 2, true, false, 300);
        final byte[] wire = bytes(CodecFixtures.connect(Dialect.MOTE), publish, new PubRelPacket(300));

        final List<Object> decoded = new ArrayList<>();
        for (final byte b : wire)
        {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
            decoded.addAll(drain(channel));
        }

        assertThat(decoded).hasSize(3);
        assertThat(decoded.get(0)).isEqualTo(CodecFixtures.connect(Dialect.MOTE));
        assertSamePacket(decoded.get(1), publish);
        assertThat(decoded.get(2)).isEqualTo(new PubRelPacket(300));
        releaseAll(decoded);
    }

    @ParameterizedTest(name = "remaining length {0}")
    @ValueSource(ints = {127, 128, 16_383, 16_384, 2_097_151, 2_097_152})
    void shouldRoundTripPublishWhenRemainingLengthIsAtAnEncodingBoundary(final int remainingLength)
    {
        // topic "t" (2 + 1 bytes) and a QoS 0 payload fill the rest.
        final PublishPacket publish = PublishPacket.of(utf8("t"), new byte[remainingLength - 3], 0, false, false, 0);
        final int lengthBytes = remainingLength < 128 ? 1 : remainingLength < 16_384 ? 2 : remainingLength < 2_097_152 ? 3 : 4;
        final byte[] wire = bytes(publish);
        final EmbeddedChannel channel = connected(Dialect.MQTT);

        final List<Object> decoded = feed(channel, wire);

        assertThat(wire).hasSize(1 + lengthBytes + remainingLength);
        assertThat(decoded).hasSize(1);
        assertSamePacket(decoded.get(0), publish);
        releaseAll(decoded);
    }

    @Test
    void shouldClassifyTopicAndSliceWithoutCopyWhenInputIsADirectBuffer()
    {
        final EmbeddedChannel channel = connected(Dialect.MOTE);
        final byte[] wire = bytes(PublishPacket.of(utf8("light/+/set_on"), utf8("1"), 0, false, false, 0));
        final ByteBuf direct = Unpooled.directBuffer(wire.length).writeBytes(wire);

        channel.writeInbound(direct);
        final PublishPacket decoded = channel.readInbound();

        assertThat(decoded.topicKind()).isEqualTo(TopicKind.WILDCARD);
        assertThat(decoded.payload().isDirect()).isTrue();
        // The decoder let go of its input; the packet holds one reference for topic and payload.
        assertThat(direct.refCnt()).isEqualTo(1);
        decoded.release();
        assertThat(direct.refCnt()).isZero();
    }

    @Test
    void shouldDecodeTheNextPublishIntoTheSamePacketOnceTheLastWasReleased()
    {
        final EmbeddedChannel channel = connected(Dialect.MQTT);
        final PublishPacket first = (PublishPacket) feed(channel, bytes(PublishPacket.of(utf8("a"), utf8("1"), 0, false, false, 0))).get(0);
        first.release();

        final PublishPacket second = (PublishPacket) feed(channel, bytes(PublishPacket.of(utf8("b/c"), utf8("22"), 1, true, false, 3))).get(0);

        assertThat(second).isSameAs(first);
        assertSamePacket(second, PublishPacket.of(utf8("b/c"), utf8("22"), 1, true, false, 3));
        second.release();
    }

    @Test
    void shouldDecodeIntoANewPacketWhileTheLastIsStillHeld()
    {
        final EmbeddedChannel channel = connected(Dialect.MQTT);
        final List<Object> decoded = feed(channel, bytes(
            PublishPacket.of(utf8("a"), utf8("1"), 0, false, false, 0),
            PublishPacket.of(utf8("b"), utf8("2"), 0, false, false, 0)));

        assertThat(decoded).hasSize(2);
        assertThat(decoded.get(0)).isNotSameAs(decoded.get(1));
        assertSamePacket(decoded.get(0), PublishPacket.of(utf8("a"), utf8("1"), 0, false, false, 0));
        assertSamePacket(decoded.get(1), PublishPacket.of(utf8("b"), utf8("2"), 0, false, false, 0));
        releaseAll(decoded);
    }

    @Test
    void shouldWriteExactlySizedBufferAndReleasePublishWhenEncoderHandlesWrite()
    {
        final EmbeddedChannel channel = new EmbeddedChannel(MqttEncoder.INSTANCE);
        final PublishPacket publish = PublishPacket.of(utf8("a/b"), utf8("payload"), 1, false, false, 5);
        final byte[] expected = bytes(publish);

        channel.writeOutbound(publish);
        final ByteBuf written = channel.readOutbound();

        assertThat(ByteBufUtil.getBytes(written)).isEqualTo(expected);
        assertThat(written.maxCapacity()).isEqualTo(expected.length);
        assertThat(publish.refCnt()).isZero();
        written.release();
    }

    @Test
    void shouldFailThePromiseInsteadOfThrowingWhenPacketCannotBeEncoded()
    {
        final EmbeddedChannel channel = new EmbeddedChannel(MqttEncoder.INSTANCE);

        final ChannelFuture write = channel.writeAndFlush(new PubAckPacket(0));

        assertThat(write.cause()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("packet identifier");
        assertThat((Object) channel.readOutbound()).isNull();
    }

    @Test
    void shouldEncodeSamePublishWhenGivenArraySlicesOrBuffers()
    {
        final byte[] stored = utf8("xxtopic/1payloadyy");
        final ByteBuf fromArrays = Unpooled.buffer();
        final ByteBuf fromBuffers = Unpooled.buffer();

        MqttEncoder.encodePublish(fromArrays, 1, true, false, 9, stored, 2, 7, stored, 9, 7);
        MqttEncoder.encodePublish(fromBuffers, 1, true, false, 9, Unpooled.wrappedBuffer(stored, 2, 7), Unpooled.wrappedBuffer(stored, 9, 7));

        assertThat(fromArrays).isEqualTo(fromBuffers);
        assertThat(fromArrays.readableBytes()).isEqualTo(MqttEncoder.publishSize(7, 7, 1));
    }

    /** Compares field by field, since a PUBLISH is a reference-counted holder without value equality. */
    static void assertSamePacket(final Object actual, final MqttPacket expected)
    {
        if (expected instanceof PublishPacket publish)
        {
            assertThat(actual).isInstanceOf(PublishPacket.class);
            final PublishPacket decoded = (PublishPacket) actual;
            assertThat(decoded.topicText()).isEqualTo(publish.topicText());
            assertThat(ByteBufUtil.getBytes(decoded.payload())).isEqualTo(ByteBufUtil.getBytes(publish.payload()));
            assertThat(decoded.qos()).isEqualTo(publish.qos());
            assertThat(decoded.retainFlag()).isEqualTo(publish.retainFlag());
            assertThat(decoded.dup()).isEqualTo(publish.dup());
            assertThat(decoded.packetId()).isEqualTo(publish.packetId());
            assertThat(decoded.topicKind()).isNotNull().matches(TopicKind::isValid);
        }
        else
        {
            assertThat(actual).isEqualTo(expected);
        }
    }

    private static void release(final MqttPacket packet)
    {
        if (packet instanceof PublishPacket publish)
        {
            publish.release();
        }
    }
}
