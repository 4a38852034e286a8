package io.mote.transport.server;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The subscribing side of QoS 1/2 flow control, one per session: the publishers this session holds
 * back while it is congested. It becomes congested when a QoS 1/2 message for it finds
 * {@code highWater} messages waiting in its inbox while its client is online; from then on each
 * publisher of QoS 1/2 messages for it is held ({@link PublisherHold}) until the inbox drains to
 * {@code lowWater}, or the client goes, and all of them are released at once.
 *
 * <p>The marks come from {@code --max-pending} (the one knob for QoS 1/2 backlog): high at half of
 * it leaves the other half for what is already on its way when the hold starts (what the publishers'
 * sockets and the ring carry, and each publisher's unacknowledged window); low at a quarter gives
 * hysteresis, so a publisher is not stopped and started per message, and leaves the subscriber a
 * quarter of the bound to go on with while the publishers resume.
 *
 * <p>Offline sessions never hold anyone: nothing would drain them. Their messages keep the old rule
 * (beyond {@code --max-pending}, dropped and counted).
 *
 * <p>Threads: {@code congested} is set only by the engine's encoding thread ({@link #congested(int)}),
 * and cleared by whoever releases (the session's loop at the end of a drain, the loop detaching
 * the client, the thread discarding the session, or the encoding thread when it finds it raced a
 * release). The queue is multi-consumer, so a hold is released exactly once, by whichever thread
 * polls it. A hold added after a release's last poll is seen by its adder's re-check
 * ({@link #hold}), so no hold outlives the congestion that made it.
 */
final class HeldPublishers
{
    private final Session session;
    private final int highWater;
    private final int lowWater;
    private final Queue<PublisherHold> held = new ConcurrentLinkedQueue<>();
    /** Releases so far: a publisher already held since the last one need not be queued again. */
    private final AtomicInteger releases = new AtomicInteger();
    private volatile boolean congested;

    HeldPublishers(final Session session, final int maxPendingMessages)
    {
        this.session = session;
        this.highWater = Math.max(1, maxPendingMessages / 2);
        this.lowWater = maxPendingMessages / 4;
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
        congested = true;
        wakeOwnConnection();
        return true;
    }

    /** Encoding thread: holds {@code publisher} until this session drains or goes. */
    void hold(final PublisherHold publisher)
    {
        final int release = releases.get();
        if (publisher.queuedBy(this, release))
        {
            return;
        }
        publisher.queuing(this, release);
        publisher.hold();
        held.offer(publisher);
        if (!congested || session.channel() == null)
        {
            // A release ran since this thread saw the session congested: it may have polled the
            // queue before the offer above, so this hold is released here.
            release();
        }
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
        congested = false;
        releases.incrementAndGet();
        for (PublisherHold publisher; (publisher = held.poll()) != null; )
        {
            publisher.release();
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
