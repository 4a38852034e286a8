package io.mote.transport.server;

import io.mote.engine.topic.Dialect;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.internal.PlatformDependent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One MQTT session: what a client id has subscribed (held by the engine under {@link #id()}), the
 * messages waiting for it, and the QoS 1/2 exchanges in flight in both directions.
 *
 * <p>Threads: the engine's encoding and acknowledgement threads only ever {@link #offer} ready
 * frames into the lock-free {@link #inbox} and {@link #wake} the session; everything else runs on
 * the event loop of the connection currently attached, under this object's monitor (which is
 * uncontended except at takeover, when a session moves between connections and loops).
 * Outgoing frames are complete PUBLISH packets encoded by the engine's thread; the packet id is
 * written into them here, when a slot of the inflight window is free.
 *
 * <p>QoS 0 messages are gathered: the encoding thread appends every QoS 0 frame of one run of
 * events into one buffer ({@link #gatherBuffer}) and queues that buffer as a single inbox item at
 * the run's end ({@link #handOverGathered}). One queue item, one socket write entry and one
 * release then serve many messages; this is where fan-in throughput lives. The inbox may therefore
 * hold QoS 0 items of several frames, which the loop writes whole.
 */
final class Session
{
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final int MAX_WRITES_PER_TURN = 4096;
    /** Largest gathered buffer; a frame that does not fit starts the next one. */
    private static final int GATHER_CAPACITY = 64 * 1024;
    private static final int GATHER_INITIAL = 1024;
    private static final Boolean ACCEPTED = Boolean.TRUE;
    private static final Boolean PENDING = Boolean.FALSE;

    private final long id;
    private final String clientId;
    private final Dialect dialect;
    private final boolean persistent;
    private final TransportConfig config;
    private final Queue<ByteBuf> inbox = PlatformDependent.newMpscQueue();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private final AtomicLong droppedQos0 = new AtomicLong();
    private final AtomicLong droppedPending = new AtomicLong();
    /** Messages in the inbox (a gathered item counts each of its frames): the slow-consumer bounds. */
    private final AtomicInteger queued = new AtomicInteger();
    private final Runnable drainTask = this::drain;
    private volatile Channel channel;
    private volatile boolean discarded;
    /** Encoding thread only: already in the registry's list of sessions to wake at the next flush. */
    boolean pendingWake;
    /** Encoding thread only: QoS 0 frames gathered in this run of events, not yet in the inbox. */
    private ByteBuf gathered;
    private int gatheredCount;

    // Owned by the attached connection's loop, under the monitor.
    private final IntObjectHashMap<ByteBuf> outgoing = new IntObjectHashMap<>();
    private final IntObjectHashMap<Boolean> incomingQos2 = new IntObjectHashMap<>();
    private ByteBuf blocked;
    private int nextPacketId = 1;

    Session(final long id, final String clientId, final Dialect dialect, final boolean persistent, final TransportConfig config)
    {
        this.id = id;
        this.clientId = clientId;
        this.dialect = dialect;
        this.persistent = persistent;
        this.config = config;
    }

    long id()
    {
        return id;
    }

    String clientId()
    {
        return clientId;
    }

    Dialect dialect()
    {
        return dialect;
    }

    boolean persistent()
    {
        return persistent;
    }

    Channel channel()
    {
        return channel;
    }

    long droppedMessages()
    {
        return droppedQos0.get() + droppedPending.get();
    }

    // ---- engine threads ----

    /**
     * Encoding thread. Decides a QoS 0 message's fate before it is encoded: @return false, and the
     * message is counted as dropped, when the client is offline or already has
     * {@code maxQueuedMessages} waiting; nothing is allocated for a message that would be dropped.
     */
    boolean acceptsQos0()
    {
        if (channel == null || queued.get() + gatheredCount >= config.maxQueuedMessages())
        {
            droppedQos0.incrementAndGet();
            return false;
        }
        return true;
    }

    /**
     * Encoding thread. @return the buffer to append the next QoS 0 frame of {@code size} bytes to;
     * the caller writes exactly one frame and then calls {@link #gatheredOne()}.
     */
    ByteBuf gatherBuffer(final ByteBufAllocator allocator, final int size)
    {
        if (gathered != null && gathered.maxWritableBytes() < size)
        {
            handOverGathered();
        }
        if (gathered == null)
        {
            final int max = Math.max(size, GATHER_CAPACITY);
            gathered = allocator.directBuffer(Math.min(max, Math.max(GATHER_INITIAL, size << 2)), max);
        }
        return gathered;
    }

    void gatheredOne()
    {
        gatheredCount++;
    }

    /**
     * Encoding thread: queues what was gathered as one item. Called at the end of each run of
     * events, and before any QoS 1/2 frame so that a client sees messages in the order routed.
     */
    void handOverGathered()
    {
        final ByteBuf items = gathered;
        if (items == null)
        {
            return;
        }
        gathered = null;
        queued.addAndGet(gatheredCount);
        gatheredCount = 0;
        enqueue(items);
    }

    /**
     * Queues a ready frame (PUBLISH QoS 1/2, PUBACK, PUBREC): encoding or acknowledgement thread.
     * QoS 1/2 beyond {@code maxPendingMessages} disconnects an online client, or is dropped and
     * counted for an offline one.
     */
    void offer(final ByteBuf item, final int qos)
    {
        final int waiting = queued.get();
        if (qos > 0 && waiting >= config.maxPendingMessages())
        {
            item.release();
            droppedPending.incrementAndGet();
            if (channel != null && closeRequested.compareAndSet(false, true))
            {
                LOG.warn("client {} is too slow: {} messages waiting, disconnecting it", clientId, waiting);
                // Not a CLOSE item: queued behind a frame held back by a full inflight window or an
                // unwritable socket, which is exactly a slow consumer's state, it would never be reached.
                wake();
            }
            return;
        }
        queued.incrementAndGet();
        enqueue(item);
    }

    private void enqueue(final ByteBuf item)
    {
        inbox.offer(item);
        if (discarded)
        {
            // Lost a race with discard(): nobody will drain this inbox again.
            releaseInbox();
        }
    }

    /**
     * Asks the attached connection's loop to close the connection at its next drain, ahead of
     * anything queued (a refused publish, or a consumer too slow to keep up).
     */
    void requestClose()
    {
        closeRequested.set(true);
        wake();
    }

    /** Makes sure a drain runs soon on the attached connection's loop; cheap when one is pending. */
    void wake()
    {
        final Channel current = channel;
        if (current != null && drainScheduled.compareAndSet(false, true))
        {
            current.eventLoop().execute(drainTask);
        }
    }

    // ---- the attached connection's loop ----

    synchronized void attach(final Channel newChannel)
    {
        channel = newChannel;
        closeRequested.set(false);
    }

    /** @return true when the channel was the attached one. */
    synchronized boolean detach(final Channel oldChannel)
    {
        if (channel != oldChannel)
        {
            return false;
        }
        channel = null;
        return true;
    }

    /** Sends again what the client has not acknowledged, DUP set, as MQTT 3.1.1 §4.4 asks on resume. */
    synchronized void resend()
    {
        final Channel current = channel;
        for (final IntObjectHashMap.PrimitiveEntry<ByteBuf> entry : outgoing.entries())
        {
            final ByteBuf frame = entry.value();
            if (FrameBits.type(frame) == FrameBits.PUBLISH)
            {
                frame.setByte(0, frame.getByte(0) | FrameBits.DUP);
            }
            current.write(frame.retainedDuplicate(), current.voidPromise());
        }
        current.flush();
    }

    /** Inbound QoS 2: @return true when this packet id is new and the publish should be processed. */
    synchronized boolean beginIncomingQos2(final int packetId)
    {
        return incomingQos2.putIfAbsent(packetId, PENDING) == null;
    }

    /** A repeated inbound QoS 2 publish: answer PUBREC again if the first was already accepted. */
    synchronized boolean incomingQos2Accepted(final int packetId)
    {
        return incomingQos2.get(packetId) == ACCEPTED;
    }

    synchronized void releaseIncomingQos2(final int packetId)
    {
        incomingQos2.remove(packetId);
    }

    /** The client acknowledged a QoS 1 message (PUBACK) or completed a QoS 2 one (PUBCOMP). */
    synchronized void acknowledged(final int packetId)
    {
        final ByteBuf frame = outgoing.remove(packetId);
        if (frame != null)
        {
            frame.release();
        }
    }

    /** The client received a QoS 2 message (PUBREC): from now on PUBREL is what is in flight. */
    synchronized ByteBuf received(final int packetId)
    {
        final ByteBuf frame = outgoing.get(packetId);
        if (frame == null)
        {
            return null;
        }
        final ByteBuf pubrel = FrameBits.ack(channel.alloc(), FrameBits.PUBREL_FIRST_BYTE, packetId);
        outgoing.put(packetId, pubrel.retain());
        frame.release();
        return pubrel;
    }

    /** Writes what is waiting, as far as the window and the socket allow, then flushes once. */
    synchronized void drain()
    {
        drainScheduled.set(false);
        final Channel current = channel;
        if (current == null || !current.isActive())
        {
            return;
        }
        if (closeRequested.get())
        {
            current.close();
            return;
        }
        int writes = 0;
        while (writes < MAX_WRITES_PER_TURN)
        {
            if (!current.isWritable())
            {
                // Unflushed writes count against the high-water mark: flush and go on while the
                // socket takes them, instead of waiting a whole loop turn for writability.
                current.flush();
                if (!current.isWritable())
                {
                    break;
                }
            }
            final ByteBuf frame = blocked != null ? blocked : inbox.poll();
            if (frame == null)
            {
                break;
            }
            final int type = FrameBits.type(frame);
            final boolean qos0 = type == FrameBits.PUBLISH && FrameBits.qos(frame) == 0;
            if (blocked == null)
            {
                queued.addAndGet(qos0 ? -FrameBits.countFrames(frame) : -1);
            }
            blocked = null;
            if (type == FrameBits.PUBLISH && !qos0)
            {
                if (outgoing.size() >= config.inflightWindow())
                {
                    blocked = frame;
                    break;
                }
                final int packetId = nextFreePacketId();
                FrameBits.setPacketId(frame, packetId);
                outgoing.put(packetId, frame);
                current.write(frame.retainedDuplicate(), current.voidPromise());
            }
            else
            {
                if (type == FrameBits.PUBREC)
                {
                    incomingQos2.put(FrameBits.ackPacketId(frame), ACCEPTED);
                }
                current.write(frame, current.voidPromise());
            }
            writes++;
        }
        if (writes > 0)
        {
            current.flush();
        }
        if (writes == MAX_WRITES_PER_TURN || (blocked == null && !inbox.isEmpty() && current.isWritable()))
        {
            wake();
        }
    }

    /** Releases every buffer the session holds: it is gone for good. */
    synchronized void discard()
    {
        discarded = true;
        channel = null;
        if (blocked != null)
        {
            blocked.release();
        }
        blocked = null;
        releaseInbox();
        for (final ByteBuf frame : outgoing.values())
        {
            frame.release();
        }
        outgoing.clear();
        incomingQos2.clear();
    }

    /** The inbox has one consumer at a time: the drain, or this, both under the monitor. */
    private synchronized void releaseInbox()
    {
        for (ByteBuf frame; (frame = inbox.poll()) != null; )
        {
            frame.release();
        }
    }

    private int nextFreePacketId()
    {
        int candidate = nextPacketId;
        while (outgoing.containsKey(candidate))
        {
            candidate = candidate == 65_535 ? 1 : candidate + 1;
        }
        nextPacketId = candidate == 65_535 ? 1 : candidate + 1;
        return candidate;
    }
}
