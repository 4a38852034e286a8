package io.mote.transport.server;

import io.mote.engine.Engine;
import io.mote.engine.pipeline.EngineProducer;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's way into the engine: its own {@link EngineProducer}, flushed once per socket
 * read, and back-pressure when the ring is full: the channels that could not flush stop reading
 * ({@code autoRead} off) until a retry gets a slot, instead of blocking the loop or dropping.
 *
 * <p>Owner: its event loop; never touched from another thread.
 */
final class LoopFeeder
{
    private static final long RETRY_MICROS = 50;

    private final EngineProducer producer;
    private final EventLoop loop;
    private final List<Channel> paused = new ArrayList<>();
    private final Runnable retry = this::retry;
    private boolean retryScheduled;
    private byte[] scratch = new byte[1024];

    LoopFeeder(final Engine engine, final EventLoop loop)
    {
        this.producer = engine.newProducer();
        this.loop = loop;
    }

    EngineProducer producer()
    {
        return producer;
    }

    /** A reusable array of at least {@code length} bytes, for copying buffers the producer reads. */
    byte[] scratch(final int length)
    {
        if (scratch.length < length)
        {
            scratch = new byte[Math.max(length, scratch.length << 1)];
        }
        return scratch;
    }

    /** After each command: hands a full batch to the ring now rather than at the end of the read. */
    void flushIfFull(final Channel channel)
    {
        if (producer.isFull())
        {
            flush(channel);
        }
    }

    /** End of a read on {@code channel}: hand everything gathered to the ring in one slot. */
    void flush(final Channel channel)
    {
        if (!producer.hasPending())
        {
            return;
        }
        if (producer.tryFlush() == -2)
        {
            pause(channel);
        }
        else if (!paused.isEmpty())
        {
            resumeAll();
        }
    }

    /**
     * The ring is full: this channel stops reading until a retry gets a slot. Every channel that
     * adds to the loop's batch while the ring is full is paused the same way, so the batch stays
     * bounded by one read per channel.
     */
    private void pause(final Channel channel)
    {
        if (channel.config().isAutoRead())
        {
            channel.config().setAutoRead(false);
            paused.add(channel);
        }
        scheduleRetry();
    }

    private void retry()
    {
        retryScheduled = false;
        if (producer.tryFlush() == -2)
        {
            scheduleRetry();
            return;
        }
        resumeAll();
    }

    private void resumeAll()
    {
        for (int i = 0, n = paused.size(); i < n; i++)
        {
            paused.get(i).config().setAutoRead(true);
        }
        paused.clear();
    }

    private void scheduleRetry()
    {
        if (!retryScheduled)
        {
            retryScheduled = true;
            loop.schedule(retry, RETRY_MICROS, TimeUnit.MICROSECONDS);
        }
    }
}
