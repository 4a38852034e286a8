package io.mote.transport.codec;

import io.mote.engine.topic.Dialect;

import java.util.Arrays;
import java.util.Objects;

/**
 * CONNECT, after every check a server must make (see {@link MqttDecoder}); a CONNECT that must be
 * refused with a CONNACK code arrives as {@link ConnectRejected} instead.
 *
 * @param protocolName     {@code MQTT}, {@code MQIsdp} or {@code mote} when decoded; sent as given when encoded
 * @param protocolLevel    4 for MQTT, 3 for MQIsdp, anything for mote
 * @param dialect          the dialect the connection speaks from now on; ignored by the encoder
 * @param cleanSession     clean session flag
 * @param keepAliveSeconds 0..65535; 0 disables the keep-alive timeout
 * @param clientId         may be empty only with a clean session
 * @param will             null when the will flag is clear
 * @param username         null when the username flag is clear
 * @param password         null when the password flag is clear; not copied
 */
public record ConnectPacket(
    String protocolName,
    int protocolLevel,
    Dialect dialect,
    boolean cleanSession,
    int keepAliveSeconds,
    String clientId,
    Will will,
    String username,
    byte[] password) implements MqttPacket
{
    public ConnectPacket
    {
        Objects.requireNonNull(protocolName, "protocolName");
        Objects.requireNonNull(clientId, "clientId");
        if (password != null && username == null)
        {
            throw new IllegalArgumentException("MQTT 3.1.1 forbids a password without a username");
        }
    }

    @Override
    public MqttMessageType type()
    {
        return MqttMessageType.CONNECT;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof ConnectPacket that
            && protocolLevel == that.protocolLevel
            && cleanSession == that.cleanSession
            && keepAliveSeconds == that.keepAliveSeconds
            && dialect == that.dialect
            && protocolName.equals(that.protocolName)
            && clientId.equals(that.clientId)
            && Objects.equals(will, that.will)
            && Objects.equals(username, that.username)
            && Arrays.equals(password, that.password);
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(protocolName, protocolLevel, dialect, cleanSession, keepAliveSeconds, clientId, will, username)
            * 31 + Arrays.hashCode(password);
    }

    /** Leaves the password out so that a logged packet never leaks it. */
    @Override
    public String toString()
    {
        return "ConnectPacket[" + protocolName + " level " + protocolLevel + ", dialect=" + dialect
            + ", clientId=" + clientId + ", cleanSession=" + cleanSession + ", keepAlive=" + keepAliveSeconds
            + ", will=" + will + ", username=" + username + ", password=" + (password == null ? "none" : "***") + "]";
    }
}
