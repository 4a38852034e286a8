package io.mote.broker.sessions;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A byte-level MQTT 3.1.1 client for session tests: it acknowledges only when told to, so a test
 * controls exactly what the broker still owes it. Blocking reads with a socket timeout.
 */
final class RawSession implements AutoCloseable
{
    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int PUBREC = 5;
    static final int PUBREL = 6;
    static final int PUBCOMP = 7;
    static final int SUBACK = 9;
    static final int PINGRESP = 13;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    /** Packets read while waiting for another one, handed out first by {@link #next()}. */
    private final java.util.ArrayDeque<Packet> early = new java.util.ArrayDeque<>();

    /** One packet as received. */
    record Packet(int firstByte, byte[] body)
    {
        int type()
        {
            return (firstByte & 0xF0) >>> 4;
        }

        boolean dup()
        {
            return (firstByte & 0x08) != 0;
        }

        int qos()
        {
            return (firstByte & 0x06) >>> 1;
        }

        boolean retain()
        {
            return (firstByte & 0x01) != 0;
        }

        String topic()
        {
            final int length = (body[0] & 0xFF) << 8 | body[1] & 0xFF;
            return new String(body, 2, length, StandardCharsets.UTF_8);
        }

        /** Of a QoS 1/2 PUBLISH, or of an ack. */
        int packetId()
        {
            final int at = type() == PUBLISH ? 2 + topic().getBytes(StandardCharsets.UTF_8).length : 0;
            return (body[at] & 0xFF) << 8 | body[at + 1] & 0xFF;
        }

        String payload()
        {
            final int at = 2 + topic().getBytes(StandardCharsets.UTF_8).length + (qos() > 0 ? 2 : 0);
            return new String(body, at, body.length - at, StandardCharsets.UTF_8);
        }
    }

    private RawSession(final int port) throws IOException
    {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends CONNECT and returns the CONNACK return code, whatever it is. */
    static int connectReturnCode(final int port, final String clientId, final boolean cleanSession) throws IOException
    {
        try (RawSession session = new RawSession(port))
        {
            session.sendConnect(clientId, cleanSession);
            final Packet connack = session.next();
            assertThat(connack.type()).isEqualTo(CONNACK);
            return connack.body()[1];
        }
    }

    /** Connects and returns whether the broker reported a session present. */
    static RawSession connect(final int port, final String clientId, final boolean cleanSession, final boolean[] sessionPresent) throws IOException
    {
        final RawSession session = new RawSession(port);
        session.sendConnect(clientId, cleanSession);
        final Packet connack = session.next();
        assertThat(connack.type()).isEqualTo(CONNACK);
        assertThat(connack.body()[1]).as("CONNACK return code").isZero();
        sessionPresent[0] = (connack.body()[0] & 0x01) != 0;
        return session;
    }

    private void sendConnect(final String clientId, final boolean cleanSession) throws IOException
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        utf8(body, "MQTT");
        body.write(4);
        body.write(cleanSession ? 0x02 : 0x00);
        body.write(0);
        body.write(0); // no keep-alive: tests may sit idle
        utf8(body, clientId);
        send(0x10, body.toByteArray());
    }

    /** SUBSCRIBE without waiting for the SUBACK. */
    void sendSubscribe(final int packetId, final String filter, final int qos) throws IOException
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        id(body, packetId);
        utf8(body, filter);
        body.write(qos);
        send(0x82, body.toByteArray());
    }

    void subscribe(final int packetId, final String filter, final int qos) throws IOException
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        id(body, packetId);
        utf8(body, filter);
        body.write(qos);
        send(0x82, body.toByteArray());
        final Packet suback = skipUntil(SUBACK);
        assertThat(suback.body()[2]).as("granted QoS").isEqualTo((byte)qos);
    }

    void publish(final String topic, final String payload, final int qos, final boolean retain, final boolean dup, final int packetId) throws IOException
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        utf8(body, topic);
        if (qos > 0)
        {
            id(body, packetId);
        }
        body.writeBytes(payload.getBytes(StandardCharsets.UTF_8));
        send(0x30 | (dup ? 0x08 : 0) | qos << 1 | (retain ? 1 : 0), body.toByteArray());
    }

    void ack(final int type, final int packetId) throws IOException
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        id(body, packetId);
        send(type << 4 | (type == PUBREL ? 0x02 : 0), body.toByteArray());
    }

    /** PINGREQ, then every packet up to PINGRESP: what the broker sent and nothing after it. */
    java.util.List<Packet> drainToPing() throws IOException
    {
        send(0xC0, new byte[0]);
        final java.util.List<Packet> packets = new java.util.ArrayList<>();
        for (Packet p = next(); p.type() != PINGRESP; p = next())
        {
            packets.add(p);
        }
        return packets;
    }

    void disconnect() throws IOException
    {
        send(0xE0, new byte[0]);
        socket.close();
    }

    /** Drops the connection without DISCONNECT. */
    @Override
    public void close() throws IOException
    {
        socket.close();
    }

    Packet next() throws IOException
    {
        if (!early.isEmpty())
        {
            return early.poll();
        }
        return read();
    }

    private Packet read() throws IOException
    {
        final int first = in.readUnsignedByte();
        int length = 0;
        int shift = 0;
        int b;
        do
        {
            b = in.readUnsignedByte();
            length |= (b & 0x7F) << shift;
            shift += 7;
        }
        while ((b & 0x80) != 0);
        final byte[] body = new byte[length];
        in.readFully(body);
        return new Packet(first, body);
    }

    private Packet skipUntil(final int type) throws IOException
    {
        for (Packet p = read(); ; p = read())
        {
            if (p.type() == type)
            {
                return p;
            }
            early.add(p);
        }
    }

    private void send(final int firstByte, final byte[] body) throws IOException
    {
        final ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(firstByte);
        int length = body.length;
        do
        {
            int digit = length % 128;
            length /= 128;
            packet.write(length > 0 ? digit | 0x80 : digit);
        }
        while (length > 0);
        packet.writeBytes(body);
        out.write(packet.toByteArray());
        out.flush();
    }

    private static void utf8(final ByteArrayOutputStream out, final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        id(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void id(final ByteArrayOutputStream out, final int value)
    {
        out.write(value >>> 8);
        out.write(value);
    }
}
