package io.mote.benchmarks.load;

import io.mote.engine.topic.Dialect;
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
import org.HdrHistogram.Histogram;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The end-to-end load generator: many MQTT or Mote connections per Netty thread against a broker on
 * this machine, reporting messages per second, latency percentiles, and its own and the broker's CPU
 * use so that a result saturated by the generator is visible as such.
 *
 * <p>Scenarios: {@code fan-in} (N publishers, M subscribers to {@code bench/#}), {@code fan-out}
 * (1 publisher, N subscribers to its topic), {@code idle} (N connections doing nothing; reports the
 * broker's RSS). Run {@code benchmarks/load.sh --help} for the options.
 */
public final class LoadGenerator
{
    private LoadGenerator()
    {
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
        try
        {
            return switch (options.scenario())
            {
                case "fan-in" -> traffic(options, group, epoll, options.clients(), 1);
                case "fan-out" -> traffic(options, group, epoll, 1, options.clients());
                case "idle" -> idle(options, group, epoll);
                default -> throw new IllegalArgumentException("unknown scenario " + options.scenario());
            };
        }
        finally
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static LoadResult traffic(final LoadOptions options, final EventLoopGroup group, final boolean epoll,
        final int publishers, final int subscribers) throws Exception
    {
        final List<LoadClient> subs = new ArrayList<>();
        final CountDownLatch subsReady = new CountDownLatch(subscribers);
        final String filter = publishers > 1 ? "bench/#" : "bench/p0/t0";
        for (int i = 0; i < subscribers; i++)
        {
            subs.add(connect(options, group, epoll, new LoadClient("sub-" + i, options.dialect(), filter, List.of(), options.payload(), options.qos(), subsReady)));
        }
        await(subsReady, "subscribers");
        final List<LoadClient> pubs = new ArrayList<>();
        final CountDownLatch pubsReady = new CountDownLatch(publishers);
        for (int i = 0; i < publishers; i++)
        {
            final List<String> topics = new ArrayList<>();
            for (int t = 0; t < (publishers > 1 ? 10 : 1); t++)
            {
                topics.add("bench/p" + i + "/t" + t);
            }
            pubs.add(connect(options, group, epoll, new LoadClient("pub-" + i, options.dialect(), null, topics, options.payload(), options.qos(), pubsReady)));
        }
        await(pubsReady, "publishers");
        pubs.forEach(LoadClient::startPublishing);
        Thread.sleep(options.warmupSeconds() * 1000L);

        for (final LoadClient sub : subs)
        {
            sub.resetLatency();
        }
        final long receivedBefore = subs.stream().mapToLong(LoadClient::received).sum();
        final long sentBefore = pubs.stream().mapToLong(LoadClient::sent).sum();
        final CpuClock cpu = CpuClock.start(options.brokerPid());
        Thread.sleep(options.seconds() * 1000L);
        final long receivedAfter = subs.stream().mapToLong(LoadClient::received).sum();
        final long sentAfter = pubs.stream().mapToLong(LoadClient::sent).sum();
        final CpuClock.Reading reading = cpu.stop();
        pubs.forEach(LoadClient::stopPublishing);

        final Histogram latency = new Histogram(3_600_000_000L, 3);
        for (final LoadClient sub : subs)
        {
            latency.add(sub.latencyMicros());
        }
        return new LoadResult(options, (receivedAfter - receivedBefore) / reading.seconds(),
            (sentAfter - sentBefore) / reading.seconds(), latency, reading, CpuClock.rssBytes(options.brokerPid()), 0);
    }

    private static LoadResult idle(final LoadOptions options, final EventLoopGroup group, final boolean epoll) throws Exception
    {
        final long rssBefore = CpuClock.rssBytes(options.brokerPid());
        final int batch = 500;
        for (int from = 0; from < options.clients(); from += batch)
        {
            final int count = Math.min(batch, options.clients() - from);
            final CountDownLatch ready = new CountDownLatch(count);
            for (int i = 0; i < count; i++)
            {
                connect(options, group, epoll, new LoadClient("idle-" + (from + i), options.dialect(), null, List.of(), options.payload(), 0, ready));
            }
            await(ready, "idle connections");
        }
        final CpuClock cpu = CpuClock.start(options.brokerPid());
        Thread.sleep(options.seconds() * 1000L);
        final CpuClock.Reading reading = cpu.stop();
        return new LoadResult(options, 0, 0, new Histogram(3), reading, CpuClock.rssBytes(options.brokerPid()), rssBefore);
    }

    private static LoadClient connect(final LoadOptions options, final EventLoopGroup group, final boolean epoll, final LoadClient client) throws InterruptedException
    {
        final Dialect dialect = options.dialect();
        new Bootstrap()
            .group(group)
            .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel channel)
                {
                    channel.pipeline().addLast(MqttEncoder.INSTANCE, MqttDecoder.forClient(dialect, MqttDecoder.MAX_PACKET_SIZE), client);
                }
            })
            .connect(options.host(), options.port()).sync();
        return client;
    }

    private static void await(final CountDownLatch latch, final String what) throws InterruptedException
    {
        if (!latch.await(60, TimeUnit.SECONDS))
        {
            throw new IllegalStateException(what + " not ready after 60 s (" + latch.getCount() + " missing)");
        }
    }

    /** Process CPU time of this JVM and, when its pid is known, of the broker. */
    static final class CpuClock
    {
        private final long startNanos = System.nanoTime();
        private final long selfCpuStart = selfCpuNanos();
        private final long brokerPid;
        private final long brokerTicksStart;

        private CpuClock(final long brokerPid)
        {
            this.brokerPid = brokerPid;
            this.brokerTicksStart = brokerTicks(brokerPid);
        }

        static CpuClock start(final long brokerPid)
        {
            return new CpuClock(brokerPid);
        }

        Reading stop()
        {
            final double seconds = (System.nanoTime() - startNanos) / 1e9;
            final double self = (selfCpuNanos() - selfCpuStart) / 1e9 / seconds;
            final double broker = brokerPid > 0 ? (brokerTicks(brokerPid) - brokerTicksStart) / 100.0 / seconds : Double.NaN;
            return new Reading(seconds, self, broker);
        }

        record Reading(double seconds, double generatorCores, double brokerCores)
        {
        }

        private static long selfCpuNanos()
        {
            return ((com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        }

        /** utime + stime of a process in clock ticks (USER_HZ, 100 on Linux). */
        private static long brokerTicks(final long pid)
        {
            if (pid <= 0)
            {
                return 0;
            }
            try
            {
                final String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
                final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            }
            catch (final java.io.IOException ex)
            {
                throw new IllegalStateException("cannot read CPU time of broker pid " + pid, ex);
            }
        }

        static long rssBytes(final long pid)
        {
            if (pid <= 0)
            {
                return -1;
            }
            try
            {
                for (final String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status")))
                {
                    if (line.startsWith("VmRSS:"))
                    {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
                return -1;
            }
            catch (final java.io.IOException ex)
            {
                throw new IllegalStateException("cannot read RSS of broker pid " + pid, ex);
            }
        }
    }

    static String format(final Map<String, Object> fields)
    {
        final StringBuilder line = new StringBuilder("RESULT");
        fields.forEach((k, v) -> line.append(' ').append(k).append('=').append(v instanceof Double ? String.format(Locale.ROOT, "%.2f", (Double)v) : v));
        return line.toString();
    }
}
