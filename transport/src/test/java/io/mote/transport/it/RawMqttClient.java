package io.mote.transport.it;

import io.mote.engine.topic.Dialect;
import io.mote.transport.codec.ConnAckPacket;
import io.mote.transport.codec.ConnectPacket;
import io.mote.transport.codec.DecodeFailure;
import io.mote.transport.codec.DisconnectPacket;
import io.mote.transport.codec.MqttDecoder;
import io.mote.transport.codec.MqttEncoder;
import io.mote.transport.codec.MqttPacket;
import io.mote.transport.codec.PingReqPacket;
import io.mote.transport.codec.PingRespPacket;
import io.mote.transport.codec.PubAckPacket;
import io.mote.transport.codec.PubCompPacket;
import io.mote.transport.codec.PubRecPacket;
import io.mote.transport.codec.PubRelPacket;
import io.mote.transport.codec.PublishPacket;
import io.mote.transport.codec.SubAckPacket;
import io.mote.transport.codec.SubscribePacket;
import io.mote.transport.codec.Subscription;
import io.mote.transport.codec.TopicFilter;
import io.mote.transport.codec.UnsubAckPacket;
import io.mote.transport.codec.UnsubscribePacket;
import io.mote.transport.codec.Will;
import io.mote.transport.server.TransportConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small MQTT client for integration tests: a real socket (TCP, or WebSocket with subprotocol
 * {@code mqtt} and binary frames), the project's own codec ({@link MqttEncoder} and
 * {@link MqttDecoder#forClient}), and blocking calls that wait for the broker's answer.
 *
 * <p>It speaks protocol name {@code mote} (level 0) or {@code MQTT} level 4, answers every QoS 1/2
 * delivery (PUBACK, PUBREC then PUBCOMP on PUBREL) and queues each received PUBLISH once. Anything
 * the broker sends that the client-side decoder refuses is recorded in {@link #protocolErrors()},
 * so a test can assert the broker never spoke malformed MQTT. {@link #sendRaw} bypasses the codec.
 *
 * <p>All clients share one small daemon event loop group, so hundreds of sockets are cheap.
 */
public final class RawMqttClient implements AutoCloseable
{
    /** How long a blocking call waits for the broker before failing the test. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final EventLoopGroup GROUP =
        new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("raw-mqtt-client", true), NioIoHandler.newFactory());

    /** One received PUBLISH, copied out of its buffers. */
    public record Received(String topic, byte[] payload, int qos, boolean retain, boolean dup)
    {
        public String payloadText()
        {
            return new String(payload, StandardCharsets.UTF_8);
        }

        @Override
        public String toString()
        {
            return "Received[" + topic + " = " + payloadText() + ", qos " + qos + (retain ? ", retain" : "") + (dup ? ", dup" : "") + "]";
        }
    }

    /** One inbound WebSocket frame as it came off the wire (WebSocket flavour only). */
    public record Frame(boolean continuation, boolean finalFragment, byte[] content)
    {
    }

    private final Dialect dialect;
    private final boolean webSocket;
    private final Channel channel;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final Map<Integer, CompletableFuture<MqttPacket>> pending = new ConcurrentHashMap<>();
    private final Queue<CompletableFuture<Void>> pings = new ConcurrentLinkedQueue<>();
    private final CompletableFuture<ConnAckPacket> connAck = new CompletableFuture<>();
    private final Set<Integer> inboundQos2 = ConcurrentHashMap.newKeySet();
    private final List<String> protocolErrors = new CopyOnWriteArrayList<>();
    private final List<Frame> frames = new CopyOnWriteArrayList<>();
    private final List<MqttPacket> unsolicited = new CopyOnWriteArrayList<>();
    private final AtomicInteger nextPacketId = new AtomicInteger();

    private RawMqttClient(final Dialect dialect, final boolean webSocket, final String host, final int port) throws Exception
    {
        this.dialect = dialect;
        this.webSocket = webSocket;
        final CompletableFuture<Void> handshake = new CompletableFuture<>();
        final Bootstrap bootstrap = new Bootstrap()
            .group(GROUP)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)TIMEOUT.toMillis())
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel ch)
                {
                    final ChannelPipeline pipeline = ch.pipeline();
                    if (webSocket)
                    {
                        pipeline.addLast(new HttpClientCodec());
                        pipeline.addLast(new HttpObjectAggregator(65_536));
                        pipeline.addLast(new WebSocketClientProtocolHandler(WebSocketClientHandshakerFactory.newHandshaker(
                            URI.create("ws://" + host + ":" + port + "/mqtt"), WebSocketVersion.V13, "mqtt", false,
                            new DefaultHttpHeaders(), TransportConfig.DEFAULT_MAX_PACKET_SIZE)));
                        pipeline.addLast(new HandshakeListener(handshake));
                        pipeline.addLast(new FrameAdapter());
                    }
                    pipeline.addLast(MqttEncoder.INSTANCE);
                    pipeline.addLast(MqttDecoder.forClient(dialect, TransportConfig.DEFAULT_MAX_PACKET_SIZE));
                    pipeline.addLast(new Handler());
                }
            });
        channel = bootstrap.connect(host, port).sync().channel();
        if (webSocket)
        {
            await(handshake, "WebSocket handshake");
        }
    }

    /** A TCP socket to the broker; no MQTT packet sent yet. */
    public static RawMqttClient tcp(final int port, final Dialect dialect) throws Exception
    {
        return new RawMqttClient(dialect, false, "127.0.0.1", port);
    }

    /** A WebSocket (subprotocol {@code mqtt}) to the broker, handshake done; no MQTT packet sent yet. */
    public static RawMqttClient webSocket(final int port, final Dialect dialect) throws Exception
    {
        return new RawMqttClient(dialect, true, "127.0.0.1", port);
    }

    /** Opens a TCP socket and connects with a clean session and no will; fails unless accepted. */
    public static RawMqttClient connected(final int port, final Dialect dialect, final String clientId) throws Exception
    {
        return connected(tcp(port, dialect), clientId);
    }

    /** Same as {@link #connected(int, Dialect, String)} over the WebSocket listener. */
    public static RawMqttClient connectedWebSocket(final int wsPort, final Dialect dialect, final String clientId) throws Exception
    {
        return connected(webSocket(wsPort, dialect), clientId);
    }

    private static RawMqttClient connected(final RawMqttClient client, final String clientId)
    {
        final ConnAckPacket ack = client.connect(clientId, true, 0, null);
        if (ack.returnCode().value() != 0)
        {
            client.close();
            throw new AssertionError("CONNECT of " + clientId + " refused: " + ack);
        }
        return client;
    }

    public Dialect dialect()
    {
        return dialect;
    }

    /** Sends CONNECT ({@code mote} level 0 or {@code MQTT} level 4) and waits for CONNACK. */
    public ConnAckPacket connect(final String clientId, final boolean cleanSession, final int keepAliveSeconds, final Will will)
    {
        final ConnectPacket connect = dialect == Dialect.MOTE
            ? new ConnectPacket("mote", 0, dialect, cleanSession, keepAliveSeconds, clientId, will, null, null)
            : new ConnectPacket("MQTT", 4, dialect, cleanSession, keepAliveSeconds, clientId, will, null, null);
        write(connect);
        return awaitAnswer(connAck, "CONNACK");
    }

    /** One SUBSCRIBE with every filter at the same requested QoS; returns the SUBACK codes. */
    public int[] subscribe(final int qos, final String... filters)
    {
        final List<Subscription> subscriptions = new ArrayList<>();
        for (final String filter : filters)
        {
            subscriptions.add(new Subscription(TopicFilter.parse(filter, dialect), qos));
        }
        final int packetId = packetId();
        final SubAckPacket ack = (SubAckPacket)request(packetId, new SubscribePacket(packetId, subscriptions), "SUBACK");
        return ack.returnCodes();
    }

    /** One UNSUBSCRIBE; waits for UNSUBACK. */
    public void unsubscribe(final String... filters)
    {
        final List<TopicFilter> list = new ArrayList<>();
        for (final String filter : filters)
        {
            list.add(TopicFilter.parse(filter, dialect));
        }
        final int packetId = packetId();
        request(packetId, new UnsubscribePacket(packetId, list), "UNSUBACK");
    }

    /** Publishes and, at QoS 1 or 2, waits until the flow completes (PUBACK, or PUBREC/PUBREL/PUBCOMP). */
    public void publish(final String topic, final byte[] payload, final int qos, final boolean retain)
    {
        final byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
        if (qos == 0)
        {
            write(PublishPacket.of(topicBytes, payload, 0, retain, false, 0));
            return;
        }
        final int packetId = packetId();
        request(packetId, PublishPacket.of(topicBytes, payload, qos, retain, false, packetId), qos == 1 ? "PUBACK" : "PUBCOMP");
    }

    public void publish(final String topic, final String payload, final int qos, final boolean retain)
    {
        publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos, retain);
    }

    /**
     * PINGREQ and wait for PINGRESP. The broker answers packets of a connection in order, so
     * everything it had written to this socket before handling the PINGREQ has arrived by now.
     *
     * @return false when the connection is (or gets) closed instead
     */
    public boolean ping()
    {
        if (!channel.isActive())
        {
            return false;
        }
        final CompletableFuture<Void> pong = new CompletableFuture<>();
        pings.add(pong);
        write(PingReqPacket.INSTANCE);
        try
        {
            pong.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        }
        catch (final ExecutionException ex)
        {
            return false;
        }
        catch (final InterruptedException | TimeoutException ex)
        {
            throw new AssertionError("no PINGRESP within " + TIMEOUT, ex);
        }
    }

    /** Writes bytes as they are (in one binary frame on WebSocket), bypassing the encoder. */
    public void sendRaw(final byte[] bytes)
    {
        write(Unpooled.wrappedBuffer(bytes));
    }

    /**
     * Writes hand-built bytes of a request carrying {@code packetId} (SUBSCRIBE, UNSUBSCRIBE, PUBREL,
     * QoS 1/2 PUBLISH) and waits for the broker's answer to that id.
     */
    public MqttPacket sendRawAndAwait(final int packetId, final byte[] bytes, final String answer)
    {
        return request(packetId, Unpooled.wrappedBuffer(bytes), answer);
    }

    /** WebSocket flavour: writes one frame as given (for fragmentation tests). */
    public void sendFrame(final WebSocketFrame frame)
    {
        if (!webSocket)
        {
            throw new IllegalStateException("not a WebSocket client");
        }
        write(frame);
    }

    /** Sends DISCONNECT and waits for the broker to close the socket. */
    public void disconnect()
    {
        write(DisconnectPacket.INSTANCE);
        if (!awaitClosed(TIMEOUT))
        {
            channel.close();
        }
    }

    /** @return true once the socket is closed (by the broker, unless this client closed it) within the timeout */
    public boolean awaitClosed(final Duration timeout)
    {
        return channel.closeFuture().awaitUninterruptibly(timeout.toMillis());
    }

    /** This end's address as the broker logs it, e.g. {@code /127.0.0.1:40122}. */
    public String localAddress()
    {
        return String.valueOf(channel.localAddress());
    }

    public boolean isOpen()
    {
        return channel.isActive();
    }

    /** The next received PUBLISH, or null after the timeout. */
    public Received poll(final Duration timeout) throws InterruptedException
    {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next received PUBLISH; fails the test after {@link #TIMEOUT}. */
    public Received take() throws InterruptedException
    {
        final Received next = poll(TIMEOUT);
        if (next == null)
        {
            throw new AssertionError("no PUBLISH received within " + TIMEOUT);
        }
        return next;
    }

    /** Removes and returns every PUBLISH received so far. */
    public List<Received> drainReceived()
    {
        final List<Received> all = new ArrayList<>();
        received.drainTo(all);
        return all;
    }

    /** What the broker sent that the client-side decoder refused; empty when the broker spoke valid MQTT. */
    public List<String> protocolErrors()
    {
        return protocolErrors;
    }

    /** Acknowledgements for packet ids no call waited for (answers to {@link #sendRaw} requests). */
    public List<MqttPacket> unsolicitedAnswers()
    {
        return unsolicited;
    }

    /** WebSocket flavour: every inbound binary or continuation frame, in arrival order. */
    public List<Frame> frames()
    {
        return frames;
    }

    @Override
    public void close()
    {
        channel.close().awaitUninterruptibly(TIMEOUT.toMillis());
    }

    @Override
    public String toString()
    {
        return "RawMqttClient[" + dialect + (webSocket ? ", ws" : "") + ", " + channel + "]";
    }

    /** Every write goes through here so that a write the codec refuses is reported, not lost. */
    private void write(final Object message)
    {
        channel.writeAndFlush(message).addListener(f ->
        {
            if (!f.isSuccess() && channel.isActive())
            {
                protocolErrors.add("write of " + message + " failed: " + f.cause());
            }
        });
    }

    private int packetId()
    {
        return nextPacketId.updateAndGet(id -> id >= 0xFFFF ? 1 : id + 1);
    }

    private MqttPacket request(final int packetId, final Object packet, final String answer)
    {
        final CompletableFuture<MqttPacket> future = new CompletableFuture<>();
        pending.put(packetId, future);
        if (!channel.isActive())
        {
            pending.remove(packetId);
            throw new AssertionError(answer + " never comes: connection closed");
        }
        write(packet);
        return awaitAnswer(future, answer);
    }

    private static <T> T await(final CompletableFuture<T> future, final String what)
    {
        try
        {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException ex)
        {
            throw new AssertionError(what + " never came: " + ex.getCause().getMessage(), ex.getCause());
        }
        catch (final InterruptedException | TimeoutException ex)
        {
            throw new AssertionError("no " + what + " within " + TIMEOUT, ex);
        }
    }

    private <T> T awaitAnswer(final CompletableFuture<T> future, final String what)
    {
        try
        {
            return await(future, what);
        }
        catch (final AssertionError ex)
        {
            throw new AssertionError(ex.getMessage() + " on " + this + (protocolErrors.isEmpty() ? "" : "; " + protocolErrors), ex);
        }
    }

    private final class Handler extends ChannelInboundHandlerAdapter
    {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            try
            {
                onPacket(ctx, msg);
            }
            finally
            {
                ReferenceCountUtil.release(msg);
            }
        }

        private void onPacket(final ChannelHandlerContext ctx, final Object msg)
        {
            if (msg instanceof PublishPacket publish)
            {
                onPublish(ctx, publish);
            }
            else if (msg instanceof ConnAckPacket ack)
            {
                connAck.complete(ack);
            }
            else if (msg instanceof SubAckPacket ack)
            {
                complete(ack.packetId(), ack);
            }
            else if (msg instanceof UnsubAckPacket ack)
            {
                complete(ack.packetId(), ack);
            }
            else if (msg instanceof PubAckPacket ack)
            {
                complete(ack.packetId(), ack);
            }
            else if (msg instanceof PubRecPacket rec)
            {
                write(new PubRelPacket(rec.packetId()));
            }
            else if (msg instanceof PubCompPacket comp)
            {
                complete(comp.packetId(), comp);
            }
            else if (msg instanceof PubRelPacket rel)
            {
                inboundQos2.remove(rel.packetId());
                write(new PubCompPacket(rel.packetId()));
            }
            else if (msg == PingRespPacket.INSTANCE)
            {
                final CompletableFuture<Void> pong = pings.poll();
                if (pong != null)
                {
                    pong.complete(null);
                }
            }
            else if (msg instanceof DecodeFailure failure)
            {
                protocolErrors.add(failure.reason());
                ctx.close();
            }
            else
            {
                protocolErrors.add("unexpected " + msg);
            }
        }

        private void onPublish(final ChannelHandlerContext ctx, final PublishPacket publish)
        {
            final Received message = new Received(publish.topicText(), ByteBufUtil.getBytes(publish.payload()),
                publish.qos(), publish.retainFlag(), publish.dup());
            switch (publish.qos())
            {
                case 0 -> received.add(message);
                case 1 ->
                {
                    received.add(message);
                    write(new PubAckPacket(publish.packetId()));
                }
                default ->
                {
                    // Exactly once: a redelivery before PUBREL is the same message.
                    if (inboundQos2.add(publish.packetId()))
                    {
                        received.add(message);
                    }
                    write(new PubRecPacket(publish.packetId()));
                }
            }
        }

        private void complete(final int packetId, final MqttPacket answer)
        {
            final CompletableFuture<MqttPacket> future = pending.remove(packetId);
            if (future == null)
            {
                // An answer to a request sent with sendRaw: valid MQTT, just not awaited.
                unsolicited.add(answer);
            }
            else
            {
                future.complete(answer);
            }
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            final IllegalStateException closed = new IllegalStateException("connection closed");
            connAck.completeExceptionally(closed);
            pending.values().forEach(f -> f.completeExceptionally(closed));
            pending.clear();
            for (CompletableFuture<Void> pong; (pong = pings.poll()) != null; )
            {
                pong.completeExceptionally(closed);
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            // A reset by the broker is one way of being closed; nothing to record.
            ctx.close();
        }
    }

    /** Waits for the client handshake before the test may write MQTT. */
    private static final class HandshakeListener extends ChannelInboundHandlerAdapter
    {
        private final CompletableFuture<Void> done;

        HandshakeListener(final CompletableFuture<Void> done)
        {
            this.done = done;
        }

        @Override
        public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt)
        {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE)
            {
                done.complete(null);
            }
            else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT)
            {
                done.completeExceptionally(new IllegalStateException("WebSocket handshake timed out"));
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            done.completeExceptionally(new IllegalStateException("closed during the WebSocket handshake"));
            ctx.fireChannelInactive();
        }
    }

    /** Outbound bytes become one binary frame each; inbound frames are recorded, then their bytes go to the decoder. */
    private final class FrameAdapter extends MessageToMessageCodec<WebSocketFrame, ByteBuf>
    {
        @Override
        protected void encode(final ChannelHandlerContext ctx, final ByteBuf bytes, final List<Object> out)
        {
            out.add(new BinaryWebSocketFrame(bytes.retain()));
        }

        @Override
        protected void decode(final ChannelHandlerContext ctx, final WebSocketFrame frame, final List<Object> out)
        {
            if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame)
            {
                frames.add(new Frame(frame instanceof ContinuationWebSocketFrame, frame.isFinalFragment(), ByteBufUtil.getBytes(frame.content())));
                out.add(frame.content().retain());
            }
            else
            {
                protocolErrors.add("unexpected WebSocket frame " + frame);
            }
        }
    }

    /** For tests that assemble raw packets: the bytes of {@code packet} as the project's encoder writes them. */
    public static byte[] encode(final MqttPacket packet)
    {
        final ByteBuf buf = Unpooled.buffer(MqttEncoder.encodedSize(packet));
        try
        {
            MqttEncoder.encode(packet, buf);
            return ByteBufUtil.getBytes(buf);
        }
        finally
        {
            buf.release();
            ReferenceCountUtil.release(packet);
        }
    }

    /** Concatenates byte arrays (raw packet building). */
    public static byte[] concat(final byte[]... parts)
    {
        int length = 0;
        for (final byte[] part : parts)
        {
            length += part.length;
        }
        final byte[] all = new byte[length];
        int at = 0;
        for (final byte[] part : parts)
        {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
