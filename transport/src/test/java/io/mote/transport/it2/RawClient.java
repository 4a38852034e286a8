package io.mote.transport.it2;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A deliberately dumb MQTT client on a plain socket: it hand-encodes the few packets the tests need,
 * answers nothing by itself (no PUBACK, no PINGREQ), and can vanish without DISCONNECT. That is what
 * Paho cannot do: leave a message unacknowledged, stop reading, or die abruptly.
 */
final class RawClient implements AutoCloseable
{
    static final int CONNACK = 2;
    static final int PUBLISH = 3;
    static final int PUBACK = 4;
    static final int PUBREC = 5;
    static final int PUBREL = 6;
    static final int PUBCOMP = 7;
    static final int SUBACK = 9;
    static final int UNSUBACK = 11;
    static final int PINGRESP = 13;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawClient(final Socket socket) throws IOException
    {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RawClient open(final int port) throws IOException
    {
        return open(port, 0);
    }

    /** @param receiveBuffer SO_RCVBUF to ask for before connecting (small = the socket fills quickly), 0 for the default */
    static RawClient open(final int port, final int receiveBuffer) throws IOException
    {
        final Socket socket = new Socket();
        if (receiveBuffer > 0)
        {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return new RawClient(socket);
    }

    /** Opens a socket, sends CONNECT (protocol MQTT level 4), and checks the CONNACK is 0 (accepted). */
    static RawClient connected(final int port, final String clientId, final boolean cleanSession) throws IOException
    {
        final RawClient client = open(port);
        client.send(connect("MQTT", 4, clientId, cleanSession, 0, null));
        final Packet connack = client.expect(CONNACK);
        assertThat(connack.connackCode()).as("CONNACK return code").isEqualTo(0);
        return client;
    }

    // ---- encoding ----

    record WillSpec(String topic, byte[] payload, int qos, boolean retain)
    {
    }

    static byte[] connect(final String protocol, final int level, final String clientId, final boolean cleanSession,
        final int keepAliveSeconds, final WillSpec will)
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        utf8(body, protocol);
        body.write(level);
        int flags = cleanSession ? 0x02 : 0;
        if (will != null)
        {
            flags |= 0x04 | will.qos() << 3 | (will.retain() ? 0x20 : 0);
        }
        body.write(flags);
        body.write(keepAliveSeconds >> 8);
        body.write(keepAliveSeconds & 0xFF);
        utf8(body, clientId);
        if (will != null)
        {
            utf8(body, will.topic());
            binary(body, will.payload());
        }
        return packet(0x10, body.toByteArray());
    }

    /** SUBSCRIBE with the given fixed-header flags and, per filter, the raw options byte. */
    static byte[] subscribe(final int headerFlags, final int packetId, final Object... filtersAndOptions)
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        packetId(body, packetId);
        for (int i = 0; i < filtersAndOptions.length; i += 2)
        {
            utf8(body, (String)filtersAndOptions[i]);
            body.write((Integer)filtersAndOptions[i + 1]);
        }
        return packet(0x80 | headerFlags, body.toByteArray());
    }

    static byte[] subscribe(final int packetId, final String filter, final int qos)
    {
        return subscribe(0x02, packetId, filter, qos);
    }

