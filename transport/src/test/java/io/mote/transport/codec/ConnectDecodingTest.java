package io.mote.transport.codec;

import static io.mote.transport.codec.CodecFixtures.bytes;
import static io.mote.transport.codec.CodecFixtures.concat;
import static io.mote.transport.codec.CodecFixtures.connectPacket;
import static io.mote.transport.codec.CodecFixtures.feed;
import static io.mote.transport.codec.CodecFixtures.field;
import static io.mote.transport.codec.CodecFixtures.octets;
import static io.mote.transport.codec.CodecFixtures.packet;
import static io.mote.transport.codec.CodecFixtures.u16;
import static org.assertj.core.api.Assertions.assertThat;

import io.mote.engine.topic.Dialect;
import io.netty.channel.embedded.EmbeddedChannel;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** CONNECT: dialect selection, refusals with a CONNACK code, and malformed CONNECTs. */
class ConnectDecodingTest
{
    static Stream<Arguments> malformedConnects()
    {
        return Stream.of(
            Arguments.of("reserved flag bit 0", connectPacket("MQTT", 4, 0x03, field("c")), "reserved connect flag"),
            Arguments.of("will QoS 3", connectPacket("MQTT", 4, 0x1E, field("c"), field("w"), field("m")), "will QoS 3"),
            Arguments.of("will QoS without will flag", connectPacket("MQTT", 4, 0x0A, field("c")), "without the will flag"),
            Arguments.of("will retain without will flag", connectPacket("MQTT", 4, 0x22, field("c")), "without the will flag"),
            Arguments.of("password without username", connectPacket("MQTT", 4, 0x42, field("c"), field("p")), "password flag"),
            Arguments.of("client id ill-formed UTF-8", connectPacket("MQTT", 4, 0x02, field(octets(0xC0, 0x80))), "client identifier"),
            Arguments.of("client id with U+0000", connectPacket("MQTT", 4, 0x02, field(octets('a', 0))), "client identifier"),
            Arguments.of("user name ill-formed UTF-8", connectPacket("MQTT", 4, 0x82, field("c"), field(octets(0xED, 0xA0, 0x80))), "user name"),
            Arguments.of("will topic with partial wildcard", connectPacket("MQTT", 4, 0x06, field("c"), field("a+"), field("m")), "will topic"),
            Arguments.of("mote will topic with empty level", connectPacket("mote", 0, 0x06, field("c"), field("a//b"), field("m")), "empty level"),
            Arguments.of("truncated will message", connectPacket("MQTT", 4, 0x06, field("c"), field("w")), "truncated will message"),
            Arguments.of("missing client id", connectPacket("MQTT", 4, 0x02), "truncated client identifier"),
            Arguments.of("trailing bytes", connectPacket("MQTT", 4, 0x02, field("c"), octets(0)), "unexpected bytes"),
            Arguments.of("truncated protocol name", packet(0x10, u16(4), octets('M', 'Q')), "truncated protocol name"),
            Arguments.of("CONNECT with flags", concat(octets(0x11), java.util.Arrays.copyOfRange(bytes(CodecFixtures.connect(Dialect.MQTT)), 1, 100)),
                "must be 0000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedConnects")
    void shouldEmitMalformedPacketWhenConnectBreaksARule(final String name, final byte[] wire, final String reason)
    {
        final List<Object> decoded = feed(CodecFixtures.server(), wire);

        assertThat(decoded).singleElement().isInstanceOfSatisfying(MalformedPacket.class, malformed ->
        {
            assertThat(malformed.type()).isEqualTo(MqttMessageType.CONNECT);
            assertThat(malformed.reason()).contains(reason).doesNotContain("decoder fault");
        });
    }

    static Stream<Arguments> refusedConnects()
    {
        return Stream.of(
            Arguments.of("unknown protocol name", connectPacket("HTTP", 4, 0x02, field("c")), ConnectReturnCode.UNACCEPTABLE_PROTOCOL_VERSION),
            Arguments.of("lower-case mqtt", connectPacket("mqtt", 4, 0x02, field("c")), ConnectReturnCode.UNACCEPTABLE_PROTOCOL_VERSION),
            Arguments.of("MQTT level 5", connectPacket("MQTT", 5, 0x02, field("c")), ConnectReturnCode.UNACCEPTABLE_PROTOCOL_VERSION),
            Arguments.of("MQTT level 3", connectPacket("MQTT", 3, 0x02, field("c")), ConnectReturnCode.UNACCEPTABLE_PROTOCOL_VERSION),
            Arguments.of("MQIsdp level 4", connectPacket("MQIsdp", 4, 0x02, field("c")), ConnectReturnCode.UNACCEPTABLE_PROTOCOL_VERSION),
            Arguments.of("empty client id without clean session", connectPacket("MQTT", 4, 0x00, field("")), ConnectReturnCode.IDENTIFIER_REJECTED),
            Arguments.of("mote empty client id without clean session", connectPacket("mote", 0, 0x00, field("")), ConnectReturnCode.IDENTIFIER_REJECTED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedConnects")
    void shouldAskForRefusingConnAckWhenConnectIsWellFormedButUnacceptable(final String name, final byte[] wire,
                                                                          final ConnectReturnCode code)
    {
        final List<Object> decoded = feed(CodecFixtures.server(), wire);

        assertThat(decoded).singleElement().isInstanceOfSatisfying(ConnectRejected.class,
            rejected -> assertThat(rejected.returnCode()).isEqualTo(code));
    }

    @Test
    void shouldDiscardFollowingPacketsWhenConnectIsRefused()
    {
        final EmbeddedChannel channel = CodecFixtures.server();

        final List<Object> decoded = feed(channel, concat(connectPacket("XMPP", 1, 0x02, field("c")), bytes(PingReqPacket.INSTANCE)));

        assertThat(decoded).singleElement().isInstanceOf(ConnectRejected.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 4, 255})
    void shouldSelectMoteDialectWhenProtocolNameIsMoteWhateverTheLevel(final int level)
    {
        final List<Object> decoded = feed(CodecFixtures.server(), connectPacket("mote", level, 0x02, field("c")));

        assertThat(decoded).singleElement().isInstanceOfSatisfying(ConnectPacket.class,
            connect -> assertThat(connect.dialect()).isEqualTo(Dialect.MOTE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"MQTT", "MQIsdp"})
    void shouldSelectMqttDialectWhenProtocolNameIsMqtt(final String name)
    {
        final List<Object> decoded = feed(CodecFixtures.server(), connectPacket(name, name.equals("MQTT") ? 4 : 3, 0x02, field("c")));

        assertThat(((ConnectPacket) decoded.get(0)).dialect()).isEqualTo(Dialect.MQTT);
    }

    @Test
    void shouldSelectMoteDialectWhenBrokerMakesMqttNamesSpeakMote()
    {
        final EmbeddedChannel channel = new EmbeddedChannel(MqttDecoder.forServer(1024, true));

        final List<Object> decoded = feed(channel, connectPacket("MQTT", 4, 0x02, field("c")));

        assertThat(((ConnectPacket) decoded.get(0)).dialect()).isEqualTo(Dialect.MOTE);
    }

    @Test
    void shouldAcceptEmptyClientIdWhenCleanSessionIsSet()
    {
        final List<Object> decoded = feed(CodecFixtures.server(), connectPacket("MQTT", 4, 0x02, field("")));

        assertThat(((ConnectPacket) decoded.get(0)).clientId()).isEmpty();
    }

    @Test
    void shouldEmitMalformedPacketWhenFirstPacketIsNotConnect()
    {
        final List<Object> decoded = feed(CodecFixtures.server(), bytes(PingReqPacket.INSTANCE));

        assertThat(decoded).singleElement().isInstanceOfSatisfying(MalformedPacket.class,
            malformed -> assertThat(malformed.reason()).contains("first packet must be CONNECT"));
    }

    @Test
    void shouldApplyTheNewDialectWhenPacketsFollowConnectInTheSameRead()
    {
        final EmbeddedChannel channel = CodecFixtures.server();

        final List<Object> decoded = feed(channel, concat(bytes(CodecFixtures.connect(Dialect.MOTE)), octets(0x60, 0x02, 0x00, 0x01)));

        assertThat(decoded).hasSize(2);
        assertThat(decoded.get(1)).isEqualTo(new PubRelPacket(1));
    }
}
