package io.mote.benchmarks.load;

import io.mote.engine.topic.Dialect;
import io.mote.transport.codec.ConnAckPacket;
import io.mote.transport.codec.ConnectPacket;
import io.mote.transport.codec.PubAckPacket;
import io.mote.transport.codec.PubCompPacket;
import io.mote.transport.codec.PubRecPacket;
import io.mote.transport.codec.PubRelPacket;
import io.mote.transport.codec.PublishPacket;
import io.mote.transport.codec.SubAckPacket;
import io.mote.transport.codec.SubscribePacket;
import io.mote.transport.codec.Subscription;
import io.mote.transport.codec.TopicFilter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * One simulated client: connects (protocol name {@code mote} or {@code MQTT}), optionally subscribes,
 * then hands incoming messages to its {@link Receiver} and drives its {@link Publisher}. It answers
 * both sides of the QoS 1 and QoS 2 exchanges, so that a broker never stalls on the generator.
 *
 * <p>{@code onReady} runs on the client's loop once the CONNACK (or SUBACK, when subscribing) is in,
 * or when the connection fails or closes first; {@link #ready()} tells which.
 */
final class LoadClient extends ChannelInboundHandlerAdapter
{
    private final String clientId;
    private final Dialect dialect;
    private final String subscribeFilter;
    private final int subscribeQos;
    private final Publisher publisher;
    private final Receiver receiver;
    private final Runnable onReady;
    private ChannelHandlerContext ctx;
    private volatile boolean ready;
    private boolean readyReported;
    private volatile long subscribeSentNanos;

    /**
     * @param subscribeFilter null for no subscription
     * @param publisher       null for a client that only receives
     * @param receiver        null for a client that receives nothing worth counting
     */
    LoadClient(final String clientId, final Dialect dialect, final String subscribeFilter, final int subscribeQos,
        final Publisher publisher, final Receiver receiver, final Runnable onReady)
    {
        this.clientId = clientId;
        this.dialect = dialect;
        this.subscribeFilter = subscribeFilter;
        this.subscribeQos = subscribeQos;
        this.publisher = publisher;
        this.receiver = receiver;
        this.onReady = onReady;
    }

    /** True for a client that subscribes: it reads on the generator's receiving thread. */
    boolean subscribes()
    {
        return subscribeFilter != null;
    }

    @Override
    public void channelActive(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
        if (publisher != null)
        {
            publisher.attach(ctx);
        }
        final boolean mote = dialect == Dialect.MOTE;
        ctx.writeAndFlush(new ConnectPacket(mote ? "mote" : "MQTT", mote ? 0 : 4, dialect, true, 600, clientId, null, null, null));
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        try
        {
            if (msg instanceof PublishPacket publish)
            {
                if (receiver != null)
                {
                    receiver.onPublish(publish);
                }
                if (publish.qos() == 1)
                {
                    ctx.write(new PubAckPacket(publish.packetId()));
                }
                else if (publish.qos() == 2)
                {
                    ctx.write(new PubRecPacket(publish.packetId()));
                }
            }
            else if (msg instanceof PubRelPacket rel)
            {
                ctx.write(new PubCompPacket(rel.packetId()));
            }
            else if (msg instanceof PubRecPacket rec)
            {
                ctx.write(new PubRelPacket(rec.packetId()));
            }
            else if (msg instanceof PubAckPacket || msg instanceof PubCompPacket)
            {
                publisher.acknowledged();
            }
            else if (msg instanceof ConnAckPacket connAck)
            {
                if (connAck.returnCode() != io.mote.transport.codec.ConnectReturnCode.ACCEPTED)
                {
                    ctx.close();
                }
                else if (subscribeFilter != null)
                {
                    subscribeSentNanos = System.nanoTime();
                    ctx.writeAndFlush(new SubscribePacket(1, List.of(new Subscription(TopicFilter.parse(subscribeFilter, dialect), subscribeQos))));
                }
                else
                {
                    reportReady(true);
                }
            }
            else if (msg instanceof SubAckPacket subAck)
            {
                reportReady(subAck.returnCodes()[0] != 0x80);
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
        if (publisher != null)
        {
            publisher.readComplete();
        }
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        if (publisher != null && ctx.channel().isWritable())
        {
            publisher.writable();
        }
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        reportReady(false);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        ctx.close();
    }

    /** Also called by whoever made the connection when it failed before becoming active. */
    void reportReady(final boolean succeeded)
    {
        if (!readyReported)
        {
            readyReported = true;
            ready = succeeded;
            onReady.run();
        }
    }

    boolean ready()
    {
        return ready;
    }

    long subscribeSentNanos()
    {
        return subscribeSentNanos;
    }

    Publisher publisher()
    {
        return publisher;
    }

    Receiver receiver()
    {
        return receiver;
    }

    /** Runs {@code task} on this client's loop and waits for it: how the main thread reads loop-owned state. */
    <T> T onLoop(final Callable<T> task) throws Exception
    {
        return ctx.executor().submit(task).get();
    }

    void close()
    {
        if (ctx != null)
        {
            ctx.close();
        }
    }
}
