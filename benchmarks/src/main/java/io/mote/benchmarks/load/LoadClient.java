package io.mote.benchmarks.load;

import io.mote.engine.topic.Dialect;
import io.mote.transport.codec.ConnAckPacket;
import io.mote.transport.codec.ConnectPacket;
import io.mote.transport.codec.MqttEncoder;
import io.mote.transport.codec.PubAckPacket;
import io.mote.transport.codec.PublishPacket;
import io.mote.transport.codec.SubAckPacket;
import io.mote.transport.codec.SubscribePacket;
import io.mote.transport.codec.Subscription;
import io.mote.transport.codec.TopicFilter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.HdrHistogram.Histogram;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * One simulated client: connects, optionally subscribes, optionally publishes as fast as the
 * socket accepts (pipelined, one flush per burst), and records the latency of every message it
 * receives from the send timestamp in the payload's first 8 bytes (System.nanoTime of this JVM).
 *
 * <p>Owner: the client's event loop; counters are read by the main thread after the run, through
 * the volatile {@link #received} write that follows every update.
 */
final class LoadClient extends ChannelInboundHandlerAdapter
{
    private static final int BURST = 64;

    private final String clientId;
    private final Dialect dialect;
    private final String subscribeFilter;
    private final byte[][] publishTopics;
    private final int payloadSize;
    /** Reused for every message: the send timestamp in the first 8 bytes, then filler. */
    private final byte[] payload;
    private final int qos;
    private final CountDownLatch ready;
    private final Histogram latencyMicros = new Histogram(3_600_000_000L, 3);
    private final Runnable publishBurst = this::publishBurst;
    private ChannelHandlerContext ctx;
    private volatile boolean publishing;
    private volatile long received;
    private long sent;
    private int nextTopic;
    private int nextPacketId = 1;
    private int unacknowledged;

    LoadClient(final String clientId, final Dialect dialect, final String subscribeFilter, final List<String> publishTopics,
        final int payloadSize, final int qos, final CountDownLatch ready)
    {
        this.clientId = clientId;
        this.dialect = dialect;
        this.subscribeFilter = subscribeFilter;
        this.publishTopics = publishTopics.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        this.payloadSize = Math.max(8, payloadSize);
        this.payload = new byte[this.payloadSize];
        this.qos = qos;
        this.ready = ready;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
        final boolean mote = dialect == Dialect.MOTE;
        ctx.writeAndFlush(new ConnectPacket(mote ? "mote" : "MQTT", mote ? 0 : 4, dialect, true, 600, clientId, null, null, null));
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        try
        {
            if (msg instanceof PublishPacket)
            {
                final PublishPacket publish = (PublishPacket)msg;
                final ByteBuf payload = publish.payload();
                if (payload.readableBytes() >= 8)
                {
                    final long micros = (System.nanoTime() - payload.getLong(payload.readerIndex())) / 1_000;
                    latencyMicros.recordValue(Math.max(0, Math.min(micros, latencyMicros.getHighestTrackableValue())));
                }
                if (publish.qos() == 1)
                {
                    ctx.write(new PubAckPacket(publish.packetId()));
                }
                received = received + 1;
            }
            else if (msg instanceof PubAckPacket)
            {
                unacknowledged--;
            }
            else if (msg instanceof ConnAckPacket)
            {
                if (subscribeFilter != null)
                {
                    ctx.writeAndFlush(new SubscribePacket(1, List.of(new Subscription(TopicFilter.parse(subscribeFilter, dialect), qos))));
                }
                else
                {
                    ready.countDown();
                }
            }
            else if (msg instanceof SubAckPacket)
            {
                ready.countDown();
            }
        }
        finally
        {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx)
    {
        ctx.flush();
        if (publishing && qos > 0)
        {
            publishBurst();
        }
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        if (publishing && ctx.channel().isWritable())
        {
            publishBurst();
        }
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        ctx.close();
    }

    /** Starts publishing at full speed; thread safe. */
    void startPublishing()
    {
        if (publishTopics.length > 0)
        {
            publishing = true;
            ctx.executor().execute(publishBurst);
        }
    }

    void stopPublishing()
    {
        publishing = false;
    }

    private void publishBurst()
    {
        if (!publishing || !ctx.channel().isActive())
        {
            return;
        }
        int burst = 0;
        while (burst < BURST && ctx.channel().isWritable() && (qos == 0 || unacknowledged < 1000))
        {
            final byte[] topic = publishTopics[nextTopic];
            nextTopic = nextTopic + 1 == publishTopics.length ? 0 : nextTopic + 1;
            final ByteBuf frame = ctx.alloc().buffer(MqttEncoder.publishSize(topic.length, payloadSize, qos));
            final int packetId = qos == 0 ? 0 : nextPacketId();
            stampSendTime(System.nanoTime());
            MqttEncoder.encodePublish(frame, qos, false, false, packetId, topic, 0, topic.length, payload, 0, payloadSize);
            ctx.write(frame);
            if (qos > 0)
            {
                unacknowledged++;
            }
            sent++;
            burst++;
        }
        ctx.flush();
        if (burst == BURST && qos == 0)
        {
            ctx.executor().execute(publishBurst);
        }
    }

    private void stampSendTime(final long nanos)
    {
        for (int i = 0; i < 8; i++)
        {
            payload[i] = (byte)(nanos >>> (56 - 8 * i));
        }
    }

    private int nextPacketId()
    {
        final int id = nextPacketId;
        nextPacketId = id == 65_535 ? 1 : id + 1;
        return id;
    }

    long received()
    {
        return received;
    }

    long sent()
    {
        return sent;
    }

    /** Forgets latencies recorded so far (warm-up); runs on the client's loop. */
    void resetLatency() throws Exception
    {
        ctx.executor().submit(latencyMicros::reset).get();
    }

    /** A copy of the latencies, taken on the client's loop so it is consistent. */
    Histogram latencyMicros() throws Exception
    {
        return ctx.executor().submit(latencyMicros::copy).get();
    }
}
