package io.mote.transport.server;

import io.mote.engine.Engine;
import io.mote.transport.codec.MqttDecoder;
import io.mote.transport.codec.MqttEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The listeners: MQTT over TCP and over WebSocket (any path, subprotocol {@code mqtt}), both with
 * TLS when a certificate is configured, on Netty's native epoll transport where available.
 *
 * <p>Each event loop gets its own {@link LoopFeeder} (its engine producer) the first time one of
 * its channels needs it.
 */
public final class MqttServer implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(MqttServer.class);

    private final TransportConfig config;
    private final Engine engine;
    private final SessionRegistry sessions;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final FastThreadLocal<LoopFeeder> feeders = new FastThreadLocal<>();
    private EventLoopGroup bossGroup;
    private EventLoopGroup workerGroup;
    private Channel tcpListener;
    private Channel wsListener;

    public MqttServer(final TransportConfig config, final Engine engine, final SessionRegistry sessions)
    {
        this.config = config;
        this.engine = engine;
        this.sessions = sessions;
    }

    /** Binds the listeners. @throws Exception with the address when a port cannot be bound */
    public void start() throws Exception
    {
        final boolean epoll = Epoll.isAvailable();
        final IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        final Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        bossGroup = new MultiThreadIoEventLoopGroup(1, io);
        // One loop per core, not Netty's two: every extra thread is more context switches, and a
        // switch is what costs most on the virtual machines brokers are benchmarked on.
        final int loops = config.ioThreads() > 0 ? config.ioThreads() : Runtime.getRuntime().availableProcessors();
        workerGroup = new MultiThreadIoEventLoopGroup(loops, io);
        final SslContext ssl = config.tls()
            ? SslContextBuilder.forServer(config.tlsCert().toFile(), config.tlsKey().toFile()).build()
            : null;
        try
        {
            tcpListener = bind(channelType, config.port(), new Initializer(ssl, false), "MQTT");
            if (config.wsPort() >= 0)
            {
                wsListener = bind(channelType, config.wsPort(), new Initializer(ssl, true), "WebSocket");
            }
        }
        catch (final Exception ex)
        {
            close();
            throw ex;
        }
        final String overTls = ssl != null ? " over TLS" : "";
        LOG.info("listening on {}:{} (MQTT{}){}; {} transport", config.bindAddress(), port(), overTls,
            wsListener != null ? " and " + config.bindAddress() + ":" + wsPort() + " (WebSocket" + overTls + ")" : "", epoll ? "epoll" : "NIO");
    }

    /** The bound MQTT port (useful when configured as 0). */
    public int port()
    {
        return ((InetSocketAddress)tcpListener.localAddress()).getPort();
    }

    /** The bound WebSocket port, or -1 when the listener is off. */
    public int wsPort()
    {
        return wsListener == null ? -1 : ((InetSocketAddress)wsListener.localAddress()).getPort();
    }

    public int connectionCount()
    {
        return channels.size();
    }

    /** Stops accepting, closes every connection (their wills are published), stops the loops. */
    @Override
    public void close()
    {
        if (tcpListener != null)
        {
            tcpListener.close().syncUninterruptibly();
        }
        if (wsListener != null)
        {
            wsListener.close().syncUninterruptibly();
        }
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (workerGroup != null)
        {
            workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (bossGroup != null)
        {
            bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private Channel bind(final Class<? extends ServerChannel> channelType, final int port, final Initializer initializer, final String what) throws Exception
    {
        final ServerBootstrap bootstrap = new ServerBootstrap()
            .group(bossGroup, workerGroup)
            .channel(channelType)
            .option(ChannelOption.SO_BACKLOG, 4096)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            // A subscriber of a busy wildcard gets its messages in large writes; the default 32/64 KiB
            // marks would stop a drain every ~800 small messages.
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 512 * 1024))
            .childHandler(initializer);
        try
        {
            return bootstrap.bind(config.bindAddress(), port).sync().channel();
        }
        catch (final Exception ex)
        {
            throw new java.io.IOException("cannot listen for " + what + " on " + config.bindAddress() + ":" + port + ": " + ex.getMessage(), ex);
        }
    }

    private LoopFeeder feeder(final EventLoop loop)
    {
        LoopFeeder feeder = feeders.get();
        if (feeder == null)
        {
            feeder = new LoopFeeder(engine, loop);
            feeders.set(feeder);
        }
        return feeder;
    }

    private final class Initializer extends ChannelInitializer<SocketChannel>
    {
        private final SslContext ssl;
        private final boolean webSocket;

        Initializer(final SslContext ssl, final boolean webSocket)
        {
            this.ssl = ssl;
            this.webSocket = webSocket;
        }

        @Override
        protected void initChannel(final SocketChannel channel)
        {
            channels.add(channel);
            final ChannelPipeline pipeline = channel.pipeline();
            if (ssl != null)
            {
                pipeline.addLast("tls", ssl.newHandler(channel.alloc()));
            }
            if (webSocket)
            {
                pipeline.addLast("http", new HttpServerCodec());
                pipeline.addLast("http-aggregator", new HttpObjectAggregator(65_536));
                pipeline.addLast("websocket", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                    .websocketPath("/")
                    .checkStartsWith(true)
                    .subprotocols("mqtt,mqttv3.1")
                    .maxFramePayloadLength(config.maxPacketSize())
                    .build()));
                pipeline.addLast("websocket-frames", WebSocketFrames.INSTANCE);
            }
            pipeline.addLast("mqtt-encoder", MqttEncoder.INSTANCE);
            pipeline.addLast("mqtt-decoder", MqttDecoder.forServer(config.maxPacketSize(), config.mqttSpeaksMote()));
            pipeline.addLast("mqtt", new MqttConnection(sessions, feeder(channel.eventLoop())));
        }
    }
}