    static byte[] unsubscribe(final int headerFlags, final int packetId, final String... filters)
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        packetId(body, packetId);
        for (final String filter : filters)
        {
            utf8(body, filter);
        }
        return packet(0xA0 | headerFlags, body.toByteArray());
    }

    static byte[] publish(final String topic, final byte[] payload, final int qos, final boolean retain, final int packetId)
    {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        utf8(body, topic);
        if (qos > 0)
        {
            packetId(body, packetId);
        }
        body.writeBytes(payload);
        return packet(0x30 | qos << 1 | (retain ? 1 : 0), body.toByteArray());
    }

    static byte[] puback(final int packetId)
    {
        return idOnly(0x40, packetId);
    }

    static byte[] idOnlyPubrec(final int packetId)
    {
        return idOnly(0x50, packetId);
    }

    static byte[] pubcomp(final int packetId)
    {
        return idOnly(0x70, packetId);
    }

    static byte[] pubrel(final int headerFlags, final int packetId)
    {
        return idOnly(0x60 | headerFlags, packetId);
    }

    static byte[] pingreq()
    {
        return new byte[] {(byte)0xC0, 0};
    }

    static byte[] disconnect()
    {
        return new byte[] {(byte)0xE0, 0};
    }

    private static byte[] idOnly(final int firstByte, final int packetId)
    {
        return new byte[] {(byte)firstByte, 2, (byte)(packetId >> 8), (byte)packetId};
    }

    static byte[] packet(final int firstByte, final byte[] body)
    {
        final ByteArrayOutputStream frame = new ByteArrayOutputStream(body.length + 5);
        frame.write(firstByte);
        int length = body.length;
        do
        {
            int digit = length & 0x7F;
            length >>>= 7;
            if (length > 0)
            {
                digit |= 0x80;
            }
            frame.write(digit);
        }
        while (length > 0);
        frame.writeBytes(body);
        return frame.toByteArray();
    }

    private static void utf8(final ByteArrayOutputStream out, final String text)
    {
        binary(out, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void binary(final ByteArrayOutputStream out, final byte[] bytes)
    {
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xFF);
        out.writeBytes(bytes);
    }

    private static void packetId(final ByteArrayOutputStream out, final int packetId)
    {
        out.write(packetId >> 8);
        out.write(packetId & 0xFF);
    }

    // ---- socket ----

    void send(final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    /** The next packet, or null when none starts within {@code timeout}. @throws EOFException when the broker closed */
    Packet poll(final Duration timeout) throws IOException
    {
        socket.setSoTimeout((int)Math.max(1, timeout.toMillis()));
        final int first;
        try
        {
            first = in.read();
        }
        catch (final SocketTimeoutException ex)
        {
            return null;
        }
        if (first < 0)
        {
            throw new EOFException("connection closed by the broker");
        }
        // The rest of a started packet follows at once.
        socket.setSoTimeout(5_000);
        int length = 0;
        for (int shift = 0; ; shift += 7)
        {
            final int digit = readByte();
            length |= (digit & 0x7F) << shift;
            if ((digit & 0x80) == 0)
            {
                break;
            }
        }
        final byte[] body = in.readNBytes(length);
        if (body.length < length)
        {
            throw new EOFException("connection closed inside a packet");
        }
        return new Packet(first >>> 4, first & 0x0F, body);
    }

    /** The next packet, which must arrive within 5 s and be of this type. */
    Packet expect(final int type) throws IOException
    {
        final Packet packet = poll(Duration.ofSeconds(5));
        assertThat(packet).as("a packet of type %d within 5 s", type).isNotNull();
        assertThat(packet.type()).as("packet type of %s", packet).isEqualTo(type);
        return packet;
    }

    /** The next packet, which must arrive within 5 s and be of one of these two types. */
    Packet expect(final int type, final int otherType) throws IOException
    {
        final Packet packet = poll(Duration.ofSeconds(5));
        assertThat(packet).as("a packet of type %d or %d within 5 s", type, otherType).isNotNull();
        assertThat(packet.type()).as("packet type of %s", packet).isIn(type, otherType);
        return packet;
    }

    /** Sends PINGREQ and expects PINGRESP as the very next packet: proof that nothing else was on its way. */
    void expectNothingButPong() throws IOException
    {
        send(pingreq());
        expect(PINGRESP);
    }

    /**
     * Reads (and drops) whatever comes until the broker closes the connection.
     *
     * @return true when it closed within {@code timeout}
     */
    boolean closedWithin(final Duration timeout) throws IOException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        try
        {
            while (System.nanoTime() < deadline)
            {
                poll(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
            }
            return false;
        }
        catch (final EOFException | java.net.SocketException ex)
        {
            return true;
        }
    }

    private int readByte() throws IOException
    {
        final int b = in.read();
        if (b < 0)
        {
            throw new EOFException("connection closed inside a packet");
        }
        return b;
    }

    /** Closes the socket without DISCONNECT: an abnormal close as far as the broker can tell. */
    @Override
    public void close() throws IOException
    {
        socket.close();
    }

    /** Closes with RST (SO_LINGER 0), the most abrupt way to go. */
    void reset() throws IOException
    {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    record Packet(int type, int flags, byte[] body)
    {
        int qos()
        {
            return (flags >> 1) & 0x03;
        }

        boolean dup()
        {
            return (flags & 0x08) != 0;
        }

        boolean retain()
        {
            return (flags & 0x01) != 0;
        }

        int connackCode()
        {
            return body[1] & 0xFF;
        }

        boolean sessionPresent()
        {
            return (body[0] & 0x01) != 0;
        }

        /** PUBLISH topic. */
        String topic()
        {
            final int length = (body[0] & 0xFF) << 8 | body[1] & 0xFF;
            return new String(body, 2, length, StandardCharsets.UTF_8);
        }

        /** PUBLISH (QoS > 0) or any id-only ack. */
        int packetId()
        {
            if (type == PUBLISH)
            {
                final int at = 2 + topic().getBytes(StandardCharsets.UTF_8).length;
                return (body[at] & 0xFF) << 8 | body[at + 1] & 0xFF;
            }
            return (body[0] & 0xFF) << 8 | body[1] & 0xFF;
        }

        String payloadText()
        {
            final int at = 2 + topic().getBytes(StandardCharsets.UTF_8).length + (qos() > 0 ? 2 : 0);
            return new String(body, at, body.length - at, StandardCharsets.UTF_8);
        }

        /** SUBACK return codes. */
        int[] grantedCodes()
        {
            final int[] codes = new int[body.length - 2];
            for (int i = 0; i < codes.length; i++)
            {
                codes[i] = body[2 + i] & 0xFF;
            }
            return codes;
        }

        @Override
        public String toString()
        {
            return "Packet[type=" + type + ", flags=" + flags + ", " + body.length + " bytes"
                + (type == PUBLISH ? ", topic=" + topic() + ", payload=" + payloadText() : "") + "]";
        }
    }
}
