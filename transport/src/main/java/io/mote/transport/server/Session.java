package io.mote.transport.server;

import io.mote.engine.session.SessionLog;
import io.mote.engine.topic.Dialect;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.collection.IntObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One MQTT session: what a client id has subscribed (held by the engine under {@link #id()}), the
 * messages waiting for it, and the QoS 1/2 exchanges in flight in both directions.
 *
 * <p>Threads: the engine's encoding and acknowledgement threads only ever {@link #offer} ready
 * frames into the lock-free {@link SessionInbox} and {@link #wake} the session; everything else runs on
 * the event loop of the connection currently attached, under this object's monitor (which is
 * uncontended except at takeover, when a session moves between connections and loops).
 * Outgoing frames are complete PUBLISH packets encoded by the engine's thread; the packet id is
 * written into them when a slot of the {@link InflightWindow} is free.
 *
 * QoS 0 frames of one run of events come gathered into one item, which the loop writes whole.
 *
 * <p>Durability: a persistent session with a {@link #durable()} number records its QoS 1/2 traffic
 * in the {@link SessionLog}. Messages are numbered (seq) on the encoding thread in the order they
 * enter the inbox; since that thread is the only producer of QoS 1/2 PUBLISH frames, they leave the
 * inbox in the same order, so the {@link InflightWindow} numbers them again by counting when it
 * gives them a packet id, without carrying the number in the frame.
 */
final class Session
{
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);
    private static final int MAX_WRITES_PER_TURN = 4096;
    private static final Boolean ACCEPTED = Boolean.TRUE;
    private static final Boolean PENDING = Boolean.FALSE;

    private final long id;
    private final String clientId;
    private final Dialect dialect;
    private final boolean persistent;
    private final long durable;
    private final SessionLog log;
    private final TransportConfig config;
    private final SessionInbox inbox = new SessionInbox();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private final AtomicLong droppedQos0 = new AtomicLong();
    private final AtomicLong droppedPending = new AtomicLong();
    private final Runnable drainTask = this::drain;
    /** The publishers this session holds back while it is congested (QoS 1/2 flow control). */
    private final HeldPublishers holders;
    private volatile Channel channel;
    /** The attached connection's side of flow control, as a publisher; null while offline. */
    private volatile PublisherHold publisherHold;
    /** Encoding thread only: already in the registry's list of sessions to wake at the next flush. */
    boolean pendingWake;
    /** Encoding thread only (and the restoring thread before it starts): the seq of the next message queued. */
    private long queuedSeq = 1;

    // Owned by the attached connection's loop, under the monitor.
    private final InflightWindow inflight;
    private final IntObjectHashMap<Boolean> incomingQos2 = new IntObjectHashMap<>();
    private ByteBuf blocked;

    /**
     * @param durable the session's number in {@code log}, or 0 when it is not recorded (clean sessions)
     */
    Session(final long id, final String clientId, final Dialect dialect, final boolean persistent, final TransportConfig config,
        final SessionLog log, final long durable)
    {
        this.id = id;
        this.clientId = clientId;
        this.dialect = dialect;
        this.persistent = persistent;
        this.config = config;
        this.log = log;
        this.durable = durable;
        this.holders = new HeldPublishers(this, config.maxPendingMessages());
        this.inflight = new InflightWindow(config.inflightWindow(), log, durable);
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

    /** The session's number in the session log, or 0 when it is not recorded. */
    long durable()
    {
        return durable;
    }

    Channel channel()
    {
        return channel;
    }

    HeldPublishers holders()
    {
        return holders;
    }

    PublisherHold publisherHold()
    {
        return publisherHold;
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
        if (channel == null || inbox.sizeWithGathered() >= config.maxQueuedMessages())
        {
            droppedQos0.incrementAndGet();
            return false;
        }
        return true;
    }

    /** Encoding thread: QoS 0 frames are gathered straight into the inbox, once {@link #acceptsQos0} said yes. */
    SessionInbox inbox()
    {
        return inbox;
    }

    /**
     * Queues a ready frame (PUBLISH QoS 1/2, PUBACK, PUBREC): encoding or acknowledgement thread.
     * QoS 1/2 beyond {@code maxPendingMessages} disconnects an online client, or is dropped and
     * counted for an offline one.
     */
    void offer(final ByteBuf item, final int qos)
    {
        final int waiting = inbox.size();
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
        inbox.add(item);
    }

    /** Encoding thread: whether one more QoS 1/2 message fits under {@code maxPendingMessages}. */
    boolean hasRoomForPending()
    {
        return inbox.size() < config.maxPendingMessages();
    }

    /**
     * Encoding thread: gives the next QoS 1/2 message its seq, which the caller records before
     * {@link #offerRecorded} queues the frame.
     */
    long nextQueuedSeq()
    {
        return queuedSeq++;
    }

    /** Queues a QoS 1/2 frame already recorded under the last {@link #nextQueuedSeq}: never dropped, so seqs stay in step. */
    void offerRecorded(final ByteBuf frame)
    {
        inbox.add(frame);
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

    synchronized void attach(final Channel newChannel, final PublisherHold hold)
    {
        channel = newChannel;
        publisherHold = hold;
        closeRequested.set(false);
    }

    /** @return true when the channel was the attached one; an offline session holds no publisher. */
    synchronized boolean detach(final Channel oldChannel)
    {
        if (channel != oldChannel)
        {
            return false;
        }
        channel = null;
        publisherHold = null;
        holders.release();
        return true;
    }

    /** Sends again what the client has not acknowledged, DUP set, as MQTT 3.1.1 §4.4 asks on resume. */
    synchronized void resend()
    {
        inflight.resend(channel);
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
        if (incomingQos2.remove(packetId) != null && durable != 0)
        {
            log.inboundReleased(durable, packetId);
        }
    }

    /** The client acknowledged a QoS 1 message (PUBACK) or completed a QoS 2 one (PUBCOMP). */
    synchronized void acknowledged(final int packetId)
    {
        inflight.acknowledged(packetId);
    }

    /** The client received a QoS 2 message (PUBREC): @return the PUBREL now in flight, to write, or null for an unknown id. */
    synchronized ByteBuf received(final int packetId)
    {
        return inflight.received(packetId, channel.alloc());
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
            blocked = null;
            final int type = FrameBits.type(frame);
            if (type == FrameBits.PUBLISH && FrameBits.qos(frame) > 0)
            {
                if (inflight.isFull())
                {
                    blocked = frame;
                    break;
                }
                inflight.send(frame);
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
        holders.drained(inbox.size());
    }

    // ---- the restoring thread, before the listeners and the engine start ----

    /** A recovered message that had been sent: back in flight under its packet id (a PUBLISH, or a PUBREL once PUBRECed). */
    synchronized void restoreInFlight(final int packetId, final ByteBuf frame)
    {
        inflight.restore(packetId, frame);
    }

    /** A recovered message never sent; they come in seq order, consecutive. */
    synchronized void restoreQueued(final long seq, final ByteBuf frame)
    {
        if (inbox.isEmpty())
        {
            inflight.nextSeq(seq);
        }
        inbox.add(frame);
        queuedSeq = seq + 1;
    }

    /** After the recovered messages: numbering goes on after the highest seq. */
    synchronized void restoreNextSeq(final long next)
    {
        if (inbox.isEmpty())
        {
            inflight.nextSeq(next);
        }
        queuedSeq = Math.max(queuedSeq, next);
    }

    /** A recovered inbound QoS 2 id: PUBREC was sent or due, a repeated PUBLISH only gets PUBREC again. */
    synchronized void restoreIncomingQos2(final int packetId)
    {
        incomingQos2.put(packetId, ACCEPTED);
    }

    /** Releases every buffer the session holds: it is gone for good. */
    synchronized void discard()
    {
        channel = null;
        publisherHold = null;
        holders.release();
        if (blocked != null)
        {
            blocked.release();
        }
        blocked = null;
        inbox.close();
        inflight.releaseAll();
        incomingQos2.clear();
    }
}
