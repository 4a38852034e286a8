package io.mote.transport.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.internal.PlatformDependent;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The publishing side of QoS 1/2 flow control, one per connection: while some congested
 * subscriber holds this connection ({@link HeldPublishers}), its PUBACK/PUBREC are withheld, in
 * order, and its socket is not read, so TCP pushes back on the client; when the last holder lets
 * go, the withheld acknowledgements go out in the order the engine gave them and reading resumes.
 *
 * <p>Threads and ownership:
 * <ul>
 * <li>{@link #hold}/{@link #release} count holders: hold on the engine's encoding thread, release
 *     on whichever thread a holder lets go on (a subscriber's loop, the encoding thread).
 * <li>{@link #withhold} runs on the engine's acknowledgement (journal) thread, the only producer of
 *     acknowledgements, into an MPSC queue whose consumer is this connection's loop.
 * <li>Everything that touches the channel ({@code autoRead}, moving acknowledgements to the
 *     session's inbox) runs on this connection's loop, in {@link #reconcile}: any thread that changes
 *     the state {@link #wake}s it; it reads the state afresh each time, so the last run after the
 *     last change leaves the channel right, however the runs and changes interleave.
 * </ul>
 * Invariant for ordering (MQTT-4.6.0-2): an acknowledgement bypasses the queue only when no holder
 * holds the connection and nothing is withheld; {@code withheld} drops to 0 only once every queued
 * acknowledgement has been put in the session's inbox, in queue order, so a later one can never
 * overtake an earlier one. Nothing is allocated while the connection is not held.
 */
final class PublisherHold
{
    private static final int RECENT_HOLDERS = 4;

    private final Channel channel;
    private final Session session;
    private final Runnable reconcileTask = this::reconcile;
    private final AtomicBoolean reconcileScheduled = new AtomicBoolean();
    /** Congested subscribers holding this connection; one count per entry in their queues. */
    private final AtomicInteger holds = new AtomicInteger();
    /** Acknowledgements queued and not yet moved to the inbox: counted before they are queued. */
    private final AtomicInteger withheld = new AtomicInteger();
    /**
     * Withheld acknowledgements, created by the acknowledgement thread (their only producer) when
     * it first withholds one: most connections are never held, and a padded MPSC queue per
     * connection was a measurable part of idle memory.
     */
    private volatile Queue<ByteBuf> acks;
    private volatile boolean closed;
    /** Loop only: whether reconcile stopped reading. */
    private boolean paused;

    /**
     * Encoding thread only: the last few holders that queued this connection, each with its release
     * count then, so that a publisher alternating between several congested subscribers is queued
     * once per subscriber and congestion, not once per message. Past {@link #RECENT_HOLDERS} of
     * them it is queued again (each entry still released exactly once, only the queue grows); a
     * slot may keep a discarded session reachable until it is reused.
     */
    private final HeldPublishers[] recentHolders = new HeldPublishers[RECENT_HOLDERS];
    private final int[] recentReleases = new int[RECENT_HOLDERS];
    private int nextRecent;

    PublisherHold(final Channel channel, final Session session)
    {
        this.channel = channel;
        this.session = session;
    }

    /** Encoding thread: one more congested subscriber holds this connection. */
    void hold()
    {
        if (holds.getAndIncrement() == 0)
        {
            wake();
        }
    }

    /** Any thread: a holder lets go; the last one lets the connection resume. */
    void release()
    {
        if (holds.decrementAndGet() == 0)
        {
            wake();
        }
    }

    /** Encoding thread: whether {@code holder} queued this connection and has not released since (its count still {@code releases}). */
    boolean queuedBy(final HeldPublishers holder, final int releases)
    {
        for (int i = 0; i < RECENT_HOLDERS; i++)
        {
            if (recentHolders[i] == holder && recentReleases[i] == releases)
            {
                return true;
            }
        }
        return false;
    }

    /** Encoding thread: {@code holder} queues this connection, its release count being {@code releases}. */
    void queuing(final HeldPublishers holder, final int releases)
    {
        int slot = nextRecent;
        for (int i = 0; i < RECENT_HOLDERS; i++)
        {
            if (recentHolders[i] == holder)
            {
                slot = i;
                break;
            }
        }
        if (slot == nextRecent)
        {
            nextRecent = (nextRecent + 1) % RECENT_HOLDERS;
        }
        recentHolders[slot] = holder;
        recentReleases[slot] = releases;
    }

    boolean isHeld()
    {
        return holds.get() > 0;
    }

    /** Entries for this connection in its holders' queues: one per holder unless it was queued again. */
    int holdCount()
    {
        return holds.get();
    }

    /**
     * Acknowledgement thread: withholds {@code ack} when the connection is held, or when earlier
     * acknowledgements are still withheld (they go first).
     *
     * @return false when nothing holds the connection back: the caller queues the ack as usual
     */
    boolean withhold(final ByteBuf ack)
    {
        if (holds.get() == 0 && withheld.get() == 0)
        {
            return false;
        }
        withheld.incrementAndGet();
        Queue<ByteBuf> queue = acks;
        if (queue == null)
        {
            queue = PlatformDependent.newMpscQueue(16, 1 << 30);
            acks = queue;
        }
        queue.offer(ack);
        if (holds.get() == 0 || closed)
        {
            // Released (or gone) meanwhile: its reconcile may have looked at the queue before this ack was in it.
            wake();
        }
        return true;
    }

    /**
     * This connection's loop, after each read: a read that happened although the connection is held
     * (the ring-full back-pressure of {@code LoopFeeder} turns reading back on for every channel it
     * paused) stops reading again.
     */
    void afterRead()
    {
        if (holds.get() > 0 && !paused)
        {
            wake();
        }
        else if (paused && channel.config().isAutoRead())
        {
            channel.config().setAutoRead(false);
        }
    }

    /** Whether reading is stopped because of a hold: the keep-alive of a client we do not listen to cannot expire. */
    boolean pausedReading()
    {
        return paused;
    }

    /** This connection's loop, when it closes: withheld acknowledgements are dropped; MQTT redelivery covers them. */
    void close()
    {
        closed = true;
        reconcile();
    }

    /** Any thread: makes sure {@link #reconcile} runs soon on the connection's loop. */
    void wake()
    {
        if (reconcileScheduled.compareAndSet(false, true))
        {
            channel.eventLoop().execute(reconcileTask);
        }
    }

    /** The connection's loop: brings reading and the withheld acknowledgements in line with the current holds. */
    private void reconcile()
    {
        reconcileScheduled.set(false);
        final boolean held = holds.get() > 0;
        // Null until something was withheld; an acknowledgement counted but not yet queued wakes this again.
        final Queue<ByteBuf> acks = this.acks;
        if (closed)
        {
            for (ByteBuf ack; acks != null && (ack = acks.poll()) != null; )
            {
                ack.release();
                withheld.decrementAndGet();
            }
            return;
        }
        if (!held)
        {
            boolean moved = false;
            for (ByteBuf ack; acks != null && (ack = acks.poll()) != null; )
            {
                session.inbox().add(ack);
                withheld.decrementAndGet();
                moved = true;
            }
            if (moved)
            {
                session.wake();
            }
        }
        // A session that is itself congested must go on reading its client's PUBACKs to drain, or
        // two sessions holding each other (or one publishing to itself) would never let go.
        final boolean pause = held && !session.holders().congested();
        if (pause != paused)
        {
            paused = pause;
            channel.config().setAutoRead(!pause);
            if (!pause)
            {
                // The keep-alive counts from the last read, which was before the hold: without a
                // reset it could expire before the client's next packet is read.
                final IdleStateHandler keepAlive = channel.pipeline().get(IdleStateHandler.class);
                if (keepAlive != null)
                {
                    keepAlive.resetReadTimeout();
                }
            }
        }
    }
}
