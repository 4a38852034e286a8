package io.mote.benchmarks.load;

import io.netty.channel.ChannelHandlerContext;

import java.util.concurrent.TimeUnit;

/**
 * The sending side of one publisher. At full speed it writes bursts as long as the socket is
 * writable (and, at QoS 1/2, fewer than its window of messages await their acknowledgement), one
 * flush per burst. At a fixed rate it sends every message whose intended send time has come and
 * sleeps on a loop timer until the next; a late timer, a full socket or a full window leave intended
 * times where they were, so the backlog goes out later carrying its intended times and the wait is
 * charged to the latency.
 *
 * <p>Owner: the connection's event loop; {@link #start} and {@link #stop} may be called from any thread.
 */
final class Publisher
{
    private static final int BURST = 64;
    static final int DEFAULT_WINDOW = 1000;

    private final PublishFrames frames;
    private final int qos;
    /** QoS 1/2 messages sent and not yet acknowledged, at most: what bounds a publisher's QoS 1 rate. */
    private final int window;
    private final long intervalNanos;
    private final long limit;
    private final Runnable onAllAcknowledged;
    private final Runnable pump = this::pump;
    private ChannelHandlerContext ctx;
    private volatile boolean publishing;
    private volatile long sent;
    private long nextIntended;
    private boolean timerPending;
    private int unacknowledged;
    private volatile long acknowledgedCount;
    private int nextPacketId = 1;

    /**
     * @param messagesPerSecond 0 for full speed
     * @param limit             frames to send before stopping by itself, or -1 for no end
     * @param onAllAcknowledged run once every frame up to {@code limit} has been acknowledged (QoS 1/2)
     */
    Publisher(final PublishFrames frames, final int qos, final double messagesPerSecond, final long limit, final Runnable onAllAcknowledged)
    {
        this(frames, qos, DEFAULT_WINDOW, messagesPerSecond, limit, onAllAcknowledged);
    }

    /** @param window QoS 1/2 messages kept unacknowledged at most */
    Publisher(final PublishFrames frames, final int qos, final int window, final double messagesPerSecond, final long limit, final Runnable onAllAcknowledged)
    {
        this.frames = frames;
        this.qos = qos;
        this.window = window;
        this.intervalNanos = messagesPerSecond > 0 ? Math.max(1, Math.round(1e9 / messagesPerSecond)) : 0;
        this.limit = limit;
        this.onAllAcknowledged = onAllAcknowledged;
    }

    void attach(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
    }

    void start()
    {
        ctx.executor().execute(() ->
        {
            publishing = true;
            nextIntended = System.nanoTime();
            pump();
        });
    }

    void stop()
    {
        publishing = false;
    }

    long sent()
    {
        return sent;
    }

    long acknowledgedCount()
    {
        return acknowledgedCount;
    }

    int rowsPerFrame()
    {
        return frames.rowsPerFrame();
    }

    /** A PUBACK (QoS 1) or PUBCOMP (QoS 2) arrived; the read-complete that follows resumes sending. */
    void acknowledged()
    {
        unacknowledged--;
        acknowledgedCount = acknowledgedCount + 1;
        if (limit >= 0 && sent == limit && unacknowledged == 0)
        {
            onAllAcknowledged.run();
        }
    }

    void readComplete()
    {
        if (qos > 0 && !timerPending)
        {
            pump();
        }
    }

    void writable()
    {
        if (!timerPending)
        {
            pump();
        }
    }

    private void pump()
    {
        timerPending = false;
        if (!publishing || !ctx.channel().isActive())
        {
            return;
        }
        final long now = System.nanoTime();
        int burst = 0;
        while (burst < BURST && ctx.channel().isWritable() && unacknowledged < window && sent != limit
            && (intervalNanos == 0 || nextIntended <= now))
        {
            final long intended = intervalNanos == 0 ? now : nextIntended;
            ctx.write(frames.frame(ctx.alloc(), sent, qos == 0 ? 0 : nextPacketId(), intended, now));
            nextIntended += intervalNanos;
            unacknowledged += qos == 0 ? 0 : 1;
            sent = sent + 1;
            burst++;
        }
        if (burst > 0)
        {
            ctx.flush();
        }
        if (sent == limit)
        {
            return;
        }
        if (intervalNanos > 0)
        {
            // The timer runs even when the socket or window is full, so that intended times keep their schedule.
            // When blocked (nothing went out though something is due) it backs off 100 us instead of spinning.
            final long due = Math.max(0, nextIntended - System.nanoTime());
            timerPending = true;
            ctx.executor().schedule(pump, burst == 0 ? Math.max(due, 100_000) : due, TimeUnit.NANOSECONDS);
        }
        else if (burst == BURST && qos == 0)
        {
            // Yield to reads between bursts; a full socket resumes through writable() instead.
            ctx.executor().execute(pump);
        }
    }

    private int nextPacketId()
    {
        final int id = nextPacketId;
        nextPacketId = id == 65_535 ? 1 : id + 1;
        return id;
    }
}
