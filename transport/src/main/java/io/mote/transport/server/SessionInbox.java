package io.mote.transport.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.internal.PlatformDependent;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The frames waiting for one session's client, and how many messages they hold.
 *
 * <p>QoS 0 messages are gathered: the encoding thread appends every QoS 0 frame of one run of
 * events into one buffer ({@link #gatherBuffer}) and queues that buffer as a single item when the
 * run ends ({@link #handOverGathered}). One queue item, one socket write entry and one release
 * then serve many messages; this is where fan-in throughput lives. Other frames (QoS 1/2 PUBLISH,
 * PUBACK, PUBREC) are items of their own, since their packet ids are set one by one.
 *
 * <p>Threads: producers are the engine's encoding thread (gathering is its alone) and its
 * acknowledgement thread; the consumer is whoever holds the session's monitor (the attached
 * connection's loop draining it, or the thread discarding the session). {@link #size()} counts
 * messages, a gathered item counting each of its frames.
 */
final class SessionInbox
{
    /** Largest gathered buffer; a frame that does not fit starts the next one. */
    private static final int GATHER_CAPACITY = 64 * 1024;
    private static final int GATHER_INITIAL = 1024;

    /** Small chunks: idle sessions are the common case, and a default 1 024-slot chunk is 4 KiB each. */
    private final Queue<ByteBuf> items = PlatformDependent.newMpscQueue(16, 1 << 30);
    private final AtomicInteger size = new AtomicInteger();
    private volatile boolean closed;
    /** Encoding thread only. */
    private ByteBuf gathered;
    private int gatheredCount;

    /** Messages queued, not counting those gathered and not yet handed over. */
    int size()
    {
        return size.get();
    }

    /** Encoding thread: messages queued, gathered ones included. */
    int sizeWithGathered()
    {
        return size.get() + gatheredCount;
    }

    boolean isEmpty()
    {
        return items.isEmpty();
    }

    /**
     * Encoding thread. @return the buffer to append the next QoS 0 frame of {@code size} bytes to;
     * the caller writes exactly one frame and then calls {@link #gatheredOne()}.
     */
    ByteBuf gatherBuffer(final ByteBufAllocator allocator, final int frameSize)
    {
        if (gathered != null && gathered.maxWritableBytes() < frameSize)
        {
            handOverGathered();
        }
        if (gathered == null)
        {
            final int max = Math.max(frameSize, GATHER_CAPACITY);
            gathered = allocator.directBuffer(Math.min(max, Math.max(GATHER_INITIAL, frameSize << 2)), max);
        }
        return gathered;
    }

    void gatheredOne()
    {
        gatheredCount++;
    }

    /**
     * Encoding thread: queues what was gathered as one item. Called at the end of each run of
     * events, and before any other frame so that a client sees messages in the order routed.
     */
    void handOverGathered()
    {
        final ByteBuf frames = gathered;
        if (frames == null)
        {
            return;
        }
        gathered = null;
        size.addAndGet(gatheredCount);
        gatheredCount = 0;
        enqueue(frames);
    }

    /** Queues one frame: any producer thread. */
    void add(final ByteBuf frame)
    {
        size.incrementAndGet();
        enqueue(frame);
    }

    /** The consumer (under the session's monitor): the next item, or null. */
    ByteBuf poll()
    {
        final ByteBuf item = items.poll();
        if (item != null)
        {
            final boolean qos0 = FrameBits.type(item) == FrameBits.PUBLISH && FrameBits.qos(item) == 0;
            size.addAndGet(qos0 ? -FrameBits.countFrames(item) : -1);
        }
        return item;
    }

    /** The consumer (under the session's monitor): releases everything; later items are released as they come. */
    void close()
    {
        closed = true;
        releaseAll();
    }

    private void enqueue(final ByteBuf item)
    {
        items.offer(item);
        if (closed)
        {
            // Lost a race with close(): nobody will drain this inbox again.
            releaseAll();
        }
    }

    /** One consumer at a time: close() runs under the session's monitor, and so does this. */
    private void releaseAll()
    {
        synchronized (this)
        {
            for (ByteBuf item; (item = items.poll()) != null; )
            {
                item.release();
            }
        }
    }
}
