package io.mote.transport.server;

import java.util.ArrayDeque;

/**
 * The subscribing side of QoS 1/2 flow control, one per session: the publishers this session holds
 * back while it is congested. It becomes congested when a QoS 1/2 message for it finds
 * {@code highWater} messages waiting in its inbox while its client is online; from then on each
 * publisher of QoS 1/2 messages for it is held ({@link PublisherHold}) until the inbox drains to
 * {@code lowWater}, or the client goes, and all of them are released at once.
 *
 * <p>The marks come from {@code --max-pending} (the one knob for QoS 1/2 backlog): high at a
 * twentieth of it (5 000 by default) leaves the rest for what is already on its way when the hold
 * starts (what the publishers' sockets and the ring carry, and each publisher's unacknowledged
 * window); low at a fortieth gives hysteresis, so a publisher is not stopped and started per
 * message, and leaves the subscriber thousands of messages to go on with while the publishers
 * resume. Lower marks cost no throughput and are the subscriber's queueing delay: with the marks
 * at half and a quarter the qos1 benchmark delivered the same 190-200 k msg/s with a median
 * latency of 170-190 ms; at 5 000 and 2 500, 17 ms.
 *
 * <p>Offline sessions never hold anyone: nothing would drain them. Their messages keep the old rule
 * (beyond {@code --max-pending}, dropped and counted).
 *
 * <p>Threads: {@code congested} is set only by the engine's encoding thread ({@link #congested(int)}),
 * and cleared by whoever releases (the session's loop at the end of a drain, the loop detaching
 * the client, the thread discarding the session). Setting it, holding and releasing happen under
 * this object's monitor, so each hold belongs to exactly one congestion: a release lets go of
 * every hold taken before it and of none taken after. (Lock-free, a release polling the queue
 * could take the hold the encoder had just queued for the next congestion, leaving that publisher
 * marked as held but running free while its subscriber filled up.) The monitor is taken only
 * while a subscriber is congested; the uncongested path reads the volatile flag alone.
 */
final class HeldPublishers
{
    static final int HIGH_WATER_DIVISOR = 20;
    static final int LOW_WATER_DIVISOR = 40;

    private final Session session;
    private final int highWater;
    private final int lowWater;
    /** Under the monitor. */
    private final ArrayDeque<PublisherHold> held = new ArrayDeque<>();
    /** Under the monitor: releases so far; a publisher already held since the last one need not be queued again. */
    private int releases;
    private volatile boolean congested;

    HeldPublishers(final Session session, final int maxPendingMessages)
    {
        this.session = session;
        this.highWater = Math.max(1, maxPendingMessages / HIGH_WATER_DIVISOR);
        this.lowWater = maxPendingMessages / LOW_WATER_DIVISOR;
    }

    boolean congested()
    {
        return congested;
    }

    /**
     * Encoding thread, after queueing a QoS 1/2 message for this session: @return whether its
     * publisher should be held, the session having {@code waiting} messages queued.
     */
    boolean congested(final int waiting)
    {
        if (congested)
        {
            return true;
        }
        if (waiting < highWater || session.channel() == null)
        {
            return false;
        }
        synchronized (this)
        {
            congested = true;
        }
        wakeOwnConnection();
        return true;
    }

    /** Encoding thread: holds {@code publisher} until this session drains or goes. */
    synchronized void hold(final PublisherHold publisher)
    {
        if (!congested || session.channel() == null)
        {
            // A release ran since the caller saw the session congested: that congestion is over.
            return;
        }
        if (publisher.queuedBy(this, releases))
        {
            return;
        }
        publisher.queuing(this, releases);
        publisher.hold();
        held.add(publisher);
    }

    /** The session's loop, at the end of a drain with {@code waiting} messages left. */
    void drained(final int waiting)
    {
        if (congested && waiting <= lowWater)
        {
            release();
        }
    }

    /** Any thread: the session is no longer congested (drained, or its client is gone); every held publisher is let go. */
    void release()
    {
        synchronized (this)
        {
            congested = false;
            releases++;
            for (PublisherHold publisher; (publisher = held.poll()) != null; )
            {
                publisher.release();
            }
        }
        wakeOwnConnection();
    }

    /**
     * A held connection goes on reading while its own session is congested (see
     * {@link PublisherHold}): when that changes, its loop looks again.
     */
    private void wakeOwnConnection()
    {
        final PublisherHold own = session.publisherHold();
        if (own != null && own.isHeld())
        {
            own.wake();
        }
    }
}
