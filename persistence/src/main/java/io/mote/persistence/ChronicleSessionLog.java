package io.mote.persistence;

import io.mote.engine.session.SessionLog;
import io.mote.engine.topic.Dialect;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@link SessionLog} on Chronicle Queues: one {@link SessionRecordDescriptor} record per
 * excerpt, appended to the live {@link SessionSegment}, which a compaction replaces by a fresh one
 * ({@link #roll}) without stopping the writers.
 *
 * <p>Threads: any thread may append. A Chronicle appender belongs to one thread, so each appending
 * thread gets its own per segment on first use; Chronicle's write lock on the queue serializes
 * their excerpts, so records of different threads never interleave and each thread's records keep
 * their order. Across a roll the order holds too: a writer reads the live segment after every
 * record it made before, so if any of them went to the new segment, so does this one. Nothing is
 * allocated per record once a thread has its appender. {@link #sync()} forces the files in
 * {@code batch} mode, once for everything appended by every thread so far (a later caller finds
 * the work done); in {@code interval} mode a timer thread forces them.
 *
 * <p>Failure: the first append or force that fails (disk full, I/O error) is logged once and puts
 * the log in a failed state ({@link #failure()}): nothing is appended from then on, since a record
 * missing in the middle would make the later ones wrong, and the transport refuses every
 * acknowledgement that would depend on the log, as the engine does when its journal fails.
 */
public final class ChronicleSessionLog implements SessionLog, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(ChronicleSessionLog.class);
    private static final byte[] NONE = new byte[0];

    private final FsyncMode fsync;
    private final AtomicLong lastNumber;
    private final ThreadLocal<Writer> writers = ThreadLocal.withInitial(Writer::new);
    private final AtomicLong appended = new AtomicLong();
    private final AtomicLong appendedBytes = new AtomicLong();
    private final AtomicReference<String> failure = new AtomicReference<>();
    /** Guards forcing and the set of segments to force, so a retired segment is never forced while it closes. */
    private final Object syncLock = new Object();
    private final Thread timer;
    private volatile SessionSegment live;
    /** The segments that may hold unforced records: the live one, plus the previous one during a roll. */
    private volatile SessionSegment[] unforced;
    private volatile long synced;
    private volatile boolean closed;

    /**
     * @param live       the segment to append to; this log closes it
     * @param lastNumber the highest session number ever given; new ones are above it
     */
    ChronicleSessionLog(final SessionSegment live, final FsyncMode fsync, final long lastNumber)
    {
        this.live = live;
        this.unforced = new SessionSegment[] {live};
        this.fsync = fsync;
        this.lastNumber = new AtomicLong(lastNumber);
        if (fsync.kind() == FsyncMode.Kind.INTERVAL)
        {
            timer = new Thread(this::forceEveryInterval, "mote-sessions-fsync");
            timer.setDaemon(true);
            timer.start();
        }
        else
        {
            timer = null;
        }
    }

    @Override
    public long opened(final String clientId, final Dialect dialect)
    {
        final long number = lastNumber.incrementAndGet();
        final byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        append(SessionRecordDescriptor.KIND_OPENED, dialect.ordinal(), 0, number, 0, 0, id, 0, id.length, NONE, 0, 0);
        return number;
    }

    @Override
    public void ended(final long session)
    {
        append(SessionRecordDescriptor.KIND_ENDED, 0, 0, session, 0, 0, NONE, 0, 0, NONE, 0, 0);
    }

    @Override
    public void subscribed(final long session, final byte[] filter, final int offset, final int length, final int qos)
    {
        append(SessionRecordDescriptor.KIND_SUBSCRIBED, qos, 0, session, 0, 0, filter, offset, length, NONE, 0, 0);
    }

    @Override
    public void unsubscribed(final long session, final byte[] filter, final int offset, final int length)
    {
        append(SessionRecordDescriptor.KIND_UNSUBSCRIBED, 0, 0, session, 0, 0, filter, offset, length, NONE, 0, 0);
    }

    @Override
    public void queued(final long session, final long seq, final int qos, final boolean retain, final byte[] topic, final int topicOffset,
        final int topicLength, final byte[] payload, final int payloadOffset, final int payloadLength)
    {
        append(SessionRecordDescriptor.KIND_QUEUED, qos, retain ? SessionRecordDescriptor.FLAG_RETAIN : 0, session, seq, 0,
            topic, topicOffset, topicLength, payload, payloadOffset, payloadLength);
    }

    @Override
    public void packetIdAssigned(final long session, final long seq, final int packetId)
    {
        append(SessionRecordDescriptor.KIND_PACKET_ID, 0, 0, session, seq, packetId, NONE, 0, 0, NONE, 0, 0);
    }

    @Override
    public void received(final long session, final int packetId)
    {
        append(SessionRecordDescriptor.KIND_RECEIVED, 0, 0, session, 0, packetId, NONE, 0, 0, NONE, 0, 0);
    }

    @Override
    public void completed(final long session, final int packetId)
    {
        append(SessionRecordDescriptor.KIND_COMPLETED, 0, 0, session, 0, packetId, NONE, 0, 0, NONE, 0, 0);
    }

    @Override
    public void inboundHeld(final long session, final int packetId)
    {
        append(SessionRecordDescriptor.KIND_INBOUND_HELD, 0, 0, session, 0, packetId, NONE, 0, 0, NONE, 0, 0);
    }

    @Override
    public void inboundReleased(final long session, final int packetId)
    {
        append(SessionRecordDescriptor.KIND_INBOUND_RELEASED, 0, 0, session, 0, packetId, NONE, 0, 0, NONE, 0, 0);
    }

    @Override
    public void sync()
    {
        if (fsync.kind() != FsyncMode.Kind.BATCH || appended.get() <= synced || failure.get() != null)
        {
            return;
        }
        synchronized (syncLock)
        {
            final long target = appended.get();
            if (target <= synced)
            {
                return; // another thread's force covered our records while we waited for the lock
            }
            try
            {
                for (final SessionSegment segment : unforced)
                {
                    segment.force();
                }
                synced = target;
            }
            catch (final RuntimeException ex)
            {
                fail("forcing it to disk", ex);
            }
        }
    }

    @Override
    public String failure()
    {
        return failure.get();
    }

    /** Records appended since this log opened, by every thread; any thread. */
    public long appendedRecords()
    {
        return appended.get();
    }

    /** Record bytes appended since this log opened, by every thread; any thread. */
    long appendedBytes()
    {
        return appendedBytes.get();
    }

    /** The highest session number given so far; any thread. */
    long lastNumber()
    {
        return lastNumber.get();
    }

    /** The segment appended to now; any thread (tests break its queue to make appends fail for real). */
    SessionSegment liveSegment()
    {
        return live;
    }

    /**
     * Makes {@code next} the live segment and returns the previous one once no writer appends to
     * it any more; it stays in the set {@link #sync()} forces until {@link #retire}d. One roller at
     * a time (the compacting thread).
     */
    SessionSegment roll(final SessionSegment next)
    {
        final SessionSegment previous = live;
        synchronized (syncLock)
        {
            // Before the writers can see next, so a sync after their first record there forces it.
            unforced = new SessionSegment[] {previous, next};
        }
        live = next;
        previous.awaitQuiescent();
        return previous;
    }

    /**
     * Forces a rolled-away segment one last time (acknowledgements of its records may still be
     * waiting for a {@link #sync()}, which will not force it again) and closes it.
     */
    void retire(final SessionSegment previous)
    {
        synchronized (syncLock)
        {
            try
            {
                if (fsync.kind() != FsyncMode.Kind.NEVER)
                {
                    previous.force();
                }
            }
            catch (final RuntimeException ex)
            {
                fail("forcing a rolled-away segment to disk", ex);
                throw ex;
            }
            finally
            {
                unforced = new SessionSegment[] {live};
            }
        }
        previous.close();
    }

    private void append(final int kind, final int qos, final int flags, final long session, final long seq, final int packetId,
        final byte[] text, final int textOffset, final int textLength, final byte[] payload, final int payloadOffset, final int payloadLength)
    {
        if (closed || failure.get() != null)
        {
            // Closed: the listeners and the engine are stopping; anything decided now is not acknowledged.
            // Failed: every acknowledgement that needs this record is refused (see failure()).
            return;
        }
        SessionSegment segment = live;
        segment.enter();
        while (segment != live)
        {
            segment.exit();
            segment = live;
            segment.enter();
        }
        try
        {
            final Writer writer = writers.get();
            if (writer.segment != segment)
            {
                // The previous segment's appender is closed by whoever retires that segment.
                writer.segment = segment;
                writer.appender = segment.newAppender();
            }
            final long bytes = writer.appender.append(kind, qos, flags, session, seq, packetId,
                text, textOffset, textLength, payload, payloadOffset, payloadLength);
            segment.cycleOf(writer.appender);
            appendedBytes.addAndGet(bytes);
            appended.incrementAndGet();
        }
        catch (final RuntimeException | Error ex)
        {
            fail("appending a " + SessionRecordDescriptor.kindName(kind) + " record for session " + session, ex);
        }
        finally
        {
            segment.exit();
        }
    }

    private void fail(final String what, final Throwable cause)
    {
        final String reason = "session log failed " + what + ": " + cause;
        if (failure.compareAndSet(null, reason))
        {
            LOG.error("{}; persistent session state is no longer recorded, so PUBACK/PUBREC are refused broker-wide and "
                + "persistent sessions are disconnected until the broker is restarted", reason);
            LOG.debug("session log failure", cause);
        }
    }

    private void forceEveryInterval()
    {
        final long intervalMs = fsync.intervalMs();
        while (!closed)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(intervalMs));
            if (closed)
            {
                return;
            }
            synchronized (syncLock)
            {
                try
                {
                    if (appended.get() > synced)
                    {
                        final long target = appended.get();
                        for (final SessionSegment segment : unforced)
                        {
                            segment.force();
                        }
                        synced = target;
                    }
                }
                catch (final RuntimeException ex)
                {
                    LOG.error("session log fsync failed; retrying in {} ms", intervalMs, ex);
                }
            }
        }
    }

    /**
     * Stops appending, forces what was written (unless the mode is {@code never}) and closes the
     * live segment. Call after the listeners, the engine and the compaction stopped.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (timer != null)
        {
            LockSupport.unpark(timer);
            try
            {
                timer.join();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        try
        {
            if (fsync.kind() != FsyncMode.Kind.NEVER && failure.get() == null)
            {
                synchronized (syncLock)
                {
                    live.force();
                }
            }
        }
        finally
        {
            live.close();
        }
    }

    /** One appending thread's appender, for the segment it was made on. Owner: that thread. */
    private static final class Writer
    {
        SessionSegment segment;
        SessionRecordAppender appender;
    }
}
