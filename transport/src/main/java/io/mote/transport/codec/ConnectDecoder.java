package io.mote.transport.codec;

import io.mote.engine.topic.Dialect;
import io.mote.engine.topic.TopicKind;
import io.mote.engine.topic.TopicSyntax;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes the body of a CONNECT (MQTT 3.1.1 §3.1) and picks the connection's dialect from the
 * protocol name (PROTOCOL.md §1). Stateless.
 *
 * <p>Order matters: an unknown protocol name or level is refused with CONNACK 0x01 before anything
 * else is read, since the rest may follow another specification; every other rule is checked before
 * the client id rule, because a malformed packet is closed without any CONNACK at all.
 */
final class ConnectDecoder
{
    private static final byte[] MQTT = "MQTT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MQISDP = "MQIsdp".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MOTE = "mote".getBytes(StandardCharsets.US_ASCII);

    private static final int RESERVED = 0x01;
    private static final int CLEAN_SESSION = 0x02;
    private static final int WILL = 0x04;
    private static final int WILL_QOS_SHIFT = 3;
    private static final int WILL_RETAIN = 0x20;
    private static final int PASSWORD = 0x40;
    private static final int USERNAME = 0x80;

    private ConnectDecoder()
    {
    }

    /**
     * @param mqttNamesSpeakMote the broker setting that makes {@code MQTT} and {@code MQIsdp} connections
     *                           speak the mote dialect
     * @return a {@link ConnectPacket} or a {@link ConnectRejected}
     */
    static Object decode(final PacketReader in, final boolean mqttNamesSpeakMote)
    {
        final byte[] name = in.readBinary("protocol name");
        final int level = in.readUnsignedByte("protocol level");
        final String protocolName;
        final Dialect dialect;
        if (Arrays.equals(name, MOTE))
        {
            protocolName = "mote";
            dialect = Dialect.MOTE;
        }
        else if (Arrays.equals(name, MQTT) || Arrays.equals(name, MQISDP))
        {
            protocolName = name.length == MQTT.length ? "MQTT" : "MQIsdp";
            final int supportedLevel = name.length == MQTT.length ? 4 : 3;
            if (level != supportedLevel)
            {
                return new ConnectRejected(ConnectReturnCode.UNACCEPTABLE_PROTOCOL_VERSION,
                    "CONNECT: protocol " + protocolName + " level " + level + " is not supported (MQTT-3.1.2-2)");
            }
            dialect = mqttNamesSpeakMote ? Dialect.MOTE : Dialect.MQTT;
        }
        else
        {
            return new ConnectRejected(ConnectReturnCode.UNACCEPTABLE_PROTOCOL_VERSION,
                "CONNECT: unknown protocol name " + DecodeException.quote(name));
        }

        final int flags = in.readUnsignedByte("connect flags");
        if ((flags & RESERVED) != 0)
        {
            throw in.error("reserved connect flag bit 0 is set (MQTT-3.1.2-3)");
        }
        final boolean willFlag = (flags & WILL) != 0;
        final int willQos = (flags >> WILL_QOS_SHIFT) & 0x03;
        final boolean willRetain = (flags & WILL_RETAIN) != 0;
        if (willQos == 3)
        {
            throw in.error("will QoS 3 is invalid (MQTT-3.1.2-14)");
        }
        if (!willFlag && (willQos != 0 || willRetain))
        {
            throw in.error("will QoS or will retain set without the will flag (MQTT-3.1.2-13, -15)");
        }
        final boolean usernameFlag = (flags & USERNAME) != 0;
        final boolean passwordFlag = (flags & PASSWORD) != 0;
        if (passwordFlag && !usernameFlag)
        {
            throw in.error("password flag set without the username flag (MQTT-3.1.2-22)");
        }
        final boolean cleanSession = (flags & CLEAN_SESSION) != 0;
        final int keepAlive = in.readUnsignedShort("keep alive");

        final String clientId = in.readUtf8("client identifier");
        final Will will = willFlag ? readWill(in, willQos, willRetain, dialect) : null;
        final String username = usernameFlag ? in.readUtf8("user name") : null;
        final byte[] password = passwordFlag ? in.readBinary("password") : null;
        in.expectEnd();

        if (clientId.isEmpty() && !cleanSession)
        {
            return new ConnectRejected(ConnectReturnCode.IDENTIFIER_REJECTED,
                "CONNECT: empty client identifier needs clean session (MQTT-3.1.3-8)");
        }
        return new ConnectPacket(protocolName, level, dialect, cleanSession, keepAlive, clientId, will, username, password);
    }

    private static Will readWill(final PacketReader in, final int qos, final boolean retain, final Dialect dialect)
    {
        final byte[] topic = in.readUtf8Bytes("will topic");
        final TopicKind kind = TopicSyntax.classifyTopic(topic, 0, topic.length, dialect);
        if (!kind.isValid())
        {
            throw in.error("will topic " + DecodeException.quote(topic) + ": " + kind.problem());
        }
        return new Will(topic, in.readBinary("will message"), qos, retain);
    }
}
