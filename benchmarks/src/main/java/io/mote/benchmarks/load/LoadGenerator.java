package io.mote.benchmarks.load;

import io.mote.transport.codec.MqttDecoder;
import io.mote.transport.codec.MqttEncoder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The end-to-end load generator: many MQTT or Mote connections per Netty (epoll) thread against a
 * broker on this machine. Every result carries the generator's own CPU use next to the broker's, so a
 * result limited by the generator shows as such. Scenarios: {@link TrafficScenario} (fan-in, fan-out,
 * fixed rate, QoS 1/2, tree batches, soak), {@link SnapshotScenario}, {@link StormScenario} (storm, idle).
 * Run {@code benchmarks/load.sh --help} for the presets and options.
 */
public final class LoadGenerator
{
    private final LoadOptions options;
    private final EventLoopGroup group;
    /**
     * Subscribers read on their own thread: sharing a loop with publishers that write as fast as
     * the broker accepts, they would read late and the generator, not the broker, would set the
     * delivered rate.
     */
    private final EventLoopGroup receivers;
    private final boolean epoll;

    private LoadGenerator(final LoadOptions options, final EventLoopGroup group, final EventLoopGroup receivers, final boolean epoll)
    {
        this.options = options;
        this.group = group;
        this.receivers = receivers;
        this.epoll = epoll;
    }

    public static void main(final String[] args) throws Exception
    {
        final LoadOptions options;
        try
        {
            options = LoadOptions.parse(args);
        }
        catch (final IllegalArgumentException ex)
        {
            System.err.println("load generator: " + ex.getMessage());
            System.err.println(LoadOptions.usage());
            System.exit(2);
            return;
        }
        if (options.help())
        {
            System.out.println(LoadOptions.usage());
            return;
        }
        final LoadResult result = run(options);
        System.out.println(result.describe());
        System.out.println(result.line());
        System.exit(0);
    }

    static LoadResult run(final LoadOptions options) throws Exception
    {
        final boolean epoll = Epoll.isAvailable();
        final IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(options.threads(), io);
        final EventLoopGroup receivers = new MultiThreadIoEventLoopGroup(1, io);
        try
        {
            final LoadGenerator generator = new LoadGenerator(options, group, receivers, epoll);
            return switch (options.scenario())
            {
                case "fan-in", "fan-out" -> new TrafficScenario(generator).run();
                case "snapshot" -> new SnapshotScenario(generator).run();
                case "storm" -> new StormScenario(generator).run(true);
                case "idle" -> new StormScenario(generator).run(false);
                default -> throw new IllegalArgumentException("unknown scenario " + options.scenario());
            };
        }
        finally
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            receivers.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    LoadOptions options()
    {
        return options;
    }

    /** Starts connecting without waiting; a failed connect reports the client ready-but-failed. */
    void connect(final LoadClient client)
    {
        new Bootstrap()
            .group(client.subscribes() ? receivers : group)
            .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel channel)
                {
                    channel.pipeline().addLast(MqttEncoder.INSTANCE, MqttDecoder.forClient(options.dialect(), MqttDecoder.MAX_PACKET_SIZE), client);
                }
            })
            .connect(options.host(), options.port())
            .addListener(f ->
            {
                if (!f.isSuccess())
                {
                    client.reportReady(false);
                }
            });
    }

    /**
     * Counts clients through their handshakes, with at most {@code inFlight} under way at once, so a
     * storm measures the broker's accept path rather than a SYN backlog overflow.
     */
    static final class Gate
    {
        private final CountDownLatch done;
        private final Semaphore inFlight;
        private final AtomicInteger failed = new AtomicInteger();

        Gate(final int count, final int inFlight)
        {
            this.done = new CountDownLatch(count);
            this.inFlight = new Semaphore(inFlight);
        }

        void enter() throws InterruptedException
        {
            inFlight.acquire();
        }

        /** The onReady of a client counted by this gate. */
        Runnable exit(final LoadClient[] client)
        {
            return () ->
            {
                if (!client[0].ready())
                {
                    failed.incrementAndGet();
                }
                inFlight.release();
                done.countDown();
            };
        }

        /** Waits for every client; fails the run when one did not make it, since its result would be wrong. */
        void await(final String what, final boolean tolerateFailures) throws InterruptedException
        {
            if (!done.await(120, TimeUnit.SECONDS))
            {
                throw new IllegalStateException(what + " not ready after 120 s (" + done.getCount() + " missing)");
            }
            if (failed.get() > 0 && !tolerateFailures)
            {
                throw new IllegalStateException(failed.get() + " " + what + " failed to connect or subscribe");
            }
        }

        int failed()
        {
            return failed.get();
        }
    }

    /** Builds a client counted by {@code gate}; the array is how the gate's callback reaches the client it belongs to. */
    LoadClient client(final Gate gate, final String id, final String filter, final Publisher publisher, final Receiver receiver)
        throws InterruptedException
    {
        final LoadClient[] holder = new LoadClient[1];
        holder[0] = new LoadClient(id, options.dialect(), filter, options.qos(), publisher, receiver, gate.exit(holder));
        gate.enter();
        connect(holder[0]);
        return holder[0];
    }
}
