package io.mote.transport.server;

import java.nio.file.Path;

/**
 * Settings of the network side. Immutable; start from {@link #defaults()}.
 *
 * @param bindAddress        address the listeners bind to; loopback by default
 * @param port               MQTT over TCP (TLS when a certificate is set); 0 picks a free port
 * @param wsPort             MQTT over WebSocket, any path, subprotocol {@code mqtt}; 0 picks a free port, -1 disables it
 * @param tlsCert            PEM certificate chain; with {@code tlsKey}, both listeners speak TLS
 * @param tlsKey             PEM private key (PKCS#8)
 * @param mqttSpeaksMote     give {@code MQTT}/{@code MQIsdp} connections the mote dialect (PROTOCOL.md §1)
 * @param maxPacketSize      largest packet accepted, fixed header included, in bytes
 * @param inflightWindow     QoS 1/2 messages sent to a client and not yet acknowledged, per client
 * @param maxQueuedMessages  messages waiting for a client beyond which QoS 0 ones are dropped (and counted)
 * @param maxPendingMessages QoS 1/2 messages waiting for a client: from a twentieth of it, its QoS 1/2
 *                           publishers are held until it drains to a fortieth ({@code HeldPublishers});
 *                           beyond it, it is disconnected (online, a last resort), or further ones
 *                           are dropped (offline persistent session, which holds nobody)
 * @param ioThreads          Netty event loops; 0 means one per core
 */
public record TransportConfig(
    String bindAddress,
    int port,
    int wsPort,
    Path tlsCert,
    Path tlsKey,
    boolean mqttSpeaksMote,
    int maxPacketSize,
    int inflightWindow,
    int maxQueuedMessages,
    int maxPendingMessages,
    int ioThreads)
{
    /** Room for the default 16 MiB tree publish plus its topic and header. */
    public static final int DEFAULT_MAX_PACKET_SIZE = 16 * 1024 * 1024 + 64 * 1024;

    public TransportConfig
    {
        if (bindAddress == null || bindAddress.isBlank())
        {
            throw new IllegalArgumentException("bind address is required");
        }
        checkPort("port", port, false);
        checkPort("ws-port", wsPort, true);
        if ((tlsCert == null) != (tlsKey == null))
        {
            throw new IllegalArgumentException("TLS needs both a certificate and a key");
        }
        if (maxPacketSize < 64)
        {
            throw new IllegalArgumentException("max packet size must be at least 64 bytes, was " + maxPacketSize);
        }
        if (inflightWindow < 1 || inflightWindow > 65_535)
        {
            throw new IllegalArgumentException("inflight window must be 1..65535, was " + inflightWindow);
        }
        if (maxQueuedMessages < 1 || maxPendingMessages < maxQueuedMessages)
        {
            throw new IllegalArgumentException("need 1 <= max queued messages <= max pending messages");
        }
        if (ioThreads < 0)
        {
            throw new IllegalArgumentException("io threads must be >= 0");
        }
    }

    public static TransportConfig defaults()
    {
        return new TransportConfig("127.0.0.1", 1883, 8083, null, null, false, DEFAULT_MAX_PACKET_SIZE, 32, 10_000, 100_000, 0);
    }

    public boolean tls()
    {
        return tlsCert != null;
    }

    public TransportConfig withBindAddress(final String address)
    {
        return new TransportConfig(address, port, wsPort, tlsCert, tlsKey, mqttSpeaksMote, maxPacketSize, inflightWindow, maxQueuedMessages, maxPendingMessages, ioThreads);
    }

    public TransportConfig withPort(final int newPort)
    {
        return new TransportConfig(bindAddress, newPort, wsPort, tlsCert, tlsKey, mqttSpeaksMote, maxPacketSize, inflightWindow, maxQueuedMessages, maxPendingMessages, ioThreads);
    }

    public TransportConfig withWsPort(final int newWsPort)
    {
        return new TransportConfig(bindAddress, port, newWsPort, tlsCert, tlsKey, mqttSpeaksMote, maxPacketSize, inflightWindow, maxQueuedMessages, maxPendingMessages, ioThreads);
    }

    public TransportConfig withTls(final Path cert, final Path key)
    {
        return new TransportConfig(bindAddress, port, wsPort, cert, key, mqttSpeaksMote, maxPacketSize, inflightWindow, maxQueuedMessages, maxPendingMessages, ioThreads);
    }

    public TransportConfig withMqttSpeaksMote(final boolean mote)
    {
        return new TransportConfig(bindAddress, port, wsPort, tlsCert, tlsKey, mote, maxPacketSize, inflightWindow, maxQueuedMessages, maxPendingMessages, ioThreads);
    }

    public TransportConfig withMaxPacketSize(final int size)
    {
        return new TransportConfig(bindAddress, port, wsPort, tlsCert, tlsKey, mqttSpeaksMote, size, inflightWindow, maxQueuedMessages, maxPendingMessages, ioThreads);
    }

    public TransportConfig withInflightWindow(final int window)
    {
        return new TransportConfig(bindAddress, port, wsPort, tlsCert, tlsKey, mqttSpeaksMote, maxPacketSize, window, maxQueuedMessages, maxPendingMessages, ioThreads);
    }

    public TransportConfig withQueueBounds(final int queued, final int pending)
    {
        return new TransportConfig(bindAddress, port, wsPort, tlsCert, tlsKey, mqttSpeaksMote, maxPacketSize, inflightWindow, queued, pending, ioThreads);
    }

    public TransportConfig withIoThreads(final int threads)
    {
        return new TransportConfig(bindAddress, port, wsPort, tlsCert, tlsKey, mqttSpeaksMote, maxPacketSize, inflightWindow, maxQueuedMessages, maxPendingMessages, threads);
    }

    private static void checkPort(final String name, final int value, final boolean mayBeOff)
    {
        if (value > 65_535 || value < (mayBeOff ? -1 : 0))
        {
            throw new IllegalArgumentException(name + " must be " + (mayBeOff ? "-1 (off), " : "") + "0 (any) or 1..65535, was " + value);
        }
    }
}
