package io.mote.transport.codec;

import static io.mote.transport.codec.CodecFixtures.bytes;
import static io.mote.transport.codec.CodecFixtures.connected;
import static io.mote.transport.codec.CodecFixtures.feed;
import static io.mote.transport.codec.CodecFixtures.releaseAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.mote.engine.topic.Dialect;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Random valid packets survive encode then decode, whole or cut into random reads. jqwik reports the seed on failure. */
class MqttCodecProperties
{
    @Property(tries = 300)
    void shouldRoundTripWhenClientSendsRandomValidPackets(@ForAll("dialects") final Dialect dialect,
                                                          @ForAll("clientPackets") final List<MqttPacket> packets,
                                                          @ForAll("cuts") final List<Integer> cuts)
    {
        final EmbeddedChannel channel = connected(dialect);
        final byte[] wire = bytes(packets.toArray(MqttPacket[]::new));

        final List<Object> decoded = new ArrayList<>();
        int from = 0;
        for (final int cut : cuts)
        {
            final int to = Math.min(wire.length, from + cut);
            channel.writeInbound(Unpooled.wrappedBuffer(wire, from, to - from));
            decoded.addAll(CodecFixtures.drain(channel));
            from = to;
        }
        decoded.addAll(feed(channel, java.util.Arrays.copyOfRange(wire, from, wire.length)));

        assertThat(decoded).hasSameSizeAs(packets);
        for (int i = 0; i < packets.size(); i++)
        {
            MqttCodecRoundTripTest.assertSamePacket(decoded.get(i), reparse(packets.get(i), dialect));
        }
        releaseAll(decoded);
        packets.forEach(io.netty.util.ReferenceCountUtil::release);
    }

    @Property(tries = 200)
    void shouldRoundTripWhenServerSendsRandomValidPackets(@ForAll("serverPackets") final List<MqttPacket> packets)
    {
        final EmbeddedChannel channel = CodecFixtures.client(Dialect.MQTT);

        final List<Object> decoded = feed(channel, bytes(packets.toArray(MqttPacket[]::new)));

        assertThat(decoded).hasSameSizeAs(packets);
        for (int i = 0; i < packets.size(); i++)
        {
            MqttCodecRoundTripTest.assertSamePacket(decoded.get(i), packets.get(i));
        }
        releaseAll(decoded);
        packets.forEach(io.netty.util.ReferenceCountUtil::release);
    }

    @Property(tries = 200)
    void shouldRoundTripWhenConnectIsRandomAndValid(@ForAll("connects") final ConnectPacket connect)
    {
        assertThat(feed(CodecFixtures.server(), bytes(connect))).containsExactly(connect);
    }

    /** Filters are generated without a dialect; the decoder classifies them for the connection's one. */
    private static MqttPacket reparse(final MqttPacket packet, final Dialect dialect)
    {
        if (packet instanceof SubscribePacket subscribe)
        {
            return new SubscribePacket(subscribe.packetId(), subscribe.subscriptions().stream()
                .map(s -> new Subscription(TopicFilter.parse(s.filter().bytes(), dialect), s.requestedQos())).toList());
        }
        if (packet instanceof UnsubscribePacket unsubscribe)
        {
            return new UnsubscribePacket(unsubscribe.packetId(), unsubscribe.filters().stream()
                .map(f -> TopicFilter.parse(f.bytes(), dialect)).toList());
        }
        return packet;
    }

    @Provide
    Arbitrary<Dialect> dialects()
    {
        return Arbitraries.of(Dialect.class);
    }

    @Provide
    Arbitrary<List<Integer>> cuts()
    {
        return Arbitraries.integers().between(1, 40).list().ofMaxSize(20);
    }

    @Provide
    Arbitrary<List<MqttPacket>> clientPackets()
    {
        final Arbitrary<MqttPacket> any = Arbitraries.oneOf(
            publishes(),
            packetIds().map(PubAckPacket::new), packetIds().map(PubRecPacket::new),
            packetIds().map(PubRelPacket::new), packetIds().map(PubCompPacket::new),
            Combinators.combine(packetIds(), Combinators.combine(filters(), Arbitraries.integers().between(0, 2))
                    .as(Subscription::new).list().ofMinSize(1).ofMaxSize(5))
                .as(SubscribePacket::new),
            Combinators.combine(packetIds(), filters().list().ofMinSize(1).ofMaxSize(5)).as(UnsubscribePacket::new),
            Arbitraries.just(PingReqPacket.INSTANCE));
        return any.list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<MqttPacket>> serverPackets()
    {
        final Arbitrary<MqttPacket> any = Arbitraries.oneOf(
            publishes(),
            packetIds().map(PubAckPacket::new), packetIds().map(PubRecPacket::new),
            packetIds().map(PubRelPacket::new), packetIds().map(PubCompPacket::new), packetIds().map(UnsubAckPacket::new),
            Combinators.combine(packetIds(), Arbitraries.of(0, 1, 2, SubAckPacket.FAILURE).list().ofMinSize(1).ofMaxSize(10))
                .as((id, codes) -> new SubAckPacket(id, codes.stream().mapToInt(Integer::intValue).toArray())),
            Arbitraries.just(PingRespPacket.INSTANCE));
        return any.list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<ConnectPacket> connects()
    {
        final Arbitrary<Will> wills = Combinators.combine(topics().map(CodecFixtures::utf8), payloads(),
            Arbitraries.integers().between(0, 2), Arbitraries.of(true, false)).as(Will::new);
        final Arbitrary<String> ids = Arbitraries.strings().alpha().numeric().ofMaxLength(23);
        return Combinators.combine(Arbitraries.of(Dialect.class), Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 65535), ids, wills.injectNull(0.5),
                Arbitraries.strings().ofMaxLength(10).filter(MqttCodecProperties::isMqttString).injectNull(0.5),
                payloads().injectNull(0.5))
            .as((dialect, clean, keepAlive, id, will, user, password) -> new ConnectPacket(
                dialect == Dialect.MOTE ? "mote" : "MQTT", dialect == Dialect.MOTE ? 0 : 4, dialect,
                clean || id.isEmpty(), keepAlive, id, will, user, user == null ? null : password));
    }

    private static Arbitrary<MqttPacket> publishes()
    {
        return Combinators.combine(topics(), payloads(), Arbitraries.integers().between(0, 2), Arbitraries.of(true, false),
                Arbitraries.of(true, false), packetIds())
            .as((topic, payload, qos, retain, dup, id) ->
                PublishPacket.of(CodecFixtures.utf8(topic), payload, qos, retain, dup && qos > 0, qos > 0 ? id : 0));
    }

    /** Topics valid in both dialects: non-empty levels, no wildcards, no trailing '/'. */
    private static Arbitrary<String> topics()
    {
        return Arbitraries.strings().withChars("abcxyz09_-$é€").ofMinLength(1).ofMaxLength(8)
            .list().ofMinSize(1).ofMaxSize(4).map(levels -> String.join("/", levels));
    }

    private static Arbitrary<TopicFilter> filters()
    {
        return Arbitraries.strings().withChars("ab/+#é").ofMaxLength(12).map(f -> TopicFilter.parse(f, Dialect.MQTT));
    }

    private static Arbitrary<byte[]> payloads()
    {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
    }

    private static Arbitrary<Integer> packetIds()
    {
        return Arbitraries.integers().between(1, 65535);
    }

    private static boolean isMqttString(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return io.mote.engine.topic.Utf8.isValidMqttString(bytes, 0, bytes.length)
            && new String(bytes, StandardCharsets.UTF_8).equals(text);
    }
}
