package io.mote.benchmarks;

import io.mote.engine.topic.Dialect;
import io.mote.transport.codec.ConnectPacket;
import io.mote.transport.codec.MqttDecoder;
import io.mote.transport.codec.MqttEncoder;
import io.mote.transport.codec.PublishPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * PUBLISH packets per second through the server's decoder, 64 to a read, each consumed and released
 * by the next handler as the broker's connection handler does (it copies topic and payload into
 * the ring's batch). Run with {@code -prof gc}: the target is 0 B per packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PublishDecodeBenchmark
{
    private static final int PACKETS_PER_READ = 64;

    private final byte[] copy = new byte[256];
    private EmbeddedChannel channel;
    private ByteBuf read;
    private long consumed;

    @Setup
    public void setUp()
    {
        channel = new EmbeddedChannel(MqttDecoder.forServer(MqttDecoder.MAX_PACKET_SIZE, false), new ChannelInboundHandlerAdapter()
        {
            @Override
            public void channelRead(final ChannelHandlerContext ctx, final Object msg)
            {
                if (msg instanceof PublishPacket publish)
                {
                    publish.getTopic(copy, 0);
                    publish.getPayload(copy, publish.topicLength());
                    consumed += publish.topicLength() + publish.payloadLength();
                }
                io.netty.util.ReferenceCountUtil.release(msg);
            }
        });
        final ByteBuf connect = Unpooled.buffer();
        MqttEncoder.encode(new ConnectPacket("MQTT", 4, Dialect.MQTT, true, 60, "bench", null, null, null), connect);
        channel.writeInbound(connect);

        read = Unpooled.directBuffer();
        final byte[] payload = new byte[64];
        for (int i = 0; i < PACKETS_PER_READ; i++)
        {
            final byte[] topic = ("bench/p0/t" + (i % 10)).getBytes(StandardCharsets.UTF_8);
            MqttEncoder.encode(PublishPacket.of(topic, payload, i % 2, false, false, i % 2 == 0 ? 0 : 1 + i), read);
        }
    }

    @TearDown
    public void tearDown()
    {
        read.release();
        channel.finishAndReleaseAll();
    }

    @Benchmark
    @OperationsPerInvocation(PACKETS_PER_READ)
    public long decodeAndConsume()
    {
        channel.writeOneInbound(read.retainedDuplicate());
        return consumed;
    }
}
